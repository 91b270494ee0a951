"""Concurrent workers on one outbox row (PostgreSQL row locks)."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail
from django.db import connection, connections, transaction

from notify.models import OutboxMessage
from notify.outbox import outbox_message_process
from notify.services import outbox_event_record

pytestmark = [
    pytest.mark.usefixtures("committed_db"),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SKIP LOCKED row locks need PostgreSQL",
    ),
]


def test_eight_workers_on_one_row_send_one_email(monkeypatch):
    # Enqueueing is not under test here: keep the on-commit hook from running a task.
    monkeypatch.setattr("notify.services._enqueue", lambda message_id: None)
    with transaction.atomic():
        message = outbox_event_record(
            topic="notify.email",
            payload={"to": "ada@example.com", "subject": "Hi", "text": "x", "html": ""},
        )

    def work(_):
        try:
            return outbox_message_process(message_id=message.pk)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(8)))

    assert sum(result is not None for result in results) == 1
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.get(pk=message.pk).status == "delivered"
