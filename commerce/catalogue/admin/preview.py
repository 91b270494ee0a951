"""The admin's "Preview on storefront": a signed, expiring link to copy or open."""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from wagtail.admin.widgets import Button
from wagtail.models import Page

from commerce.catalogue.models import PackagePage, ProductPage
from commerce.catalogue.storefront import storefront_preview_url

SELLABLE_PAGES = (ProductPage, PackagePage)


def storefront_preview(request: HttpRequest, page_id: int) -> HttpResponseBase:
    """The storefront link for the latest saved draft of a product or package."""
    page = get_object_or_404(Page, pk=page_id).specific
    if not isinstance(page, SELLABLE_PAGES) or not settings.HEADLESS_PREVIEW_URL:
        raise Http404
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    url = storefront_preview_url(page=page)
    return TemplateResponse(
        request,
        "commerce/admin/storefront_preview.html",
        {
            "page": page,
            "preview_url": url,
            "expires_in_minutes": settings.PREVIEW_TOKEN_MAX_AGE_SECONDS // 60,
            "page_title": f"Preview on storefront: {page.get_admin_display_title()}",
            "header_icon": "view",
        },
    )


def storefront_preview_urls() -> list[Any]:
    return [
        path(
            "shop/storefront-preview/<int:page_id>/",
            storefront_preview,
            name="commerce_storefront_preview",
        )
    ]


def storefront_preview_header_buttons(
    page: Page, user: Any, view_name: str, next_url: str | None = None
) -> list[Button]:
    """A "Preview on storefront" entry in the header menu of products and packages."""
    if not settings.HEADLESS_PREVIEW_URL:
        return []
    if page.specific_class not in SELLABLE_PAGES:
        return []
    if not page.permissions_for_user(user).can_edit():
        return []
    return [
        Button(
            "Preview on storefront",
            reverse("commerce_storefront_preview", args=[page.pk]),
            icon_name="link-external",
            attrs={"data-storefront-preview": "true"},
            priority=12,
        )
    ]
