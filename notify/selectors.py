from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from notify.models import Notification, NotificationPreference


def notification_list(*, user_id: int, unread: bool | None) -> QuerySet[Notification]:
    """The user's own notifications: unread first, then newest first."""
    queryset = Notification.objects.filter(recipient_id=user_id)
    if unread is True:
        queryset = queryset.filter(read_at=None)
    elif unread is False:
        queryset = queryset.exclude(read_at=None)
    return queryset.annotate(
        unread_first=ExpressionWrapper(Q(read_at=None), output_field=BooleanField())
    ).order_by("-unread_first", "-created_at", "-pk")


def notification_get(*, user_id: int, notification_id: int) -> Notification | None:
    return Notification.objects.filter(recipient_id=user_id, pk=notification_id).first()


def preference_get(*, user_id: int) -> NotificationPreference:
    return NotificationPreference.objects.filter(
        user_id=user_id
    ).first() or NotificationPreference(user_id=user_id)
