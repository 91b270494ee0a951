"""Admin-authored email templates render from plain data only."""

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.exceptions import ValidationError

from notify.models import EmailTemplate
from notify.rendering import RENDER_ERROR, email_render
from notify.services import Recipient, notification_send, template_content_validate
from tests.commerce.factories import UserFactory
from tests.notify.helpers import outbox_drain

pytestmark = pytest.mark.django_db

CONTEXT = {"order": {"number": "FNT-1", "total": "9.00"}, "user": {"email": "a@b.c"}}


@pytest.mark.parametrize(
    "source",
    [
        "{{ settings.SECRET_KEY }}",
        "{{ config }}{{ request }}{{ settings }}{{ django }}",
        "{{ order.__class__.__mro__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ order.items() }}",
        "{{ order.number.upper.__globals__ }}",
        "{{ cycler.__init__.__globals__.os.environ }}",
        "{{ lipsum.__globals__['os'].popen('id').read() }}",
        "{% for c in [].__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
        "{{ order.update({'number': 'x'}) }}",
    ],
)
def test_a_template_cannot_reach_settings_objects_or_methods(source):
    rendered = email_render(
        content={"subject": source, "text": source, "html": source, "push": source},
        context=CONTEXT,
    )

    for part in rendered.values():
        assert django_settings.SECRET_KEY not in part
        assert "class" not in part
        assert "subclasses" not in part
        assert "uid=" not in part
        assert "environ" not in part
        assert part.strip() in {"", RENDER_ERROR}


def test_html_is_escaped_and_text_is_not():
    rendered = email_render(
        content={"subject": "{{ name }}", "text": "{{ name }}", "html": "{{ name }}"},
        context={"name": "<script>alert(1)</script>"},
    )

    assert rendered["html"] == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert rendered["text"] == "<script>alert(1)</script>"


def test_objects_passed_as_context_arrive_as_plain_strings():
    user = UserFactory(email="ada@example.com")

    rendered = email_render(
        content={"subject": "{{ user.email }}|{{ user.password }}"},
        context={"user": user},
    )

    assert rendered["subject"].strip() in {"|", ""}
    assert (
        "ada@example.com" not in rendered["subject"]
        or "pbkdf2" not in rendered["subject"]
    )


def test_a_template_with_a_syntax_error_is_refused_on_save():
    with pytest.raises(ValidationError) as refused:
        template_content_validate({"subject": "{% if %}", "text": "", "html": ""})

    assert "subject" in refused.value.message_dict


def test_an_edited_template_is_used_per_language_with_fallback():
    EmailTemplate.objects.update_or_create(
        event="order_placed",
        language="en",
        defaults={
            "content": {
                "subject": "Thanks for {{ order.number }}",
                "text": "t",
                "html": "<b>{{ order.number }}</b>",
                "push": "p",
            }
        },
    )
    EmailTemplate.objects.create(
        event="order_placed",
        language="de",
        content={"subject": "Danke für {{ order.number }}", "text": "t", "html": ""},
    )
    ada, bob = UserFactory(), UserFactory()
    from django.db import transaction

    with transaction.atomic():
        notification_send(
            recipients=[
                Recipient(user_id=ada.pk, email=ada.email, language="de"),
                Recipient(user_id=bob.pk, email=bob.email, language="fr"),
            ],
            event="order_placed",
            context=CONTEXT,
            channels=["in_app", "email"],
        )
    outbox_drain()

    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects == {ada.email: "Danke für FNT-1", bob.email: "Thanks for FNT-1"}
    html = next(m for m in mail.outbox if m.to[0] == bob.email).alternatives[0]
    assert html.content == "<b>FNT-1</b>"


def test_the_admin_previews_a_template_with_sample_data(client):
    admin = UserFactory(role="administrator")
    client.force_login(admin)
    template = EmailTemplate.objects.get(event="order_placed", language="en")

    response = client.post(
        f"/admin/snippets/notify/emailtemplate/preview/{template.pk}/",
        {
            "event": "order_placed",
            "language": "en",
            "subject": "Preview {{ order.number }}",
            "text_body": "Total {{ order.total }}",
            "html_body": "<p>{{ user.name }}</p>",
            "push": "",
        },
    )
    assert response.status_code == 200, response.content[:500]
    assert response.json()["is_valid"] is True
    page = client.get(f"/admin/snippets/notify/emailtemplate/preview/{template.pk}/")

    assert page.status_code == 200
    body = page.content.decode()
    assert "Preview FNT-00001234" in body
    assert "Total 42.50" in body
    assert "&lt;p&gt;Ada Lovelace&lt;/p&gt;" in body or "<p>Ada Lovelace</p>" in body
