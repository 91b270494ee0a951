"""Media on S3-compatible object storage (django-storages) against moto's S3.

The storages come from the real settings code (config/settings/base.py run with the
AWS_* variables); moto answers boto3 and plain HTTP requests to the bucket, and
refuses anonymous reads that neither the bucket policy nor an object ACL allows.
"""

import json
import os
import runpy
from io import BytesIO
from pathlib import Path

import boto3
import pytest
import requests
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from wagtail.images import get_image_model

from commerce.catalogue.services.sellables import product_create
from commerce.enums import UserRole
from customization.models import CustomerUpload
from tests.commerce.catalogue_factories import category_make
from tests.commerce.factories import UserFactory
from tests.commerce.fixtures import client_for

# An S3-compatible service (MinIO, R2, ...) at its own endpoint: moto answers there
# too when told before its S3 URLs are loaded.
COMPATIBLE_ENDPOINT = "https://objects.example.test"
os.environ.setdefault("MOTO_S3_CUSTOM_ENDPOINTS", COMPATIBLE_ENDPOINT)
moto = pytest.importorskip("moto", reason="moto is not installed")

pytestmark = pytest.mark.django_db

BASE_SETTINGS = Path(__file__).resolve().parents[2] / "config/settings/base.py"
BUCKET = "fantasize-media"
REGION = "eu-central-1"
PUBLIC_READ_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "PublicMedia",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/media/*",
        }
    ],
}


def _settings_from_environment(monkeypatch, **variables: str) -> dict:
    """Run base settings with these AWS_* variables; return the module's names."""
    for name in list(os.environ):
        if name.startswith("AWS_") and name not in variables:
            monkeypatch.delenv(name)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(BASE_SETTINGS))


def _png(colour=(30, 120, 200), size=(800, 600)) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def s3(monkeypatch, settings):
    """moto's S3 with one bucket whose media/ prefix is public, wired as in production."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with moto.mock_aws():
        client = boto3.client("s3", region_name=REGION)
        client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_READ_POLICY))

        def configure(**variables: str) -> dict:
            names = _settings_from_environment(
                monkeypatch,
                AWS_ACCESS_KEY_ID="testing",
                AWS_SECRET_ACCESS_KEY="testing",
                AWS_STORAGE_BUCKET_NAME=BUCKET,
                AWS_S3_REGION_NAME=REGION,
                **variables,
            )
            settings.STORAGES = names["STORAGES"]
            # File fields with a callable storage (the private one) resolved it when
            # their model was defined, as a process does at start: resolve it again.
            for model in apps.get_models():
                for field in model._meta.get_fields():
                    if getattr(field, "_storage_callable", None):
                        monkeypatch.setattr(field, "storage", field._storage_callable())
            return names

        client.configure = configure
        yield client


def _keys(client, prefix: str) -> list[str]:
    listing = client.list_objects_v2(Bucket=BUCKET, Prefix=prefix)
    return [item["Key"] for item in listing.get("Contents", [])]


def _wagtail_upload(name: str) -> object:
    editor = UserFactory(role=UserRole.ADMINISTRATOR)
    client = Client()
    client.force_login(editor)
    response = client.post(
        "/admin/images/multiple/add/",
        {"files[]": SimpleUploadedFile(name, _png(), "image/png")},
    )
    assert response.status_code == 200, response.content
    assert response.json()["success"], response.json()
    return get_image_model().objects.get(pk=response.json()["image_id"])


def test_object_storage_is_used_only_when_a_bucket_is_named(monkeypatch):
    local = _settings_from_environment(monkeypatch)
    remote = _settings_from_environment(monkeypatch, AWS_STORAGE_BUCKET_NAME=BUCKET)

    assert local["STORAGES"]["default"]["BACKEND"].endswith("FileSystemStorage")
    assert local["MEDIA_SERVE"] is True
    assert remote["STORAGES"]["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert remote["STORAGES"]["private"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert remote["MEDIA_SERVE"] is False


def test_an_image_uploaded_in_wagtail_lands_in_the_bucket_and_its_renditions_load(s3):
    # given: production-like storage on the bucket
    s3.configure()
    image = _wagtail_upload("lamp.png")
    product_create(
        data={
            "category": category_make().pk,
            "title": "Lamp",
            "price": "9.00",
            "sku": "LAMP-S3",
            "stock_quantity": 3,
            "images": [image.pk],
        },
        publish=True,
        user=None,
    )

    # when
    response = Client().get("/api/products")

    # then: the original is in the bucket, under the public prefix
    assert f"media/{image.file.name}" in _keys(s3, "media/original_images/")
    gallery = response.json()["results"][0]["images"][0]
    thumbnail = gallery["thumbnail"]["url"]
    assert thumbnail.startswith(f"https://{BUCKET}.s3.amazonaws.com/media/images/")
    assert "Signature" not in thumbnail
    assert "X-Amz-" not in thumbnail
    # and the rendition was written there too and loads without credentials
    assert thumbnail.rsplit(f"{BUCKET}.s3.amazonaws.com/", 1)[1] in _keys(
        s3, "media/images/"
    )
    fetched = requests.get(thumbnail, timeout=5)
    assert fetched.status_code == 200
    assert Image.open(BytesIO(fetched.content)).size == (400, 300)


def test_rendition_urls_use_the_custom_domain(s3):
    s3.configure(AWS_S3_CUSTOM_DOMAIN="cdn.example.com")
    image = _wagtail_upload("chair.png")

    url = image.get_rendition("fill-400x300").url

    assert url.startswith("https://cdn.example.com/media/images/chair.")
    assert _keys(s3, "media/images/")


def test_an_s3_compatible_service_with_acls_at_its_own_endpoint(s3):
    # given: a service that uses object ACLs rather than bucket policies
    s3.delete_bucket_policy(Bucket=BUCKET)
    s3.configure(
        AWS_S3_ENDPOINT_URL=COMPATIBLE_ENDPOINT,
        AWS_S3_ADDRESSING_STYLE="path",
        AWS_DEFAULT_ACL="public-read",
    )
    image = _wagtail_upload("desk.png")
    upload = client_for(UserFactory()).post(
        "/api/uploads",
        {"file": SimpleUploadedFile("me.png", _png((9, 9, 9)), "image/png")},
        format="multipart",
    )

    # when
    url = image.get_rendition("fill-400x300").url
    private_key = f"private/{CustomerUpload.objects.get().file.name}"

    # then: public media at the service's URLs, readable by anyone
    assert upload.status_code == 201, upload.content
    assert url.startswith(f"{COMPATIBLE_ENDPOINT}/{BUCKET}/media/images/desk.")
    assert requests.get(url, timeout=5).status_code == 200
    # and customer uploads without the public ACL
    grants = s3.get_object_acl(Bucket=BUCKET, Key=private_key)["Grants"]
    assert not [g for g in grants if g["Grantee"].get("URI", "").endswith("AllUsers")]
    private_url = f"{COMPATIBLE_ENDPOINT}/{BUCKET}/{private_key}"
    assert requests.get(private_url, timeout=5).status_code == 403


def test_a_customer_upload_stays_private(s3):
    # given
    s3.configure()
    customer = UserFactory()

    # when
    response = client_for(customer).post(
        "/api/uploads",
        {"file": SimpleUploadedFile("me.png", _png((200, 10, 10)), "image/png")},
        format="multipart",
    )

    # then: stored under the private prefix, which no policy or ACL opens
    assert response.status_code == 201, response.content
    upload = CustomerUpload.objects.get()
    key = f"private/{upload.file.name}"
    assert key in _keys(s3, "private/")
    grants = s3.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert not [g for g in grants if g["Grantee"].get("URI", "").endswith("AllUsers")]
    anonymous = requests.get(f"https://{BUCKET}.s3.amazonaws.com/{key}", timeout=5)
    assert anonymous.status_code == 403
    # the API serves it to its owner only
    owner = client_for(customer).get(f"/api/uploads/{upload.pk}/file")
    assert owner.status_code == 200
    stranger = client_for(UserFactory()).get(f"/api/uploads/{upload.pk}/file")
    assert stranger.status_code == 404
    # and a URL the storage gives out is signed and short-lived
    signed = storages["private"].url(upload.file.name)
    assert "X-Amz-Expires=300" in signed or "Expires=" in signed
    assert requests.get(signed, timeout=5).status_code == 200


def test_a_private_bucket_of_its_own_can_be_named(s3):
    s3.create_bucket(
        Bucket="fantasize-private",
        CreateBucketConfiguration={"LocationConstraint": REGION},
    )
    names = s3.configure(
        AWS_PRIVATE_STORAGE_BUCKET_NAME="fantasize-private", AWS_PRIVATE_LOCATION=""
    )

    storages["private"].save("exports/report.csv", BytesIO(b"a,b\n"))

    assert names["STORAGES"]["private"]["OPTIONS"]["bucket_name"] == "fantasize-private"
    listing = s3.list_objects_v2(Bucket="fantasize-private")
    assert [item["Key"] for item in listing["Contents"]] == ["exports/report.csv"]


@pytest.mark.parametrize(
    "variables",
    [
        {"AWS_PRIVATE_LOCATION": "media/private"},
        {"AWS_PRIVATE_LOCATION": "media"},
        {"AWS_LOCATION": ""},
    ],
    ids=["inside_case", "same_case", "whole_bucket_public_case"],
)
def test_private_files_inside_the_public_prefix_are_refused(monkeypatch, variables):
    with pytest.raises(ImproperlyConfigured, match="AWS_PRIVATE_LOCATION"):
        _settings_from_environment(
            monkeypatch, AWS_STORAGE_BUCKET_NAME=BUCKET, **variables
        )
