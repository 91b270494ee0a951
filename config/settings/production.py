"""Production hardening: secrets without defaults, HTTPS everywhere.

https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, LOGGING, OAUTH2_PROVIDER, env, env_secret

SECRET_KEY = env_secret("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE).")
JWT_PRIVATE_KEY = env_secret("JWT_PRIVATE_KEY")
if not JWT_PRIVATE_KEY:
    raise ImproperlyConfigured(
        "Set JWT_PRIVATE_KEY (or JWT_PRIVATE_KEY_FILE) to an RSA PEM."
    )
OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"] = JWT_PRIVATE_KEY
# The public URL is never guessed here: links in emails, the token issuer and the
# OIDC discovery are built from it. JWT_ISSUER defaults to it.
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default="")
if not WAGTAILADMIN_BASE_URL:
    raise ImproperlyConfigured(
        "Set WAGTAILADMIN_BASE_URL to the public URL of the site, e.g. "
        "https://shop.example.com."
    )
JWT_ISSUER = env.str("JWT_ISSUER", default=WAGTAILADMIN_BASE_URL.rstrip("/"))
OAUTH2_PROVIDER["OIDC_ISS_ENDPOINT"] = JWT_ISSUER
# firebase-admin reads this variable itself and then accepts unsigned ID tokens.
if env.str("FIREBASE_AUTH_EMULATOR_HOST", default=""):
    raise ImproperlyConfigured(
        "FIREBASE_AUTH_EMULATOR_HOST is set: Firebase would accept unsigned ID tokens."
    )
# Local health probes (Docker HEALTHCHECK, orchestrators) call 127.0.0.1 directly.
ALLOWED_HOSTS = [*env.list("DJANGO_ALLOWED_HOSTS"), "127.0.0.1", "localhost"]
DEBUG = False
# The dummy card gateway accepts made-up card numbers: never on by default here.
PAYMENT_GATEWAYS = env.list(
    "PAYMENT_GATEWAYS", default=["commerce.payments.gateways.CashOnDeliveryGateway"]
)

# DATABASES: persistent connections, checked before reuse so that a connection the
# server dropped (PostgreSQL restart, failover) is replaced instead of failing a request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# LOGGING: JSON lines, like gunicorn's access log.
LOGGING["handlers"]["console"]["formatter"] = env.str(
    "DJANGO_LOG_FORMAT", default="json"
)

# SECURITY
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True
)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
