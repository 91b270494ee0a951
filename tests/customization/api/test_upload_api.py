import random
from datetime import timedelta
from io import BytesIO

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone
from PIL import Image

from customization.models import CustomerUpload
from customization.services import uploads_expired_delete
from tests.commerce.factories import UserFactory
from tests.commerce.fixtures import client_for
from tests.customization.builders import jpeg_bytes, png_bytes, upload_make

pytestmark = pytest.mark.django_db


def _post(client, data: bytes, name: str, content_type: str = "image/png"):
    return client.post(
        "/api/uploads",
        {"file": SimpleUploadedFile(name, data, content_type)},
        format="multipart",
    )


def _upload_storage():
    # The field's own storage: the one it got when the model was defined, whatever
    # tests that override STORAGES did to ``storages`` since.
    return CustomerUpload._meta.get_field("file").storage


def _stored_files() -> list[str]:
    storage = _upload_storage()
    try:
        directories, _ = storage.listdir("uploads")
    except FileNotFoundError:
        return []
    return [
        name
        for directory in directories
        for name in storage.listdir(f"uploads/{directory}")[1]
    ]


def _bomb() -> bytes:
    buffer = BytesIO()
    Image.new("1", (20_000, 20_000)).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_tiny_png_is_accepted_and_owned_by_the_caller():
    customer = UserFactory()
    stored_before = len(_stored_files())

    response = _post(client_for(customer), png_bytes(), "dot.png")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["format"], body["width"], body["height"]) == ("PNG", 1, 1)
    assert CustomerUpload.objects.get().owner == customer
    assert len(_stored_files()) == stored_before + 1


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (_bomb(), "bomb.png", "image/png"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "x.svg",
            "image/svg+xml",
        ),
        (b"<?php echo shell_exec($_GET['c']); ?>", "shell.png", "image/png"),
        (b"", "empty.png", "image/png"),
        (b"GIF89a" + b"\x00" * 20, "fake.png", "image/png"),
    ],
    ids=[
        "decompression_bomb_case",
        "svg_case",
        "php_renamed_png_case",
        "empty_case",
        "broken_gif_case",
    ],
)
def test_hostile_files_are_refused_and_nothing_is_stored(data, name, content_type):
    # the in-memory storage lives as long as the test process
    stored_before = _stored_files()

    response = _post(client_for(UserFactory()), data, name, content_type)

    assert response.status_code == 400
    assert "file" in response.json()["errors"]
    assert CustomerUpload.objects.count() == 0
    assert _stored_files() == stored_before


@override_settings(CUSTOMER_UPLOAD_MAX_BYTES=1024)
def test_a_file_over_the_size_limit_is_refused():
    noisy = Image.frombytes("RGB", (64, 64), random.Random(7).randbytes(64 * 64 * 3))
    buffer = BytesIO()
    noisy.save(buffer, "PNG")
    data = buffer.getvalue()
    assert len(data) > 1024

    response = _post(client_for(UserFactory()), data, "big.png")

    assert response.status_code == 400
    assert response.json()["errors"]["file"] == ["The file is larger than 1 KB."]
    assert CustomerUpload.objects.count() == 0


def test_metadata_is_stripped_from_the_stored_copy():
    owner = UserFactory()
    assert Image.open(BytesIO(jpeg_bytes(exif=True))).getexif()
    client = client_for(owner)
    upload_id = _post(client, jpeg_bytes(exif=True), "camera.jpg", "image/jpeg").json()[
        "id"
    ]

    response = client.get(f"/api/uploads/{upload_id}/file")

    stored = b"".join(response.streaming_content)
    assert response["Content-Type"] == "image/jpeg"
    assert dict(Image.open(BytesIO(stored)).getexif()) == {}
    assert b"SpyCam" not in stored


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("owner", 200),
        ("manager", 200),
        ("administrator", 200),
        ("other", 404),
        ("anonymous", 401),
    ],
    ids=[
        "owner_case",
        "manager_case",
        "administrator_case",
        "other_customer_case",
        "anonymous_case",
    ],
)
def test_uploads_are_private_to_their_owner_and_staff(persona, expected):
    owner = UserFactory()
    upload = upload_make(owner)
    users = {
        "owner": owner,
        "manager": UserFactory(role="manager"),
        "administrator": UserFactory(role="administrator"),
        "other": UserFactory(),
        "anonymous": None,
    }
    client = client_for(users[persona])

    file_response = client.get(f"/api/uploads/{upload.pk}/file")
    detail_response = client.get(f"/api/uploads/{upload.pk}")

    assert file_response.status_code == expected
    assert detail_response.status_code == expected


def test_anonymous_upload_is_401():
    response = _post(client_for(None), png_bytes(), "dot.png")

    assert response.status_code == 401
    assert CustomerUpload.objects.count() == 0


def test_expired_unused_uploads_are_removed_and_used_ones_kept():
    owner = UserFactory()
    unused = upload_make(owner)
    used = upload_make(owner)
    CustomerUpload.objects.filter(pk=used.pk).update(used_at=timezone.now())

    with time_machine.travel(timezone.now() + timedelta(hours=49)):
        removed = uploads_expired_delete()

    assert removed == 1
    assert list(CustomerUpload.objects.values_list("pk", flat=True)) == [used.pk]
    assert not unused.file.storage.exists(unused.file.name)
    assert used.file.storage.exists(used.file.name)
