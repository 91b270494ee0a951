"""Writing notifications: outbox rows, in-app rows, devices, preferences, templates.

Callers pass plain data (ids, strings, dicts); this app never imports the models of
the events it reports.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from notify.enums import EmailEvent
from notify.models import (
    Channel,
    DeviceToken,
    EmailTemplate,
    Notification,
    NotificationPreference,
    OutboxMessage,
    Webhook,
)
from notify.rendering import (
    default_content,
    email_render,
    sample_context,
    template_check,
)

EMAIL_TOPIC = "notify.email"
PUSH_TOPIC = "notify.push"
WEBHOOK_TOPIC = "notify.webhook"
TEMPLATE_PARTS = ("subject", "text", "html", "push")


def outbox_event_record(*, topic: str, payload: dict[str, Any]) -> OutboxMessage:
    """Write an event in the caller's transaction; it exists only if the change commits.

    Once committed, the row is queued for delivery; if the queue is down, the
    periodic re-drive delivers it later.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(
            "Record outbox events inside the transaction of their change."
        )
    message = OutboxMessage.objects.create(topic=topic, payload=payload)
    transaction.on_commit(lambda: _enqueue(message.pk))
    return message


def _enqueue(message_id: int) -> None:
    from notify.tasks import outbox_enqueue

    outbox_enqueue(message_id)


# NOTIFICATIONS


@dataclass(frozen=True)
class Recipient:
    user_id: int
    email: str
    name: str = ""
    language: str = ""


def recipients_for_users(user_ids: Iterable[int]) -> list[Recipient]:
    users = get_user_model().objects.filter(pk__in=list(user_ids), is_active=True)
    return [
        Recipient(user_id=user.pk, email=user.email, name=getattr(user, "name", ""))
        for user in users.order_by("pk")
    ]


def recipients_for_group(group_name: str) -> list[Recipient]:
    users = get_user_model().objects.filter(groups__name=group_name, is_active=True)
    return recipients_for_users(users.values_list("pk", flat=True))


def _preferences(user_ids: list[int]) -> dict[int, NotificationPreference]:
    return {
        preference.user_id: preference
        for preference in NotificationPreference.objects.filter(user_id__in=user_ids)
    }


def template_content(*, event: str, language: str = "") -> dict[str, Any]:
    """The administrator's template for ``event`` in ``language``, else the default."""
    languages = [language, settings.LANGUAGE_CODE.split("-")[0], "en"]
    stored: dict[str, dict[str, Any]] = {
        template.language: template.content
        for template in EmailTemplate.objects.filter(
            event=event, language__in=[code for code in languages if code]
        )
    }
    for code in languages:
        if code and code in stored:
            return stored[code]
    return default_content(event)


@transaction.atomic
def notification_send(
    *,
    recipients: Sequence[Recipient],
    event: str,
    context: dict[str, Any],
    channels: Iterable[str],
    data: dict[str, Any] | None = None,
) -> list[Notification]:
    """Notify each recipient on ``channels``, as far as their preferences allow.

    Writes one in-app row per recipient, and one outbox row per email and per push,
    rendered now from the event's template with ``context`` plus the recipient.
    """
    channels = set(channels)
    preferences = _preferences([r.user_id for r in recipients])
    contents: dict[str, dict[str, Any]] = {}  # one template lookup per language
    created = []
    for recipient in recipients:
        if recipient.language not in contents:
            contents[recipient.language] = template_content(
                event=event, language=recipient.language
            )
        preference = preferences.get(recipient.user_id)
        wants_email = preference is None or preference.email
        wants_push = preference is None or preference.push
        rendered = email_render(
            content=contents[recipient.language],
            context={
                **context,
                "user": {"name": recipient.name, "email": recipient.email},
                "shop": {
                    "name": settings.WAGTAIL_SITE_NAME,
                    "url": settings.WAGTAILADMIN_BASE_URL,
                },
            },
        )
        send_email = Channel.EMAIL in channels and wants_email and bool(recipient.email)
        send_push = Channel.PUSH in channels and wants_push and push_enabled()
        notification = Notification.objects.create(
            recipient_id=recipient.user_id,
            event=event,
            title=rendered["subject"],
            body=rendered["push"] or rendered["text"],
            data=data or {},
            channels=[
                channel
                for channel, used in (
                    (Channel.IN_APP, Channel.IN_APP in channels),
                    (Channel.EMAIL, send_email),
                    (Channel.PUSH, send_push),
                )
                if used
            ],
        )
        if send_email:
            outbox_event_record(
                topic=EMAIL_TOPIC,
                payload={
                    "to": recipient.email,
                    "subject": rendered["subject"],
                    "text": rendered["text"],
                    "html": rendered["html"],
                    "notification_id": notification.pk,
                },
            )
        if send_push:
            outbox_event_record(
                topic=PUSH_TOPIC,
                payload={
                    "user_id": recipient.user_id,
                    "title": rendered["subject"],
                    "body": rendered["push"] or rendered["subject"],
                    "data": {
                        **{k: str(v) for k, v in (data or {}).items()},
                        "notification_id": str(notification.pk),
                    },
                },
            )
        created.append(notification)
    return created


