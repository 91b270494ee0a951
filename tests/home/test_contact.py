"""The "Contact us" page: Wagtail's form builder, outbox emails, a rate limit, JSON API."""

import pytest
from django.core import mail
from django.test import Client, override_settings
from rest_framework.test import APIClient
from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import Page
from wagtail.test.utils.form_data import querydict_from_html

from home.models import ContactFormField, ContactPage, HomePage
from home.services import contact_page_demo_ensure
from notify.models import OutboxMessage, OutboxStatus

pytestmark = pytest.mark.django_db

STAFF = "support@example.com, sales@example.com"
MESSAGE = {"name": "Ada", "email": "ada@example.com", "message": "Do you ship to Oslo?"}


def _contact_page(
    *, live: bool = True, to_address: str = STAFF, slug: str = "contact"
) -> ContactPage:
    page = ContactPage(
        title="Contact us",
        slug=slug,
        intro="<p>Write to us.</p>",
        thank_you_text="Thanks, we will answer within a day.",
        to_address=to_address,
        subject="New contact message",
        live=live,
    )
    page.form_fields = [
        ContactFormField(label="Name", field_type="singleline", required=True),
        ContactFormField(label="Email", field_type="email", required=True),
        ContactFormField(label="Message", field_type="multiline", required=True),
        ContactFormField(
            label="Topic",
            field_type="dropdown",
            required=False,
            choices="Orders\nCustom pieces",
            help_text="What is it about?",
        ),
    ]
    HomePage.objects.get().add_child(instance=page)
    if live:
        page.save_revision().publish()
    return page


@pytest.fixture
def page() -> ContactPage:
    return _contact_page()


def _url(page: Page) -> str:
    return page.get_url()


# THE PAGE


def test_the_page_renders_its_form(page):
    response = Client().get(_url(page))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Write to us." in html
    for name in ("name", "email", "message", "topic"):
        assert f'name="{name}"' in html
    assert "csrfmiddlewaretoken" in html


def test_a_valid_submission_is_stored_and_emailed_to_staff_through_the_outbox(
    page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(_url(page), {**MESSAGE, "topic": "Orders"})

    assert response.status_code == 200
    assert "Thanks, we will answer within a day." in response.content.decode()
    submission = FormSubmission.objects.get(page=page)
    assert submission.form_data == {**MESSAGE, "topic": "Orders"}
    rows = OutboxMessage.objects.filter(topic="notify.email").order_by("pk")
    assert [row.payload["to"] for row in rows] == [
        "support@example.com",
        "sales@example.com",
    ]
    assert {row.status for row in rows} == {OutboxStatus.DELIVERED}
    assert sorted(m.to[0] for m in mail.outbox) == [
        "sales@example.com",
        "support@example.com",
    ]
    assert mail.outbox[0].subject == "New contact message"
    assert "Message: Do you ship to Oslo?" in mail.outbox[0].body
    assert "Email: ada@example.com" in mail.outbox[0].body


def test_the_email_waits_for_the_commit(page):
    # Without the commit (the test's transaction stays open), nothing is queued yet.
    Client().post(_url(page), MESSAGE)

    assert OutboxMessage.objects.filter(topic="notify.email").count() == 2
    assert mail.outbox == []


def test_a_page_without_recipients_only_stores_the_message(
    django_capture_on_commit_callbacks,
):
    page = _contact_page(to_address="")

    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(_url(page), MESSAGE)

    assert response.status_code == 200
    assert FormSubmission.objects.filter(page=page).count() == 1
    assert not OutboxMessage.objects.filter(topic="notify.email").exists()
    assert mail.outbox == []


def test_an_invalid_submission_shows_the_errors_and_stores_nothing(page):
    response = Client().post(
        _url(page), {"name": "", "email": "not-an-address", "topic": "Nothing"}
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"name", "email", "message", "topic"}
    html = response.content.decode()
    assert "Enter a valid email address." in html
    assert "This field is required." in html
    assert not FormSubmission.objects.exists()
    assert not OutboxMessage.objects.exists()


@override_settings(CONTACT_RATE="2/hour")
def test_the_form_refuses_an_address_over_the_limit(page):
    client = Client()
    for _ in range(2):
        assert client.post(_url(page), MESSAGE).status_code == 200

    response = client.post(_url(page), MESSAGE)

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many messages from your address" in response.content.decode()
    assert FormSubmission.objects.count() == 2
    # Another address is not limited.
    other = Client(REMOTE_ADDR="203.0.113.9").post(_url(page), MESSAGE)
    assert other.status_code == 200


@override_settings(CONTACT_RATE="1/hour")
def test_invalid_submissions_do_not_use_up_the_limit(page):
    client = Client()
    assert client.post(_url(page), {"name": "Ada"}).status_code == 200

    assert client.post(_url(page), MESSAGE).status_code == 200
    assert FormSubmission.objects.count() == 1


@override_settings(CONTACT_RATE="1/hour", TRUSTED_PROXY_COUNT=1)
def test_the_limit_follows_the_client_address_behind_a_trusted_proxy(page):
    first = Client(HTTP_X_FORWARDED_FOR="198.51.100.1")
    second = Client(HTTP_X_FORWARDED_FOR="198.51.100.2")

    assert first.post(_url(page), MESSAGE).status_code == 200
    assert second.post(_url(page), MESSAGE).status_code == 200
    assert first.post(_url(page), MESSAGE).status_code == 429


# THE API


def test_the_api_describes_the_form(page):
    response = APIClient().get(f"/api/contact/{page.pk}")

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == page.pk
    assert body["title"] == "Contact us"
    assert body["intro"] == "<p>Write to us.</p>"
    assert body["fields"][0] == {
        "name": "name",
        "label": "Name",
        "field_type": "singleline",
        "required": True,
        "choices": [],
        "help_text": "",
        "default": "",
    }
    assert [field["name"] for field in body["fields"]] == [
        "name",
        "email",
        "message",
        "topic",
    ]
    assert body["fields"][3]["choices"] == ["Orders", "Custom pieces"]
    assert body["fields"][3]["help_text"] == "What is it about?"


def test_the_api_stores_and_emails_a_message(page, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = APIClient().post(f"/api/contact/{page.pk}", MESSAGE, format="json")

    assert response.status_code == 201
    assert response.json() == {"message": "Thanks, we will answer within a day."}
    assert FormSubmission.objects.get(page=page).form_data == {**MESSAGE, "topic": ""}
    assert sorted(m.to[0] for m in mail.outbox) == [
        "sales@example.com",
        "support@example.com",
    ]


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"name", "email", "message"}),
        ({**MESSAGE, "email": "nope"}, {"email"}),
        ({**MESSAGE, "topic": "Weather"}, {"topic"}),
        ({**MESSAGE, "name": ["Ada"]}, {"name"}),
        ({**MESSAGE, "message": {"text": "hi"}}, {"message"}),
        ({**MESSAGE, "name": "x" * 256}, {"name"}),
        ({**MESSAGE, "name": "nul\x00byte"}, {"name"}),
    ],
)
def test_the_api_answers_field_errors(page, body, errors):
    response = APIClient().post(f"/api/contact/{page.pk}", body, format="json")

    assert response.status_code == 400, response.content
    assert set(response.json()["errors"]) == errors
    assert not FormSubmission.objects.exists()
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize("body", ['["a list"]', '"text"', "3", "{not json"])
def test_the_api_refuses_a_body_that_is_not_an_object(page, body):
    response = APIClient().post(
        f"/api/contact/{page.pk}", body, content_type="application/json"
    )

    assert response.status_code == 400
    assert not FormSubmission.objects.exists()


