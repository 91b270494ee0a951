"""Uploads of guest carts: who they belong to, choices with them, adoption, expiry."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from commerce.catalogue.models import ProductPage
from customization import services
from customization.models import CustomerUpload
from customization.selectors import item_customizations
from customization.services import (
    choices_validate,
    guest_token_is_live,
    upload_create,
    uploads_expired_delete,
    uploads_guest_adopt,
)
from tests.commerce.catalogue_factories import category_make, product_make
from tests.commerce.factories import UserFactory
from tests.customization.builders import (
    attach,
    customization_make,
    guest_upload_make,
    png_bytes,
    upload_make,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo_offer():
    """A product offering one upload customization, as choices_validate gets it."""
    customization = customization_make("upload", name="Your photo")
    product = attach(product_make(category_make()), customization)
    product = ProductPage.objects.get(pk=product.pk)
    return customization, item_customizations(
        raw_stream=product.customizations.raw_data
    )


def _photo_choice(customization, upload):
    return [{"customization": customization.pk, "value": str(upload.pk)}]


def _refusal(attached, choices, **who):
    with pytest.raises(ValidationError) as error:
        choices_validate(attached=attached, choices=choices, **who)
    return error.value.message_dict["customizations"]


def test_a_guest_upload_belongs_to_its_token_only():
    token = uuid.uuid4()

    upload = guest_upload_make(token)

    upload.refresh_from_db()
    assert (upload.owner_id, upload.guest_token) == (None, token)


@pytest.mark.parametrize(
    "who",
    [{}, {"owner_id": 1, "guest_token": uuid.uuid4()}],
    ids=["neither_case", "both_case"],
)
def test_upload_create_needs_exactly_one_owner_or_guest_token(who):
    file = SimpleUploadedFile("dot.png", png_bytes())

    with pytest.raises(ValueError, match="exactly one"):
        upload_create(file=file, **who)

    assert CustomerUpload.objects.count() == 0


@pytest.mark.parametrize(
    "change",
    [
        {"owner": None, "guest_token": None},
        {"guest_token": uuid.uuid4()},
    ],
    ids=["neither_case", "both_case"],
)
def test_the_database_keeps_exactly_one_owner_or_guest_token(change):
    upload = upload_make(UserFactory())

    with pytest.raises(IntegrityError), transaction.atomic():
        CustomerUpload.objects.filter(pk=upload.pk).update(**change)


def test_guest_tokens_are_refused_until_a_cart_check_is_registered(monkeypatch):
    token = uuid.uuid4()
    monkeypatch.setattr(services, "_guest_token_validator", None)

    assert guest_token_is_live(guest_token=token) is False

    services.guest_token_validator_register(lambda candidate: candidate == token)

    assert guest_token_is_live(guest_token=token) is True
    assert guest_token_is_live(guest_token=uuid.uuid4()) is False


def test_choices_accept_a_guest_upload_with_its_token(photo_offer):
    customization, attached = photo_offer
    token = uuid.uuid4()
    upload = guest_upload_make(token)

    result = choices_validate(
        attached=attached,
        choices=_photo_choice(customization, upload),
        owner_id=None,
        guest_token=token,
    )

    assert result.upload_ids == [str(upload.pk)]
    assert result.snapshot[0]["upload_id"] == str(upload.pk)


@pytest.mark.parametrize(
    "who",
    ["other_guest", "a_customer", "a_customer_with_the_token"],
    ids=["other_guest_case", "a_customer_case", "a_customer_with_the_token_case"],
)
def test_choices_refuse_a_guest_upload_without_its_token(photo_offer, who):
    customization, attached = photo_offer
    token = uuid.uuid4()
    upload = guest_upload_make(token)
    customer = UserFactory()
    callers = {
        "other_guest": {"owner_id": None, "guest_token": uuid.uuid4()},
        "a_customer": {"owner_id": customer.pk},
        # The owner decides when given; a token does not widen it.
        "a_customer_with_the_token": {"owner_id": customer.pk, "guest_token": token},
    }

    errors = _refusal(attached, _photo_choice(customization, upload), **callers[who])

    assert errors == ["Your photo: unknown upload."]


def test_a_guests_token_does_not_reach_a_customers_upload(photo_offer):
    customization, attached = photo_offer
    upload = upload_make(UserFactory())

    errors = _refusal(
        attached,
        _photo_choice(customization, upload),
        owner_id=None,
        guest_token=uuid.uuid4(),
    )

    assert errors == ["Your photo: unknown upload."]


def test_choices_with_an_upload_but_neither_owner_nor_token_are_refused(photo_offer):
    customization, attached = photo_offer
    upload = guest_upload_make(uuid.uuid4())

    errors = _refusal(attached, _photo_choice(customization, upload), owner_id=None)

    assert errors == [
        "Your photo: log in or upload the photo with your cart token first."
    ]


def test_adopting_gives_the_guests_uploads_to_the_customer(photo_offer):
    # given
    customization, attached = photo_offer
    token, other_token = uuid.uuid4(), uuid.uuid4()
    customer = UserFactory()
    first, second = guest_upload_make(token), guest_upload_make(token)
    someone_elses = guest_upload_make(other_token)

    # when
    adopted = uploads_guest_adopt(guest_token=token, owner_id=customer.pk)

    # then
    assert adopted == 2
    assert set(
        CustomerUpload.objects.filter(owner=customer).values_list("pk", flat=True)
    ) == {first.pk, second.pk}
    assert not CustomerUpload.objects.filter(guest_token=token).exists()
    someone_elses.refresh_from_db()
    assert (someone_elses.owner_id, someone_elses.guest_token) == (None, other_token)
    result = choices_validate(
        attached=attached,
        choices=_photo_choice(customization, first),
        owner_id=customer.pk,
    )
    assert result.upload_ids == [str(first.pk)]
    assert _refusal(
        attached,
        _photo_choice(customization, first),
        owner_id=None,
        guest_token=token,
    ) == ["Your photo: unknown upload."]


def test_adopting_a_token_without_uploads_changes_nothing():
    upload = upload_make(UserFactory())

    assert uploads_guest_adopt(guest_token=uuid.uuid4(), owner_id=upload.owner_id) == 0
    assert CustomerUpload.objects.get().owner_id == upload.owner_id


def test_expired_unused_guest_uploads_are_removed():
    # given
    token = uuid.uuid4()
    unused = guest_upload_make(token)
    used = guest_upload_make(token)
    CustomerUpload.objects.filter(pk=used.pk).update(used_at=timezone.now())

    # when
    with time_machine.travel(timezone.now() + timedelta(hours=49)):
        removed = uploads_expired_delete()

    # then
    assert removed == 1
    assert list(CustomerUpload.objects.values_list("pk", flat=True)) == [used.pk]
    assert not unused.file.storage.exists(unused.file.name)
    assert used.file.storage.exists(used.file.name)
