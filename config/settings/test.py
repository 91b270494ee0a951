"""Settings for the test suite: fast hashing, in-memory cache and mail, immediate tasks."""

from config.keys import rsa_private_key_generate_pem

from .base import *  # noqa: F403
from .base import HUEY, OAUTH2_PROVIDER, env

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
