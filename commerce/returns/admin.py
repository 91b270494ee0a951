"""Returns in the admin (Shop → Returns): the list by status, and each return's page.

Staff approve, reject (with a note for the customer) or receive a return with the
buttons of its page, which call the return services.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST
from wagtail.admin.viewsets.base import ViewSet

from commerce.accounts.models import User
from commerce.admin_menu import PermissionMenuItem, ShopMenuMixin
from commerce.enums import ReturnStatus
from commerce.returns.selectors import return_get, return_list
from commerce.returns.services import return_approve, return_receive, return_reject
from config.exceptions import ApplicationError

VIEW_PERMISSION = "commerce.view_returnrequest"
CHANGE_PERMISSION = "commerce.change_returnrequest"
PER_PAGE = 50


def returns_index(request: HttpRequest) -> HttpResponseBase:
    if not request.user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied
    status = request.GET.get("status", "")
    if status not in ReturnStatus.values:
        status = ""
    page = Paginator(return_list(filters={"status": status}), PER_PAGE).get_page(
        request.GET.get("p")
    )
    return TemplateResponse(
        request,
        "commerce/admin/returns.html",
        {
            "page": page,
            "status": status,
            "statuses": ReturnStatus.choices,
            "page_title": "Returns",
            "header_icon": "rotate",
        },
    )


def return_detail(request: HttpRequest, return_id: int) -> HttpResponseBase:
    if not request.user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied
    found = return_get(return_id=return_id)
    can_change = request.user.has_perm(CHANGE_PERMISSION)
    return TemplateResponse(
        request,
        "commerce/admin/return_detail.html",
        {
            "return_request": found,
            "can_approve": can_change and found.status == ReturnStatus.REQUESTED,
            "can_reject": can_change
            and found.status in (ReturnStatus.REQUESTED, ReturnStatus.APPROVED),
            "can_receive": can_change and found.status == ReturnStatus.APPROVED,
            "page_title": f"Return {found.pk}",
            "header_icon": "rotate",
        },
    )


@require_POST
def return_step(request: HttpRequest, return_id: int, step: str) -> HttpResponseBase:
    """Approve, reject or receive; a refused step is a message, never an error page."""
    if not request.user.has_perm(CHANGE_PERMISSION):
        raise PermissionDenied
    if step not in ("approve", "reject", "receive"):
        raise Http404
    note = request.POST.get("note", "")
    actor = request.user
    if not isinstance(actor, User):
        raise PermissionDenied
    try:
        if step == "approve":
            return_approve(return_id=return_id, actor=actor, note=note)
        elif step == "reject":
            return_reject(return_id=return_id, actor=actor, note=note)
        else:
            return_receive(return_id=return_id, actor=actor)
    except DjangoValidationError as error:
        messages.error(
            request, f"Return {return_id} was not changed: {' '.join(error.messages)}"
        )
    except ApplicationError as error:
        messages.error(request, f"Return {return_id} was not changed: {error}")
    else:
        done = {"approve": "approved", "reject": "rejected"}.get(
            step, "received and refunded"
        )
        messages.success(request, f"Return {return_id} was {done}.")
    return redirect(reverse("shop_returns:detail", args=[return_id]))


class ShopReturnsViewSet(ShopMenuMixin, ViewSet):
    name = "shop_returns"
    url_prefix = "shop/returns"
    icon = "rotate"
    menu_label = "Returns"
    menu_order = 110

    def get_urlpatterns(self) -> list[Any]:
        return [
            path("", returns_index, name="index"),
            path("<int:return_id>/", return_detail, name="detail"),
            path(
                "<int:return_id>/<str:step>/",
                return_step,
                name="step",
            ),
        ]

    def get_menu_item(self, order: int | None = None) -> PermissionMenuItem:
        return PermissionMenuItem(
            label=self.menu_label,
            url=self.menu_url,
            name="shop-returns",
            icon_name=self.icon,
            order=self.get_menu_item_order(order),
            permissions=(VIEW_PERMISSION,),
        )
