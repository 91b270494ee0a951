from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from customization.services import uploads_expired_delete


@db_periodic_task(crontab(minute="17"))
def upload_expired_delete_task() -> int:
    """Hourly: remove customer uploads that expired unused."""
    return uploads_expired_delete()
