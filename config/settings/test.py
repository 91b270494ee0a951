"""Settings for the test suite: fast hashing, in-memory cache and mail, immediate tasks."""

import atexit
import os
import shutil
import tempfile

# Tests never read or write the checkout's var/ (a fresh clone has none, and a run of
# the app leaves files there): each test process gets its own, removed at exit, and
# the processes a test starts (manage.py, gunicorn) inherit it.
_TEST_VAR_DIR = tempfile.mkdtemp(prefix="fantasize-test-var-")
atexit.register(shutil.rmtree, _TEST_VAR_DIR, ignore_errors=True)
os.environ["FANTASIZE_VAR_DIR"] = _TEST_VAR_DIR

from config.keys import rsa_private_key_generate_pem  # noqa: E402

from .base import *  # noqa: E402, F403
from .base import HUEY, OAUTH2_PROVIDER, env  # noqa: E402

SECRET_KEY = "test-secret-key-not-used-anywhere-else-0123456789abcdef"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
HUEY = {**HUEY, "immediate": True}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
ALLOWED_HOSTS = ["*"]
JWT_PRIVATE_KEY = (
    env.str("JWT_PRIVATE_KEY", default="") or rsa_private_key_generate_pem()
)
OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"] = JWT_PRIVATE_KEY
JWT_ISSUER = "http://testserver"
OAUTH2_PROVIDER["OIDC_ISS_ENDPOINT"] = JWT_ISSUER
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WHITENOISE_AUTOREFRESH = True
