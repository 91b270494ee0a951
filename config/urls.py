import re

from django.conf import settings
from django.http import FileResponse, HttpRequest
from django.urls import include, path, re_path
from django.views.static import serve
from drf_spectacular.views import (
    SpectacularSwaggerOauthRedirectView,
    SpectacularSwaggerSplitView,
)
from oauth2_provider import urls as oauth2_urls
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from config.api import api_router
from config.health import healthz, readyz
from config.oidc import DiscoveryInfoView
from config.schema_view import CachedSchemaView

handler404 = "config.exceptions.page_not_found"
handler500 = "config.exceptions.server_error"

oauth_provider_urlpatterns = [
    re_path(
        r"^\.well-known/openid-configuration/?$",
        DiscoveryInfoView.as_view(),
        name="oidc-connect-discovery-info",
    ),
    *oauth2_urls.metadata_urlpatterns,
    *[
        pattern
        for pattern in oauth2_urls.base_urlpatterns
        if not str(pattern.pattern).startswith("device")
    ],
    *[
        pattern
        for pattern in oauth2_urls.oidc_urlpatterns
        if pattern.name != "oidc-connect-discovery-info"
    ],
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    # DOT's endpoints without its self-service application management, device flow
    # and dynamic registration: administrators register apps in the Wagtail admin.
    path("o/", include((oauth_provider_urlpatterns, "oauth2_provider"))),
    path("api/schema/", CachedSchemaView.as_view(), name="schema"),
    path(
        "api/docs/",
        # The split view serves its script from a URL, not inline (Content-Security-Policy).
        SpectacularSwaggerSplitView.as_view(url_name="schema"),
        name="swagger-ui",
    ),
    # Where the OAuth2 provider sends Swagger UI back after "Authorize" (the
    # authorization-code flow); register it as a redirect URI of the docs' app.
    path(
        "api/docs/oauth2-redirect.html",
        SpectacularSwaggerOauthRedirectView.as_view(),
        name="swagger-ui-oauth2-redirect",
    ),
    path("api/v2/", api_router.urls),
    path("api/", include("commerce.api.urls", namespace="commerce")),
    path("api/", include("customization.api.urls", namespace="customization")),
    path("api/", include("notify.api.urls", namespace="notify")),
    path("api/", include("home.api.urls", namespace="home")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]


def media_serve(request: HttpRequest, path: str) -> FileResponse:
    """Answer MEDIA_URL from MEDIA_ROOT as it is now (not as it was at import)."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)


if settings.MEDIA_SERVE:
    urlpatterns += [
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$",
            media_serve,
            name="media",
        )
    ]

urlpatterns += [path("", include(wagtail_urls))]
