"""Push through firebase-admin with Google's HTTP faked at the edge."""

import contextlib
import json

import pytest
import responses
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import transaction

from notify.models import DeviceToken, OutboxMessage
from notify.outbox import outbox_message_process
from notify.services import outbox_event_record
from notify.transports import push
from tests.commerce.factories import UserFactory

pytestmark = pytest.mark.django_db

PROJECT = "fantasize-test"
FCM_URL = f"https://fcm.googleapis.com/v1/projects/{PROJECT}/messages:send"
GOOD, GONE = "good-token-" + "a" * 20, "gone-token-" + "b" * 20


@pytest.fixture
def firebase(settings):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    settings.FIREBASE_MESSAGING_CREDENTIALS = json.dumps(
        {
            "type": "service_account",
            "project_id": PROJECT,
            "private_key_id": "test",
            "private_key": pem,
            "client_email": f"push@{PROJECT}.iam.gserviceaccount.com",
            "client_id": "1",
            "token_uri": "https://oauth2.googleapis.com/token",
        }
    )
    push.messaging_app.cache_clear()
    yield
    import firebase_admin

    with contextlib.suppress(ValueError):
        firebase_admin.delete_app(firebase_admin.get_app(push.APP_NAME))
    push.messaging_app.cache_clear()


def _fcm_reply(request):
    token = json.loads(request.body)["message"]["token"]
    if token == GONE:
        return (
            404,
            {},
            json.dumps(
                {
                    "error": {
                        "code": 404,
                        "message": "Requested entity was not found.",
                        "status": "NOT_FOUND",
                        "details": [
                            {
                                "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError",
                                "errorCode": "UNREGISTERED",
                            }
                        ],
                    }
                }
            ),
        )
    return 200, {}, json.dumps({"name": f"projects/{PROJECT}/messages/1"})


@responses.activate
def test_push_is_sent_and_an_unregistered_token_is_removed(firebase):
    responses.post(
        "https://oauth2.googleapis.com/token",
        json={"access_token": "ya29.test", "expires_in": 3600, "token_type": "Bearer"},
    )
    responses.add_callback(responses.POST, FCM_URL, callback=_fcm_reply)
    user = UserFactory()
    DeviceToken.objects.create(user=user, token=GOOD, platform="android")
    DeviceToken.objects.create(user=user, token=GONE, platform="ios")
    with transaction.atomic():
        message = outbox_event_record(
            topic="notify.push",
            payload={
                "user_id": user.pk,
                "title": "Order shipped",
                "body": "On its way",
                "data": {"order_id": "7"},
            },
        )

    outbox_message_process(message_id=message.pk)

    sent = [
        json.loads(call.request.body)["message"]
        for call in responses.calls
        if call.request.url == FCM_URL
    ]
    assert sorted(m["token"] for m in sent) == sorted([GOOD, GONE])
    assert sent[0]["notification"] == {"title": "Order shipped", "body": "On its way"}
    assert sent[0]["data"] == {"order_id": "7"}
    assert all(
        call.request.headers["Authorization"] == "Bearer ya29.test"
        for call in responses.calls
        if call.request.url == FCM_URL
    )
    assert list(DeviceToken.objects.values_list("token", flat=True)) == [GOOD]
    assert OutboxMessage.objects.get(pk=message.pk).status == "delivered"


@responses.activate
def test_a_push_that_fails_for_every_device_is_retried(firebase):
    responses.post(
        "https://oauth2.googleapis.com/token",
        json={"access_token": "ya29.test", "expires_in": 3600, "token_type": "Bearer"},
    )
    responses.post(FCM_URL, status=503, json={"error": {"status": "UNAVAILABLE"}})
    user = UserFactory()
    DeviceToken.objects.create(user=user, token=GOOD)
    with transaction.atomic():
        message = outbox_event_record(
            topic="notify.push",
            payload={"user_id": user.pk, "title": "t", "body": "b", "data": {}},
        )

    result = outbox_message_process(message_id=message.pk)

    assert result.status == "pending"
    assert result.retry_in is not None
    assert DeviceToken.objects.filter(token=GOOD).exists()