def test_the_api_takes_json_only(page):
    response = APIClient().post(f"/api/contact/{page.pk}", MESSAGE)

    assert response.status_code == 415


def test_unknown_and_unpublished_pages_are_not_found(page):
    draft = _contact_page(live=False, slug="draft")
    home = HomePage.objects.get()
    client = APIClient()

    for page_id in (draft.pk, home.pk, 999999):
        assert client.get(f"/api/contact/{page_id}").status_code == 404
        response = client.post(f"/api/contact/{page_id}", MESSAGE, format="json")
        assert response.status_code == 404
    assert not FormSubmission.objects.exists()


@override_settings(CONTACT_RATE="1/hour")
def test_the_api_answers_429_over_the_limit_shared_with_the_form(page):
    client = APIClient()
    assert Client().post(_url(page), MESSAGE).status_code == 200

    response = client.post(f"/api/contact/{page.pk}", MESSAGE, format="json")

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["status"] == 429
    assert FormSubmission.objects.count() == 1


def test_the_api_ignores_bearer_tokens(page):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")

    response = client.post(f"/api/contact/{page.pk}", MESSAGE, format="json")

    assert response.status_code == 201


# THE ADMIN


def test_the_manager_can_add_and_edit_a_contact_page(manager, page):
    client = Client()
    client.force_login(manager)
    home = HomePage.objects.get()

    add = client.get(f"/admin/pages/add/home/contactpage/{home.pk}/")
    edit = client.get(f"/admin/pages/{page.pk}/edit/")
    submissions = client.get(f"/admin/forms/submissions/{page.pk}/")

    assert add.status_code == 200
    assert edit.status_code == 200
    assert "Form fields" in edit.content.decode()
    assert submissions.status_code == 200


def test_the_manager_creates_a_contact_page_in_the_admin(manager):
    client = Client()
    client.force_login(manager)
    home = HomePage.objects.get()
    url = f"/admin/pages/add/home/contactpage/{home.pk}/"
    data = querydict_from_html(
        client.get(url).content.decode(), form_id="page-edit-form"
    )
    data.update(
        {
            "title": "Write to us",
            "slug": "write-to-us",
            "thank_you_text": "Thanks!",
            "to_address": "support@example.com",
            "subject": "Hello",
            "form_fields-TOTAL_FORMS": "1",
            "form_fields-0-label": "Question",
            "form_fields-0-field_type": "multiline",
            "form_fields-0-required": "on",
            "form_fields-0-help_text": "",
            "form_fields-0-choices": "",
            "form_fields-0-default_value": "",
            "form_fields-0-ORDER": "1",
            "form_fields-0-id": "",
            "form_fields-0-DELETE": "",
            "action-publish": "publish",
        }
    )

    response = client.post(url, data)

    assert response.status_code == 302, response.context["form"].errors
    created = ContactPage.objects.get(slug="write-to-us")
    assert created.live
    assert [f.clean_name for f in created.form_fields.all()] == ["question"]


def test_the_demo_contact_page_is_created_once():
    first = contact_page_demo_ensure(to_address="manager@fantasize.local")
    second = contact_page_demo_ensure(to_address="manager@fantasize.local")

    assert first is not None
    assert second is not None
    assert first.pk == second.pk
    assert ContactPage.objects.count() == 1
    assert first.live
    assert [f.clean_name for f in first.form_fields.all()] == [
        "name",
        "email",
        "message",
    ]
    assert Client().get(first.get_url()).status_code == 200
