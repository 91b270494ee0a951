"""Plugins: Saleor-style extensions, classes listed in ``settings.PLUGINS``.

Owns the plugin manager, the hooks and the admin that configures plugins; imports
no other domain package, so every package may call its hooks.

Chained hooks get the previous plugin's value and return a new one (prices,
validation); events arrive after commit through the outbox, once per plugin.
Administrators enable, disable and configure plugins in the admin
(:class:`commerce.models.PluginConfiguration`).
"""

from commerce.plugins.base import (
    BasePlugin,
    PluginResultError,
    PluginValidationError,
)
from commerce.plugins.manager import PluginManager, plugin_manager

__all__ = [
    "BasePlugin",
    "PluginManager",
    "PluginResultError",
    "PluginValidationError",
    "plugin_manager",
]
