import json
from pathlib import Path
from urllib.request import urlopen

import pytest
from django.test import Client, override_settings

from tests.commerce.catalogue_factories import category_make, product_make


@pytest.mark.django_db
def test_media_files_are_served_without_debug(tmp_path: Path) -> None:
    # given a file under MEDIA_ROOT and DEBUG off (the default)
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "x.txt").write_bytes(b"media bytes")

    # when
    with override_settings(MEDIA_ROOT=str(tmp_path), DEBUG=False):
        response = Client().get("/media/images/x.txt")

    # then
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"media bytes"


@pytest.mark.django_db
def test_media_outside_the_root_is_not_served(tmp_path: Path) -> None:
    with override_settings(MEDIA_ROOT=str(tmp_path)):
        response = Client().get("/media/../config/settings/base.py")

    assert response.status_code in (400, 404)


@pytest.mark.usefixtures("committed_db")
def test_renditions_from_the_api_load_through_the_live_server(
    live_server, settings, tmp_path: Path
) -> None:
    # given: files on disk as under `make run` (the test settings keep them in memory)
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": settings.MEDIA_URL},
        },
    }
    product = product_make(category_make(), title="Lamp", images=1)

    # when: a frontend reads the catalogue and loads what it links to
    with urlopen(f"{live_server.url}/api/products", timeout=10) as response:  # noqa: S310
        listed = json.load(response)
    image = listed["results"][0]["images"][0]
    loaded = {}
    for name in ("thumbnail", "large"):
        url = image[name]["url"]
        assert url.startswith(f"{live_server.url}/media/images/")
        with urlopen(url, timeout=10) as response:  # noqa: S310
            loaded[name] = (response.status, response.headers["Content-Type"])
    original = product.gallery_images.get().image.file.url
    with urlopen(f"{live_server.url}{original}", timeout=10) as response:  # noqa: S310
        loaded["original"] = (response.status, response.headers["Content-Type"])

    # then
    assert loaded == {
        "thumbnail": (200, "image/png"),
        "large": (200, "image/png"),
        "original": (200, "image/png"),
    }
    assert (tmp_path / "original_images").is_dir()
