"""Framework glue: Wagtail publishes pages outside our services (admin, scheduler)."""

from typing import Any

from django.db import transaction
from django.dispatch import receiver
from wagtail.signals import page_published

from notify.services import outbox_event_record


@receiver(page_published)
def product_published_event_record(sender: Any, instance: Any, **kwargs: Any) -> None:
    from commerce.models import PackagePage, ProductPage

    if not isinstance(instance, ProductPage | PackagePage):
        return
    kind = "product" if isinstance(instance, ProductPage) else "package"
    with transaction.atomic():
        outbox_event_record(
            topic="product.published",
            payload={
                "kind": kind,
                "id": instance.pk,
                "sku": instance.sku,
                "title": instance.title,
                "price": str(instance.price),
            },
        )
