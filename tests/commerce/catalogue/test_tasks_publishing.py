"""Scheduled publishing and Wagtail's own background tasks run in the Huey worker."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.test import override_settings
from huey.contrib.djhuey import HUEY
from huey.storage import MemoryStorage
from wagtail.models import ReferenceIndex

from commerce.catalogue.models import ProductPage
from commerce.tasks import scheduled_revisions_publish_task
from customization.models import Customization
from tests.commerce.catalogue_factories import category_make, product_make
from tests.customization.builders import customization_make

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)
HUEY_TASKS = {
    "default": {
        "BACKEND": "huey.contrib.djhuey.tasks_backend.HueyBackend",
        "ENQUEUE_ON_COMMIT": True,
    }
}


def _schedule(instance, *, go_live_at, **changes):
    """What the editor's "Publish" does with a go-live time in the future."""
    draft = instance.get_latest_revision_as_object()
    for name, value in changes.items():
        setattr(draft, name, value)
    draft.go_live_at = go_live_at
    revision = draft.save_revision()
    revision.publish()
    return revision


def test_a_new_product_scheduled_a_minute_ahead_goes_live_when_the_task_runs():
    with time_machine.travel(NOW, tick=False) as clock:
        product = product_make(category_make(), title="Spring vase", publish=False)
        revision = _schedule(product, go_live_at=NOW + timedelta(minutes=1))
        revision.refresh_from_db()
        assert revision.approved_go_live_at == NOW + timedelta(minutes=1)

        scheduled_revisions_publish_task()
        assert ProductPage.objects.get(pk=product.pk).live is False

        clock.move_to(NOW + timedelta(minutes=1, seconds=5))
        scheduled_revisions_publish_task()

    product = ProductPage.objects.get(pk=product.pk)
    assert product.live is True
    assert product.live_revision_id == revision.pk


def test_a_scheduled_price_change_waits_for_its_time():
    with time_machine.travel(NOW, tick=False) as clock:
        product = product_make(category_make(), price="10.00")
        _schedule(product, go_live_at=NOW + timedelta(minutes=1), price=Decimal("8.00"))

        scheduled_revisions_publish_task()
        assert ProductPage.objects.get(pk=product.pk).price == Decimal("10.00")

        clock.shift(timedelta(minutes=2))
        scheduled_revisions_publish_task()

    assert ProductPage.objects.get(pk=product.pk).price == Decimal("8.00")


def test_a_scheduled_customization_snippet_is_published_by_the_same_task():
    with time_machine.travel(NOW, tick=False) as clock:
        customization = customization_make("button", name="Size")
        _schedule(customization, go_live_at=NOW + timedelta(minutes=1), name="Cup size")

        scheduled_revisions_publish_task()
        assert Customization.objects.get(pk=customization.pk).name == "Size"

        clock.shift(timedelta(minutes=1, seconds=1))
        scheduled_revisions_publish_task()

    assert Customization.objects.get(pk=customization.pk).name == "Cup size"


def test_the_publishing_task_runs_every_minute():
    for minute in (0, 1, 17, 59):
        due = HUEY.read_periodic(NOW.replace(minute=minute))
        assert scheduled_revisions_publish_task.task_class.__name__ in [
            type(task).__name__ for task in due
        ]


@pytest.fixture
def huey_queue(monkeypatch):
    """Huey queues tasks instead of running them, in memory, as a worker would see them."""
    monkeypatch.setattr(HUEY, "_immediate", False)
    monkeypatch.setattr(HUEY, "storage", MemoryStorage(HUEY.name))
    return HUEY


def test_wagtails_index_updates_are_queued_on_huey_after_commit(
    huey_queue, django_capture_on_commit_callbacks, monkeypatch
):
    category = category_make()
    with override_settings(TASKS=HUEY_TASKS):
        huey_queue.flush()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            product = product_make(category, images=1)
        assert huey_queue.pending_count() == 0  # nothing before the commit

        for callback in callbacks:
            callback()
        queued = huey_queue.pending()

    paths = [task.args[0] for task in queued if task.name.endswith("djtasks.run")]
    assert "wagtail.tasks.update_reference_index_task" in paths
    assert "modelsearch.tasks.insert_or_update_object_task" in paths  # search index
    assert not ReferenceIndex.get_references_for_object(product).exists()

    # A consumer closes the database connection around each task; inside the test's
    # transaction that would end the test, so run them the way immediate mode does.
    monkeypatch.setattr(huey_queue, "_immediate", True)
    for task in queued:
        huey_queue.execute(task)

    assert ReferenceIndex.get_references_for_object(product).exists()


def test_in_tests_and_with_huey_immediate_wagtail_tasks_run_inline():
    product = product_make(category_make(), images=1)

    assert ReferenceIndex.get_references_for_object(product).exists()
