"""Users and their roles in the admin, for administrators only.

Saves go through the user services, so the admin obeys the same rules as the API
(the last administrator keeps the role) and every change is in the audit log.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from wagtail.admin import messages
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from commerce.accounts.models import User
from commerce.accounts.selectors.users import user_role_get
from commerce.accounts.services.users import user_create, user_delete, user_update
from commerce.admin_menu import PermissionMenuItem, ShopMenuMixin
from commerce.enums import UserRole
from config.exceptions import ApplicationError


class ShopUserForm(forms.ModelForm):
    role = forms.ChoiceField(choices=UserRole.choices)
    password = forms.CharField(
        widget=forms.PasswordInput,
        required=False,
        help_text="Leave empty for an account that logs in another way.",
    )

    class Meta:
        model = User
        fields = ["email", "name", "phone", "is_active"]

    def __init__(self, *args: Any, for_user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["email"].disabled = True
            self.fields["role"].initial = user_role_get(user=self.instance)
            del self.fields["password"]
        else:
            del self.fields["is_active"]

    def _post_clean(self) -> None:
        """Model validation happens in the services."""


def _form_errors(form: forms.Form, error: Exception) -> None:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, str(error))


class ShopUserCreateView(generic.CreateView):
    def form_valid(self, form: Any) -> Any:
        data = form.cleaned_data
        try:
            self.object = user_create(
                email=data["email"],
                password=data.get("password") or None,
                name=data.get("name", ""),
                phone=data.get("phone", ""),
                role=UserRole(data["role"]),
                actor=self.request.user,
            )
        except (ValidationError, ApplicationError) as error:
            _form_errors(form, error)
            return self.form_invalid(form)
        return redirect(reverse("shop_users:index"))


class ShopUserEditView(generic.EditView):
    def form_valid(self, form: Any) -> Any:
        data = form.cleaned_data
        try:
            self.object = user_update(
                user=self.object,
                data={
                    "name": data.get("name", ""),
                    "phone": data.get("phone", ""),
                    "is_active": data["is_active"],
                    "role": data["role"],
                },
                actor=self.request.user,
            )
        except (ValidationError, ApplicationError) as error:
            _form_errors(form, error)
            return self.form_invalid(form)
        return redirect(reverse("shop_users:index"))


class ShopUserDeleteView(generic.DeleteView):
    """Delete through ``user_delete``, so an account with orders is refused.

    The refusal is shown as a message that offers deactivation, not a 500.
    """

    def form_valid(self, form: Any) -> Any:
        try:
            user_delete(user=self.object, actor=self.request.user)
        except ApplicationError as error:
            messages.error(
                self.request,
                error.message,
                buttons=[
                    messages.button(
                        reverse("shop_users:edit", args=[self.object.pk]),
                        "Edit to deactivate",
                    )
                ],
            )
            return redirect(reverse("shop_users:edit", args=[self.object.pk]))
        messages.success(self.request, self.get_success_message())
        return redirect(self.get_success_url())


class ShopUserViewSet(ShopMenuMixin, ModelViewSet):
    model = User
    name = "shop_users"
    url_prefix = "shop/users"
    icon = "user"
    menu_label = "Users"
    menu_order = 300
    list_display = ["email", "name", "is_active", "created_at"]
    list_filter = ["is_active", "groups"]
    search_fields = ["email", "name"]
    form_fields = ["email", "name", "phone", "is_active"]
    add_view_class = ShopUserCreateView
    edit_view_class = ShopUserEditView
    delete_view_class = ShopUserDeleteView
    inspect_view_enabled = True
    copy_view_enabled = False

    def get_form_class(self, for_update: bool = False) -> Any:
        return ShopUserForm

    def get_menu_item(self, order: int | None = None) -> PermissionMenuItem:
        return PermissionMenuItem(
            label=self.menu_label,
            url=self.menu_url,
            name="shop-users",
            icon_name=self.icon,
            order=self.get_menu_item_order(order),
            permissions=("commerce.change_user",),
        )


def roles_menu_item() -> PermissionMenuItem:
    """Roles are Django groups, edited in Wagtail's group admin (administrators)."""
    return PermissionMenuItem(
        label="Roles",
        url=reverse("wagtailusers_groups:index"),
        name="shop-roles",
        icon_name="group",
        order=310,
        permissions=("auth.change_group",),
    )


def users_bulk_delete(
    request: Any, action_type: str, objects: list[Any], action: Any
) -> Any:
    """Wagtail's bulk delete of users goes through ``user_delete`` as well.

    Accounts with orders (and the last administrator) are kept and named in a
    message that offers deactivation; the others are deleted and logged.
    """
    if action_type != "delete" or action.model is not User:
        return None
    refused = []
    deleted = 0
    for user in objects:
        try:
            user_delete(user=user, actor=request.user)
        except ApplicationError as error:
            refused.append(f"{user.email}: {error.message}")
        else:
            deleted += 1
    if deleted:
        messages.success(request, f"{deleted} user(s) deleted.")
    for reason in refused:
        messages.error(request, reason)
    return redirect(reverse("shop_users:index"))
