"""The read model of the catalogue: each live product's and package's public JSON.

A *card* is the body the API shows for one item (the same in a list and in its
detail), rendered once and stored, so that reads assemble stored bytes instead of
serializing items. Only ``commerce.catalogue.services.cards`` writes it.
"""

from django.db import models


class SellableCard(models.Model):
    """The stored public JSON of one product or package, and whether it is current.

    ``generation`` is raised by every change the card shows (in the changing
    transaction); a card is current while ``built_generation`` equals it. ``body``
    holds the rendered bytes around the holes where stock shows, and what fills
    them (``commerce.catalogue.api.cards``).
    """

    page = models.OneToOneField(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="catalogue_card",
    )
    generation = models.PositiveIntegerField(default=0)
    built_generation = models.PositiveIntegerField(null=True, blank=True)
    built_at = models.DateTimeField(null=True, blank=True)
    body = models.TextField(blank=True)

    class Meta:
        verbose_name = "catalogue card"

    def __str__(self) -> str:
        return f"{self.page_id}: {self.built_generation}/{self.generation}"