NOTIFICATION_TOPIC = "notify.notification"


def notification_enqueue(
    *,
    event: str,
    context: dict[str, Any],
    channels: Iterable[str],
    user_ids: Sequence[int] = (),
    groups: Sequence[str] = (),
    data: dict[str, Any] | None = None,
) -> OutboxMessage:
    """Record a notification for later: rendered and written by its own delivery.

    An event handler that notifies several audiences calls this once per audience,
    so a template or recipient that fails delays only that notification, never the
    webhooks, plugin calls or other notifications of the same event. Recipients are
    ``user_ids`` plus the active members of ``groups``, each once, resolved when the
    notification is delivered.
    """
    return outbox_event_record(
        topic=NOTIFICATION_TOPIC,
        payload={
            "event": event,
            "context": context,
            "channels": sorted(set(channels)),
            "user_ids": list(user_ids),
            "groups": list(groups),
            "data": data or {},
        },
    )


def notification_deliver(payload: dict[str, Any]) -> list[Notification]:
    """The delivery of a ``notification_enqueue`` row."""
    user_ids = list(payload.get("user_ids") or [])
    for group in payload.get("groups") or []:
        user_ids += [recipient.user_id for recipient in recipients_for_group(group)]
    return notification_send(
        recipients=recipients_for_users(dict.fromkeys(user_ids)),
        event=payload["event"],
        context=payload.get("context") or {},
        channels=payload.get("channels") or [],
        data=payload.get("data") or None,
    )


def email_message_send(
    *, to: str, subject: str, text: str, html: str = ""
) -> OutboxMessage:
    """Queue one email that is already written through the outbox (no template).

    For messages to staff about their own work, such as a finished export; a mail
    failure is retried like any outbox row. Call inside the caller's transaction.
    """
    return outbox_event_record(
        topic=EMAIL_TOPIC,
        payload={"to": to, "subject": subject, "text": text, "html": html},
    )


def email_send(
    *, to: str, event: str, context: dict[str, Any], language: str = ""
) -> OutboxMessage:
    """Queue one account email (reset links, address confirmations) through the outbox.

    Unlike ``notification_send`` it writes no in-app row and ignores the recipient's
    notification preferences: the message is about the account itself, and may go
    to an address that has no account yet. Call inside the caller's transaction.
    """
    rendered = email_render(
        content=template_content(event=event, language=language),
        context={
            **context,
            "shop": {
                "name": settings.WAGTAIL_SITE_NAME,
                "url": settings.WAGTAILADMIN_BASE_URL,
            },
        },
    )
    return outbox_event_record(
        topic=EMAIL_TOPIC,
        payload={
            "to": to,
            "subject": rendered["subject"],
            "text": rendered["text"],
            "html": rendered["html"],
        },
    )


def push_enabled() -> bool:
    return bool(settings.FIREBASE_MESSAGING_CREDENTIALS)


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user_id: int) -> int:
    return Notification.objects.filter(recipient_id=user_id, read_at=None).update(
        read_at=timezone.now()
    )


def preference_update(*, user_id: int, data: dict[str, bool]) -> NotificationPreference:
    preference, _ = NotificationPreference.objects.get_or_create(user_id=user_id)
    for field in ("email", "push"):
        if field in data:
            setattr(preference, field, data[field])
    preference.save()
    return preference


