from wagtail import hooks

from commerce.oauth_admin import OAuthApplicationViewSet
from commerce.plugins.viewsets import PluginConfigurationViewSet


@hooks.register("register_admin_viewset")
def oauth_application_viewset_register() -> OAuthApplicationViewSet:
    return OAuthApplicationViewSet()


@hooks.register("register_admin_viewset")
def plugin_viewset_register() -> PluginConfigurationViewSet:
    return PluginConfigurationViewSet("plugins")
