"""Production settings: refuse to boot without secrets, and pass check --deploy."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.keys import rsa_private_key_generate_pem

ROOT = Path(__file__).resolve().parent.parent.parent


def _production_env(**overrides: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "JWT_", "REDIS_URL", "WAGTAILADMIN_", "PORT"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="x7!kq2-production-like-secret-9f8e7d6c5b4a3z2y1w0v-u9t8s7r6",
        DJANGO_ALLOWED_HOSTS="shop.example.com",
        WAGTAILADMIN_BASE_URL="https://shop.example.com",
        JWT_PRIVATE_KEY=rsa_private_key_generate_pem(),
    )
    env.update(overrides)
    return env


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_check_deploy_prints_no_warnings():
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", env=_production_env()
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr


@pytest.mark.parametrize(
    "missing", ["DJANGO_SECRET_KEY", "JWT_PRIVATE_KEY", "WAGTAILADMIN_BASE_URL"]
)
def test_production_refuses_to_boot_without_a_secret(missing):
    env = _production_env()
    del env[missing]

    result = _manage("check", env=env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_base_settings_hash_passwords_with_bcrypt_first():
    from config.settings import base

    assert (
        base.PASSWORD_HASHERS[0]
        == "django.contrib.auth.hashers.BCryptSHA256PasswordHasher"
    )
    assert base.DEBUG is False or os.environ.get("DJANGO_DEBUG")
    assert len(base.AUTH_PASSWORD_VALIDATORS) == 4


def test_tests_keep_out_of_the_checkouts_var_directory(settings):
    # A fresh clone has no var/, and files a run of the app leaves there must not
    # change what a test sees: every path the settings derive from VAR_DIR is elsewhere.
    checkout_var = ROOT / "var"
    var_dir = Path(os.environ["FANTASIZE_VAR_DIR"])

    assert var_dir.is_dir()
    assert not var_dir.is_relative_to(checkout_var)
    assert Path(settings.HUEY.get("filename", var_dir)).is_relative_to(var_dir)
    for path in (
        settings.MEDIA_ROOT,
        settings.PRIVATE_MEDIA_ROOT,
        settings.STATIC_ROOT,
    ):
        assert Path(path).is_relative_to(var_dir)
    assert settings.JWT_DEV_KEY_FILE.is_relative_to(var_dir)


def test_production_boots_with_a_var_directory_that_does_not_exist_yet(tmp_path):
    # given: the embedded SQLite database and Huey queue in a directory not created yet
    var_dir = tmp_path / "fresh" / "var"

    # when
    result = _manage("check", env=_production_env(FANTASIZE_VAR_DIR=str(var_dir)))

    # then
    assert result.returncode == 0, result.stderr
    assert var_dir.is_dir()


def _local_discovery(tmp_path: Path, **overrides: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "JWT_", "WAGTAILADMIN_", "PORT"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        FANTASIZE_VAR_DIR=str(tmp_path),
        **overrides,
    )
    code = (
        "import json; from django.conf import settings as s;"
        "from django.test import Client;"
        "body = Client().get('/o/.well-known/openid-configuration',"
        " HTTP_HOST='localhost').json();"
        "print(json.dumps({'base_url': s.WAGTAILADMIN_BASE_URL,"
        " 'issuer_setting': s.JWT_ISSUER, 'issuer': body['issuer'],"
        " 'jwks_uri': body['jwks_uri']}))"
    )
    result = _manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_development_issuer_follows_the_port(tmp_path):
    discovery = _local_discovery(tmp_path, PORT="9000")

    assert discovery == {
        "base_url": "http://localhost:9000",
        "issuer_setting": "http://localhost:9000",
        "issuer": "http://localhost:9000",
        "jwks_uri": "http://localhost:9000/o/.well-known/jwks.json",
    }


def test_development_issuer_set_explicitly_wins_over_the_port(tmp_path):
    discovery = _local_discovery(
        tmp_path, PORT="9000", JWT_ISSUER="https://id.example.com"
    )

    assert discovery["base_url"] == "http://localhost:9000"
    assert discovery["issuer"] == "https://id.example.com"
    assert discovery["jwks_uri"] == "https://id.example.com/o/.well-known/jwks.json"


def test_production_issuer_comes_from_the_explicit_base_url():
    code = "from django.conf import settings as s; print(s.JWT_ISSUER)"

    result = _manage("shell", "-c", code, env=_production_env(PORT="9000"))

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "https://shop.example.com"


def _local_cors(tmp_path: Path, origin: str, **overrides: str) -> str | None:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "JWT_", "WAGTAILADMIN_", "PORT", "CORS_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        FANTASIZE_VAR_DIR=str(tmp_path),
        **overrides,
    )
    code = (
        "import json; from django.test import Client;"
        "r = Client().options('/api/products', HTTP_HOST='localhost',"
        f" HTTP_ORIGIN={origin!r}, HTTP_ACCESS_CONTROL_REQUEST_METHOD='GET');"
        "print(json.dumps(r.headers.get('Access-Control-Allow-Origin')))"
    )
    result = _manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_make_run_lets_a_frontend_dev_server_on_this_machine_call_the_api(tmp_path):
    assert _local_cors(tmp_path, "http://localhost:3000") == "http://localhost:3000"
    assert _local_cors(tmp_path, "http://127.0.0.1:5173") == "http://127.0.0.1:5173"
    assert _local_cors(tmp_path, "https://evil.example.com") is None
    assert _local_cors(tmp_path, "http://localhost.evil.example.com") is None


def test_a_configured_origin_replaces_the_development_default(tmp_path):
    only_shop = {"CORS_ALLOWED_ORIGINS": "https://shop.example.com"}

    assert _local_cors(tmp_path, "https://shop.example.com", **only_shop) == (
        "https://shop.example.com"
    )
    assert _local_cors(tmp_path, "http://localhost:3000", **only_shop) is None
