from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from commerce.cart.services import carts_guest_expired_delete
from commerce.catalogue.api.cards import cards_render_stale
from commerce.catalogue.services.offers import offer_prices_refresh
from commerce.catalogue.services.publishing import scheduled_revisions_publish
from commerce.reports.services.exports import export_job_run
from commerce.returns.services import orders_return_window_complete


@db_task(retries=2, retry_delay=30)
def export_job_run_task(job_id: str) -> None:
    """Build an export file; idempotent (a finished job is left as it is)."""
    export_job_run(job_id=job_id)


@db_task(retries=2, retry_delay=30)
def catalogue_cards_render_task(page_ids: list[int] | None) -> int:
    """After a catalogue change: its items' cards (None: every card) rendered again."""
    return cards_render_stale(page_ids=page_ids)


@db_periodic_task(crontab(minute="*/10"))
def catalogue_cards_sweep_task() -> int:
    """Every 10 minutes: cards still stale (a render that failed) rendered again."""
    return cards_render_stale()


@db_periodic_task(crontab(minute="*"))
def scheduled_revisions_publish_task() -> int:
    """Every minute: pages and snippets scheduled to go live are published."""
    return scheduled_revisions_publish()


@db_periodic_task(crontab(minute="*"))
def offer_prices_refresh_task() -> int:
    """Every minute: offers that started or ended since change the catalogue's prices."""
    return offer_prices_refresh()


@db_periodic_task(crontab(minute="17"))
def guest_carts_expired_delete_task() -> int:
    """Hourly: guest carts unchanged for CART_GUEST_TTL_DAYS are deleted."""
    return carts_guest_expired_delete()


@db_periodic_task(crontab(minute="23"))
def orders_return_window_complete_task() -> int:
    """Hourly: delivered orders whose return window passed without a return complete."""
    return orders_return_window_complete()