# DEVICES


def device_register(*, user_id: int, token: str, platform: str) -> DeviceToken:
    """Register ``token`` for the user; a token moves to whoever registers it last."""
    device, _ = DeviceToken.objects.update_or_create(
        token=token,
        defaults={
            "user_id": user_id,
            "platform": platform,
            "last_seen_at": timezone.now(),
        },
    )
    return device


def device_unregister(*, user_id: int, token: str) -> bool:
    deleted, _ = DeviceToken.objects.filter(user_id=user_id, token=token).delete()
    return bool(deleted)


def devices_remove(*, tokens: Iterable[str]) -> int:
    """Forget tokens that Firebase reported as unregistered."""
    deleted, _ = DeviceToken.objects.filter(token__in=list(tokens)).delete()
    return deleted


# EMAIL TEMPLATES


def template_content_validate(
    content: dict[str, Any], *, event: str = ""
) -> dict[str, str]:
    """Keep the known parts as strings; refuse templates that would not render.

    Each part must parse, use no include/import/extends, and render the sample data
    of ``event`` within the rendering budget (notify.rendering), so a template that
    raises or runs away is refused here and never reaches a send.
    """
    if not isinstance(content, dict):
        raise ValidationError({"content": ["Expected an object."]})
    context = sample_context(event)
    cleaned, errors = {}, {}
    for part in TEMPLATE_PARTS:
        source = content.get(part, "")
        if not isinstance(source, str):
            errors[part] = ["Expected text."]
            continue
        problem = template_check(source, context=context)
        if problem:
            errors[part] = [f"Template error: {problem}"]
        cleaned[part] = source
    if not cleaned.get("subject"):
        errors.setdefault("subject", ["A subject is required."])
    if errors:
        raise ValidationError(errors)
    return cleaned


def email_templates_defaults_create() -> int:
    """Store the built-in English templates that are not in the database yet."""
    created = 0
    for event in EmailEvent.values:
        _, was_created = EmailTemplate.objects.get_or_create(
            event=event, language="en", defaults={"content": default_content(event)}
        )
        created += was_created
    return created


# WEBHOOKS

_WEBHOOK_EVENTS: list[str] = []


def webhook_events_register(*names: str) -> None:
    """Add event names a webhook may subscribe to; the app that publishes them calls this.

    This app knows no event of its own: the list the webhook admin offers is what
    the publishing apps registered at start-up, in registration order.
    """
    for name in names:
        if name not in _WEBHOOK_EVENTS:
            _WEBHOOK_EVENTS.append(name)


def webhook_events() -> list[str]:
    return list(_WEBHOOK_EVENTS)


def webhooks_publish(*, event: str, payload: dict[str, Any]) -> int:
    """Queue one signed delivery per active webhook subscribed to ``event``."""
    count = 0
    for webhook in Webhook.objects.filter(is_active=True).order_by("pk"):
        if event in webhook.events or "*" in webhook.events:
            outbox_event_record(
                topic=WEBHOOK_TOPIC,
                payload={"webhook_id": webhook.pk, "event": event, "data": payload},
            )
            count += 1
    return count


# BROADCASTS FROM STAFF

BROADCAST_TOPIC = "notify.broadcast"
CUSTOMER_GROUP = "customer"


def broadcast_recipient_ids(
    *, user: int | None, role: str | None, all_customers: bool
) -> list[int]:
    users = get_user_model().objects.filter(is_active=True)
    if user is not None:
        users = users.filter(pk=user)
    elif role:
        users = users.filter(groups__name=role)
    elif all_customers:
        users = users.filter(groups__name=CUSTOMER_GROUP)
    else:
        return []
    return list(users.order_by("pk").values_list("pk", flat=True))


