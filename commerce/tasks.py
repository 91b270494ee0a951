from huey.contrib.djhuey import db_task

from commerce.services.exports import export_job_run


@db_task(retries=2, retry_delay=30)
def export_job_run_task(job_id: str) -> None:
    """Build an export file; idempotent (a finished job is left as it is)."""
    export_job_run(job_id=job_id)
