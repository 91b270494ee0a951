from django.db import models


class PluginConfiguration(models.Model):
    """An administrator's switch and settings for one plugin from settings.PLUGINS."""

    identifier = models.CharField(max_length=100, unique=True)
    active = models.BooleanField(default=True)
    configuration = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["identifier"]

    def __str__(self) -> str:
        return self.identifier
