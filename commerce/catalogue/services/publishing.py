"""Wagtail's scheduled publishing, run by the worker instead of a cron job."""

from io import StringIO

from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Revision


def scheduled_revisions_publish() -> int:
    """Publish every revision whose go-live time has passed and unpublish expired objects.

    Delegates to Wagtail's ``publish_scheduled`` command, which covers pages and every
    snippet with draft state (customizations, email templates); returns how many
    revisions were due.
    """
    due: int = Revision.objects.filter(approved_go_live_at__lte=timezone.now()).count()
    call_command("publish_scheduled", stdout=StringIO())
    return due
