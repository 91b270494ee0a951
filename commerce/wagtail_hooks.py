from wagtail import hooks

from commerce.oauth_admin import OAuthApplicationViewSet


@hooks.register("register_admin_viewset")
def oauth_application_viewset_register() -> OAuthApplicationViewSet:
    return OAuthApplicationViewSet()
