"""Saleor-style plugins: classes listed in ``settings.PLUGINS``.

Chained hooks get the previous plugin's value and return a new one (prices,
validation); events arrive after commit through the outbox, once per plugin.
Administrators enable, disable and configure plugins in the admin
(:class:`commerce.models.PluginConfiguration`).
"""

from commerce.plugins.base import BasePlugin, PluginValidationError
from commerce.plugins.manager import PluginManager, plugin_manager

__all__ = ["BasePlugin", "PluginManager", "PluginValidationError", "plugin_manager"]
