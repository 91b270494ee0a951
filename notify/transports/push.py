"""Push through Firebase Cloud Messaging (HTTP v1) with firebase-admin."""

import json
import logging
from functools import cache

import firebase_admin
from django.conf import settings
from firebase_admin import credentials, messaging

from notify.models import DeviceToken, OutboxMessage
from notify.services import devices_remove
from notify.transports.base import Transport

logger = logging.getLogger(__name__)
APP_NAME = "fantasize-messaging"
BATCH = 500  # FCM's limit per send_each call


@cache
def messaging_app() -> firebase_admin.App:
    """The Firebase app used for messaging, from the service account settings."""
    raw: str = settings.FIREBASE_MESSAGING_CREDENTIALS or ""
    info = json.loads(raw) if raw.lstrip().startswith("{") else raw
    try:
        return firebase_admin.get_app(APP_NAME)
    except ValueError:
        return firebase_admin.initialize_app(
            credentials.Certificate(info), name=APP_NAME
        )


class PushError(Exception):
    pass


class PushTransport(Transport):
    topic = "notify.push"

    def send(self, message: OutboxMessage) -> None:
        payload = message.payload
        tokens = list(
            DeviceToken.objects.filter(user_id=payload["user_id"]).values_list(
                "token", flat=True
            )
        )
        failed = []
        for start in range(0, len(tokens), BATCH):
            batch = tokens[start : start + BATCH]
            response = messaging.send_each_for_multicast(
                messaging.MulticastMessage(
                    tokens=batch,
                    notification=messaging.Notification(
                        title=payload["title"], body=payload["body"]
                    ),
                    data=payload.get("data") or {},
                ),
                app=messaging_app(),
            )
            gone = []
            for token, result in zip(batch, response.responses, strict=True):
                if result.success:
                    continue
                if isinstance(
                    result.exception,
                    messaging.UnregisteredError | messaging.SenderIdMismatchError,
                ):
                    gone.append(token)
                else:
                    failed.append(token)
                    logger.warning(
                        "push to …%s failed: %s", token[-8:], result.exception
                    )
            if gone:
                devices_remove(tokens=gone)
        if failed and len(failed) == len(tokens):
            raise PushError(f"Push failed for all {len(failed)} device(s).")
