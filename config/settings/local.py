"""Development comforts on top of base: a generated signing key, a default secret.

`make run PORT=N` serves on port N: the admin base URL, the token issuer and the
OIDC discovery (``jwks_uri``) follow it unless set explicitly.
"""

from config.keys import development_key_load_or_create

from .base import *  # noqa: F403
from .base import (
    CORS_ALLOWED_ORIGIN_REGEXES,
    CORS_ALLOWED_ORIGINS,
    JWT_DEV_KEY_FILE,
    OAUTH2_PROVIDER,
    env,
)

PORT = env.int("PORT", default=8000)
WAGTAILADMIN_BASE_URL = env.str(
    "WAGTAILADMIN_BASE_URL", default=f"http://localhost:{PORT}"
)
JWT_ISSUER = env.str("JWT_ISSUER", default=WAGTAILADMIN_BASE_URL.rstrip("/"))
OAUTH2_PROVIDER["OIDC_ISS_ENDPOINT"] = JWT_ISSUER

SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY", default="insecure-development-key-change-me-0123456789"
)
JWT_PRIVATE_KEY = JWT_PRIVATE_KEY or development_key_load_or_create(JWT_DEV_KEY_FILE)
OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"] = JWT_PRIVATE_KEY
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"]
)
STORAGES["staticfiles"]["BACKEND"] = (
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
# A frontend's dev server on this machine (http://localhost:3000, Flutter web on
# another port) may call the API from the first run; CORS_ALLOWED_ORIGINS or
# CORS_ALLOWED_ORIGIN_REGEXES replace this. Production allows no origin by default.
if not CORS_ALLOWED_ORIGINS and not CORS_ALLOWED_ORIGIN_REGEXES:
    CORS_ALLOWED_ORIGIN_REGEXES = [r"^http://(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$"]