@transaction.atomic
def notification_broadcast(
    *,
    sender_id: int,
    title: str,
    body: str,
    data: dict[str, str],
    channels: Iterable[str],
    user: int | None = None,
    role: str | None = None,
    all_customers: bool = False,
) -> int:
    """Queue a staff message to a user, a role or all customers; returns the count.

    Unknown users or roles are refused. The rows are written by the worker in batches,
    so a message to every customer does not hold the request.
    """
    from django.contrib.auth.models import Group

    if user is not None and not get_user_model().objects.filter(pk=user).exists():
        raise ValidationError({"user": ["Unknown user."]})
    if role and not Group.objects.filter(name=role).exists():
        raise ValidationError({"role": ["Unknown role."]})
    recipient_ids = broadcast_recipient_ids(
        user=user, role=role, all_customers=all_customers
    )
    for start in range(0, len(recipient_ids), BROADCAST_BATCH):
        outbox_event_record(
            topic=BROADCAST_TOPIC,
            payload={
                "sender_id": sender_id,
                "recipient_ids": recipient_ids[start : start + BROADCAST_BATCH],
                "title": title,
                "body": body,
                "data": data,
                "channels": sorted(channels),
            },
        )
    return len(recipient_ids)


BROADCAST_BATCH = 500


@dataclass(frozen=True)
class BroadcastPreview:
    """What a broadcast would send, before it is sent."""

    recipients: int
    subject: str
    push: str
    text: str
    html: str
    channels: list[str]


def notification_broadcast_preview(
    *,
    title: str,
    body: str,
    channels: Iterable[str],
    user: int | None = None,
    role: str | None = None,
    all_customers: bool = False,
) -> BroadcastPreview:
    """The announcement as the first recipient would get it, and how many would.

    Uses the announcement template and the context ``broadcast_deliver`` uses;
    nothing is written.
    """
    recipient_ids = broadcast_recipient_ids(
        user=user, role=role, all_customers=all_customers
    )
    first = recipients_for_users(recipient_ids[:1])
    person = (
        {"name": first[0].name, "email": first[0].email}
        if first
        else {"name": "", "email": ""}
    )
    rendered = email_render(
        content=template_content(event=EmailEvent.ANNOUNCEMENT),
        context={
            "title": title,
            "body": body,
            "user": person,
            "shop": {
                "name": settings.WAGTAIL_SITE_NAME,
                "url": settings.WAGTAILADMIN_BASE_URL,
            },
        },
    )
    return BroadcastPreview(
        recipients=len(recipient_ids),
        subject=rendered["subject"],
        push=rendered["push"] or rendered["text"],
        text=rendered["text"],
        html=rendered["html"],
        channels=sorted(channels),
    )


def broadcast_deliver(payload: dict[str, Any]) -> None:
    notification_send(
        recipients=recipients_for_users(payload["recipient_ids"]),
        event=EmailEvent.ANNOUNCEMENT,
        context={"title": payload["title"], "body": payload["body"]},
        channels=payload["channels"],
        data=payload["data"],
    )


# A webhook subscribed to this receives every event.
WEBHOOK_ALL_EVENTS = "*"


def webhook_validate(*, url: str, secret: str, events: Sequence[str]) -> None:
    """The rules of a webhook, whoever saves it (the admin form or ``webhook_save``).

    The URL must reach a public address (or an allowed network), the secret must not
    be blank, and every event must be one of webhook_events() or "*". Broken rules are
    one ValidationError keyed by field.
    """
    from notify.http import UnsafeUrlError, url_check

    errors: dict[str, list[str]] = {}
    try:
        url_check(url)
    except UnsafeUrlError as error:
        errors["url"] = [str(error)]
    if not (secret or "").strip():
        errors["secret"] = ["Give a shared secret for the signature."]
    known = {WEBHOOK_ALL_EVENTS, *webhook_events()}
    unknown = [event for event in events if event not in known]
    if not events:
        errors["events"] = ["Choose at least one event."]
    elif unknown:
        errors["events"] = [f"Unknown events: {', '.join(map(str, unknown))}."]
    if errors:
        raise ValidationError(errors)


def webhook_save(*, webhook: Webhook, data: dict[str, Any]) -> Webhook:
    """Create or change an endpoint; targets on non-public networks are refused."""
    for field, value in data.items():
        setattr(webhook, field, value)
    webhook_validate(url=webhook.url, secret=webhook.secret, events=webhook.events)
    webhook.full_clean()
    webhook.save()
    return webhook
