from django.db import models


class CarouselRule(models.TextChoices):
    """How a product carousel of the home page picks its items."""

    NEW_ARRIVALS = "new_arrivals", "New arrivals"
    ON_SALE = "on_sale", "On sale"
    BEST_SELLERS = "best_sellers", "Best sellers"
    CATEGORY = "category", "A category"
    HAND_PICKED = "hand_picked", "Hand-picked items"
