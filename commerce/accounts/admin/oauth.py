"""Wagtail admin for OAuth2 applications; only roles with the model permissions see it.

Administrators hold ``oauth2_provider.*_application`` (commerce/accounts/roles.py); managers
and customers do not, so Wagtail's model permission policy keeps them out.
"""

from typing import Any

from django import forms
from oauth2_provider.models import AbstractApplication, get_application_model
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.viewsets.model import ModelViewSet

Application = get_application_model()

# Implicit and password grants are off for third-party apps (RFC 9700); so are the
# device and hybrid flows, which nobody here needs.
GRANT_TYPE_CHOICES = [
    (AbstractApplication.GRANT_AUTHORIZATION_CODE, "Authorization code with PKCE"),
    (
        AbstractApplication.GRANT_CLIENT_CREDENTIALS,
        "Client credentials (server-to-server integration)",
    ),
]


class ApplicationForm(WagtailAdminModelForm):
    authorization_grant_type = forms.ChoiceField(choices=GRANT_TYPE_CHOICES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "client_secret"
        ].help_text = "Copy it now: it is stored hashed and cannot be shown again."
        self.fields["user"].label = "Owner / service account"
        self.fields[
            "user"
        ].help_text = (
            "Client-credentials apps act as this account, limited to their scopes."
        )
        if not self.instance.pk:
            self.initial.setdefault("algorithm", AbstractApplication.RS256_ALGORITHM)
        # ID tokens are signed with the server's RSA key only (as discovery says).
        self.fields["algorithm"].choices = [
            choice
            for choice in self.fields["algorithm"].choices
            if choice[0] != AbstractApplication.HS256_ALGORITHM
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        grant_type = data.get("authorization_grant_type")
        if grant_type == AbstractApplication.GRANT_CLIENT_CREDENTIALS:
            if data.get("client_type") != AbstractApplication.CLIENT_CONFIDENTIAL:
                self.add_error(
                    "client_type", "Client-credentials apps must be confidential."
                )
            if data.get("user") is None:
                self.add_error("user", "Choose the service account the app acts as.")
        if grant_type == AbstractApplication.GRANT_AUTHORIZATION_CODE and not data.get(
            "redirect_uris"
        ):
            self.add_error(
                "redirect_uris", "Authorization-code apps need a redirect URI."
            )
        return data


class OAuthApplicationViewSet(ModelViewSet):
    model = Application
    form_fields = [
        "name",
        "client_type",
        "authorization_grant_type",
        "client_id",
        "client_secret",
        "user",
        "redirect_uris",
        "post_logout_redirect_uris",
        "allowed_origins",
        "skip_authorization",
        "algorithm",
    ]
    list_display = ["name", "client_id", "authorization_grant_type", "client_type"]
    icon = "key"
    menu_label = "OAuth apps"
    add_to_settings_menu = True
    url_prefix = "oauth-applications"
    name = "oauth_applications"

    def get_form_class(self, for_update: bool = False) -> type[forms.ModelForm[Any]]:
        return forms.modelform_factory(
            self.model,
            form=ApplicationForm,
            formfield_callback=self.formfield_for_dbfield,
            fields=self.form_fields,
        )
