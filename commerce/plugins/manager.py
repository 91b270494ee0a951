from functools import cache
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

from commerce.plugins.base import BasePlugin

EVENTS = (
    "order_created",
    "order_status_changed",
    "order_payment_status_changed",
    "product_published",
    "customer_created",
)


@cache
def plugin_classes() -> dict[str, type[BasePlugin]]:
    classes: dict[str, type[BasePlugin]] = {}
    for path in settings.PLUGINS:
        plugin_class = import_string(path)
        if not (
            isinstance(plugin_class, type) and issubclass(plugin_class, BasePlugin)
        ):
            raise TypeError(f"{path} is not a BasePlugin subclass.")
        if not plugin_class.identifier:
            raise TypeError(f"{path} has no identifier.")
        classes[plugin_class.identifier] = plugin_class
    return classes


@receiver(setting_changed)
def _plugins_reload(*, setting: str, **kwargs: object) -> None:
    if setting == "PLUGINS":
        plugin_classes.cache_clear()


class PluginManager:
    """The active plugins, in settings order, with their stored configuration."""

    def __init__(self) -> None:
        from commerce.plugins.models import PluginConfiguration

        classes = plugin_classes()
        stored = {
            config.identifier: config
            for config in PluginConfiguration.objects.filter(identifier__in=classes)
        }
        self.plugins: list[BasePlugin] = []
        for identifier, plugin_class in classes.items():
            config = stored.get(identifier)
            active = config.active if config else plugin_class.default_active
            if active:
                configuration = {
                    **plugin_class.default_configuration,
                    **(config.configuration if config else {}),
                }
                self.plugins.append(plugin_class(configuration=configuration))

    def chain(self, hook: str, value: Any, **kwargs: Any) -> Any:
        for plugin in self.plugins:
            value = getattr(plugin, hook)(value, **kwargs)
        return value

    def plugin(self, identifier: str) -> BasePlugin | None:
        return next((p for p in self.plugins if p.identifier == identifier), None)


def plugin_manager() -> PluginManager:
    if not settings.PLUGINS:
        return _EMPTY
    return PluginManager()


class _EmptyManager(PluginManager):
    def __init__(self) -> None:
        self.plugins = []


_EMPTY = _EmptyManager()
