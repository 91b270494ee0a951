from pathlib import Path

import pytest
from django.test import Client, override_settings


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
