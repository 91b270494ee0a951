"""Email through Django's mail API; django-anymail's backend picks the ESP."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from notify.models import OutboxMessage
from notify.transports.base import Transport


class EmailTransport(Transport):
    topic = "notify.email"

    def send(self, message: OutboxMessage) -> None:
        payload = message.payload
        email = EmailMultiAlternatives(
            subject=payload["subject"],
            body=payload["text"],
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[payload["to"]],
            # The same id on every attempt lets receiving systems drop a duplicate if
            # a worker dies between the ESP accepting the mail and the row's commit.
            headers={"Message-ID": f"<outbox-{message.pk}@{settings.EMAIL_DOMAIN}>"},
        )
        if payload.get("html"):
            email.attach_alternative(payload["html"], "text/html")
        email.send(fail_silently=False)
