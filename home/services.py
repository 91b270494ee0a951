"""The contact page's side effects: staff emails through the outbox, the rate limit."""

import time
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

from config.throttling import client_address_get
from notify.services import email_message_send

if TYPE_CHECKING:
    from collections.abc import Callable

    from wagtail.images.models import AbstractImage

    from commerce.catalogue.models import CategoryPage
    from home.models import ContactPage, HomePage

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def contact_emails_queue(*, page: "ContactPage", form: Any) -> int:
    """One outbox email per staff address of ``page.to_address``; their count.

    Call inside the transaction that stores the submission: the emails exist only
    if it commits, and Huey sends them once it has.
    """
    addresses = [
        address.strip() for address in page.to_address.split(",") if address.strip()
    ]
    subject = page.subject or f"{page.title}: a new message"
    text = page.render_email(form)
    for address in addresses:
        email_message_send(to=address, subject=subject, text=text)
    return len(addresses)


def contact_rate_parse(rate: str | None) -> tuple[int, int] | None:
    """``"5/hour"`` -> (5, 3600); None or an empty rate means no limit."""
    if not rate:
        return None
    try:
        count, period = rate.split("/", 1)
        return int(count), PERIODS[period.strip()[0].lower()]
    except (ValueError, KeyError, IndexError) as error:
        raise ImproperlyConfigured(
            f"CONTACT_RATE must look like '5/hour', not {rate!r}."
        ) from error


def _key(request: HttpRequest) -> str:
    return f"contact-rate:{client_address_get(request)}"


def _recent(request: HttpRequest, window: int) -> list[float]:
    now = time.time()
    stamps: list[float] = cache.get(_key(request)) or []
    return [stamp for stamp in stamps if stamp > now - window]


def contact_retry_after(request: HttpRequest) -> int | None:
    """Seconds until the client's address may send again; None when it may now."""
    limit = contact_rate_parse(settings.CONTACT_RATE)
    if limit is None:
        return None
    count, window = limit
    recent = _recent(request, window)
    if len(recent) < count:
        return None
    oldest = sorted(recent)[-count]
    return max(int(oldest + window - time.time()) + 1, 1)


def contact_rate_record(request: HttpRequest) -> None:
    """Count one accepted submission against the client's address."""
    limit = contact_rate_parse(settings.CONTACT_RATE)
    if limit is None:
        return
    _, window = limit
    cache.set(_key(request), [*_recent(request, window), time.time()], window)


def contact_rate_message(retry_after: int) -> str:
    minutes = max(round(retry_after / 60), 1)
    return (
        "Too many messages from your address; please try again in "
        f"{minutes} minute{'s' if minutes != 1 else ''}."
    )


DEMO_CONTACT_FIELDS = (
    ("Name", "singleline", True),
    ("Email", "email", True),
    ("Message", "multiline", True),
)


def contact_page_demo_ensure(*, to_address: str) -> "ContactPage | None":
    """A published "Contact us" page under the home page, unless one exists.

    None when the site has no home page to hold it.
    """
    from home.models import ContactFormField, ContactPage, HomePage

    existing: ContactPage | None = ContactPage.objects.order_by("pk").first()
    if existing is not None:
        return existing
    home = HomePage.objects.order_by("pk").first()
    if home is None:
        return None
    page = ContactPage(
        title="Contact us",
        slug="contact",
        intro="<p>Questions about an order or a custom piece? Write to us.</p>",
        to_address=to_address,
        subject="Contact form: a new message",
    )
    page.form_fields = [
        ContactFormField(label=label, field_type=field_type, required=required)
        for label, field_type, required in DEMO_CONTACT_FIELDS
    ]
    home.add_child(instance=page)
    page.save_revision(log_action=True).publish()
    return page


def home_page_demo_compose(
    *, hero_image: "Callable[[], AbstractImage]", category: "CategoryPage | None"
) -> "HomePage | None":
    """Give the demo home page its sections, once; None when it has a body already.

    A hero banner (its picture made by ``hero_image``), carousels of new arrivals,
    best sellers, items on sale and ``category``, the top categories as tiles, and
    a paragraph. Published as a revision, as an editor would.
    """
    from commerce.catalogue.models import ShopIndexPage
    from home.enums import CarouselRule
    from home.models import HomePage

    home: HomePage | None = HomePage.objects.order_by("pk").first()
    if home is None or len(home.body):
        return None
    shop = ShopIndexPage.objects.live().first()
    link_page = category or shop
    carousels = [
        ("New arrivals", CarouselRule.NEW_ARRIVALS),
        ("Best sellers", CarouselRule.BEST_SELLERS),
        ("On sale", CarouselRule.ON_SALE),
    ]
    body: list[dict[str, Any]] = [
        {
            "type": "hero",
            "value": {
                "image": hero_image().pk,
                "heading": "Gifts made to be remembered",
                "text": "Flowers, cakes and keepsakes, personalised and delivered.",
                "link_page": link_page.pk if link_page is not None else None,
                "link_url": "",
                "button_label": "Shop now",
            },
        },
        *(
            {
                "type": "product_carousel",
                "value": {"title": title, "rule": rule.value, "limit": 8},
            }
            for title, rule in carousels
        ),
        {
            "type": "category_tiles",
            "value": {"title": "Shop by category", "categories": []},
        },
    ]
    if category is not None:
        body.append(
            {
                "type": "product_carousel",
                "value": {
                    "title": category.title,
                    "rule": CarouselRule.CATEGORY.value,
                    "category": category.pk,
                    "limit": 8,
                },
            }
        )
    body.append(
        {
            "type": "rich_text",
            "value": (
                "<p>Every order is made by hand in our workshop. Questions? "
                "Write to us from the contact page.</p>"
            ),
        }
    )
    home.body = body
    home.save_revision(log_action=True).publish()
    return home
