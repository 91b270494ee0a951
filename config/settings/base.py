"""Settings shared by every environment, read from the process environment.

See https://docs.djangoproject.com/en/5.2/ref/settings/ and .env.example.
"""

import contextlib
import os
from pathlib import Path
from typing import Any

import environ
from corsheaders.defaults import default_headers as cors_default_headers
from csp.constants import NONE, SELF, UNSAFE_EVAL, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("FANTASIZE_VAR_DIR", default=str(BASE_DIR / "var")))
# The embedded defaults (SQLite database, Huey queue, development key, media) live in
# VAR_DIR: create it, so that a fresh checkout boots before anything else has run.
# A read-only image that points every path elsewhere needs none.
with contextlib.suppress(OSError):
    VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=False):
    env.read_env(str(BASE_DIR / ".env"))


def env_secret(name: str, default: str | None = None) -> str | None:
    """Read ``NAME`` or, when ``NAME_FILE`` is set, the contents of that file."""
    file_path = env.str(f"{name}_FILE", default="")
    if file_path:
        return Path(file_path).read_text().strip()
    return env.str(name, default=default)


# GENERAL
# https://docs.djangoproject.com/en/5.2/ref/settings/#debug
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env_secret("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="UTC")
LANGUAGE_CODE = "en-us"
USE_I18N = True
USE_TZ = True
SITE_ID = 1

# DATABASES
# https://docs.djangoproject.com/en/5.2/ref/settings/#databases
DATABASES = {
    "default": env.db(
        "DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'fantasize.sqlite3'}"
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# URLS
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# APPS
INSTALLED_APPS = [
    "commerce.apps.CommerceConfig",
    "customization.apps.CustomizationConfig",
    "notify.apps.NotifyConfig",
    "home.apps.HomeConfig",
    "csp",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "wagtail_modeladmin",
    "modelcluster",
    "taggit",
    "django_countries",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "oauth2_provider",
    "social_django",
    "axes",
    "huey.contrib.djhuey",
]

# AUTHENTICATION
# https://docs.djangoproject.com/en/5.2/topics/auth/customizing/
AUTH_USER_MODEL = "commerce.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: a locked-out account or address is refused before any hasher runs.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"

# MIDDLEWARE
MIDDLEWARE = [
    # First: preflights are answered (and refused) before any other middleware runs.
    "corsheaders.middleware.CorsMiddleware",
    # Repeated anonymous catalogue reads answered from the cache with the headers the
    # middleware below gave the first answer (security, CSP), so before them.
    "commerce.catalogue.api.middleware.CatalogueFastReadMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.ApiTrailingSlashMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
]

# CORS: browser frontends on other origins may call the API and the token endpoints.
# https://github.com/adamchainz/django-cors-headers
# Exact origins (scheme://host[:port]) and regular expressions; none by default.
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_ALLOWED_ORIGIN_REGEXES = env.list("CORS_ALLOWED_ORIGIN_REGEXES", default=[])
CORS_URLS_REGEX = r"^/(api/|o/token/|o/revoke_token/)"
CORS_ALLOW_HEADERS = (
    *cors_default_headers,
    "idempotency-key",
    "if-none-match",
    "x-cart-token",
)
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After", "Location"]
# Bearer tokens, not cookies: browsers never send the admin session cross-origin.
CORS_ALLOW_CREDENTIALS = False
CORS_PREFLIGHT_MAX_AGE = env.int("CORS_PREFLIGHT_MAX_AGE", default=86400)


# CONTENT SECURITY POLICY (django-csp)
# https://django-csp.readthedocs.io/en/latest/configuration.html
# Page templates and previews use inline styles; no page runs an inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
    },
}
# Added under /admin/ (config.middleware.ContentSecurityPolicyMiddleware): Wagtail's
# admin is not yet free of inline scripts and eval, and shows Gravatar avatars.
ADMIN_CSP_ALLOWANCES = {
    "script-src": [UNSAFE_INLINE, UNSAFE_EVAL],
    "img-src": ["www.gravatar.com"],
}

# STATIC AND MEDIA
# https://docs.djangoproject.com/en/5.2/howto/static-files/
STATIC_URL = "/static/"
STATIC_ROOT = env.str("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = env.str("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media"))
PRIVATE_MEDIA_ROOT = env.str("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private"))
# Object storage (Amazon S3 or a compatible service) when a bucket is named, through
# django-storages: https://django-storages.readthedocs.io/en/latest/backends/amazon-S3.html
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
# Django itself answers MEDIA_URL from MEDIA_ROOT (one host, or a shared volume); off
# by default with object storage, and to be turned off when a web server serves media.
MEDIA_SERVE = env.bool("MEDIA_SERVE", default=not AWS_STORAGE_BUCKET_NAME)
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Customer uploads: never under MEDIA_URL; served only through the API to their owner.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
if AWS_STORAGE_BUCKET_NAME:
    # Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or _FILE), else boto3's
    # own chain (instance or task role, ~/.aws).
    _s3_connection = {
        name: value
        for name, value in {
            "access_key": env_secret("AWS_ACCESS_KEY_ID", default=""),
            "secret_key": env_secret("AWS_SECRET_ACCESS_KEY", default=""),
            "region_name": env.str("AWS_S3_REGION_NAME", default=""),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=""),
            "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default=""),
        }.items()
        if value
    }
    # Editors' images, renditions and documents: public objects under AWS_LOCATION,
    # readable through a bucket policy (or AWS_DEFAULT_ACL=public-read where the
    # service uses ACLs), at plain URLs of the bucket or of AWS_S3_CUSTOM_DOMAIN (a CDN).
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3_connection,
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "location": env.str("AWS_LOCATION", default="media"),
            "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default="") or None,
            "default_acl": env.str("AWS_DEFAULT_ACL", default="") or None,
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {
                "CacheControl": env.str(
                    "AWS_S3_CACHE_CONTROL", default="public, max-age=86400"
                )
            },
        },
    }
    # Customer uploads and export files: a separate bucket or prefix that no policy
    # makes public and no ACL opens; the API streams them to their owner, and any URL
    # the storage gives out is signed and expires.
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3_connection,
            "bucket_name": env.str(
                "AWS_PRIVATE_STORAGE_BUCKET_NAME", default=AWS_STORAGE_BUCKET_NAME
            ),
            "location": env.str("AWS_PRIVATE_LOCATION", default="private"),
            "custom_domain": None,
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": env.int(
                "AWS_PRIVATE_URL_EXPIRE_SECONDS", default=300
            ),
            "file_overwrite": False,
        },
    }
    _public, _private = STORAGES["default"]["OPTIONS"], STORAGES["private"]["OPTIONS"]
    if _private["bucket_name"] == _public["bucket_name"] and (
        not _public["location"]
        or f"{_private['location']}/".startswith(f"{_public['location'].rstrip('/')}/")
    ):
        raise ImproperlyConfigured(
            "AWS_PRIVATE_LOCATION must not be inside AWS_LOCATION in the same bucket: "
            "customer uploads would be public. Use another prefix or "
            "AWS_PRIVATE_STORAGE_BUCKET_NAME."
        )

# TEMPLATES
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# CACHES: Redis when REDIS_URL is set, local memory otherwise.
# https://github.com/jazzband/django-redis
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
                # A Redis outage slows requests down; it never turns them into errors.
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Seconds a public catalogue response stays cached (commerce/catalogue/services/cache.py);
# 0 turns the response cache off (ETag and 304 still work).
CATALOGUE_CACHE_TIMEOUT = env.int("CATALOGUE_CACHE_TIMEOUT", default=300)
# Seconds a stored package card of the read model (commerce.catalogue.services.cards)
# may show old sales figures (units_sold) before it is rendered again.
CATALOGUE_CARD_MAX_AGE = env.int("CATALOGUE_CARD_MAX_AGE", default=300)

# BACKGROUND TASKS: Huey on Redis, or on a SQLite file for the embedded default.
# https://huey.readthedocs.io/en/latest/django.html
HUEY_IMMEDIATE = env.bool("HUEY_IMMEDIATE", default=False)
# Seconds a request waits for Redis when it queues a task (config/queue.py).
HUEY_REDIS_TIMEOUT = env.float("HUEY_REDIS_TIMEOUT", default=0.5)
# Seconds a process stops queueing after the queue failed; the outbox re-drive
# delivers what was written meanwhile.
OUTBOX_ENQUEUE_BACKOFF_SECONDS = env.float(
    "OUTBOX_ENQUEUE_BACKOFF_SECONDS", default=10.0
)
if REDIS_URL:
    HUEY = {
        "huey_class": "config.queue.ShortTimeoutRedisHuey",
        "name": "fantasize",
        "url": REDIS_URL,
        "socket_timeout": HUEY_REDIS_TIMEOUT,
        "socket_connect_timeout": HUEY_REDIS_TIMEOUT,
        "immediate": HUEY_IMMEDIATE,
        "consumer": {
            "workers": env.int("HUEY_WORKERS", default=2),
            "worker_type": "thread",
        },
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "fantasize",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
        "consumer": {
            "workers": env.int("HUEY_WORKERS", default=2),
            "worker_type": "thread",
        },
    }

# Wagtail's own background work (reference index, file clean-up, image focal points) goes
# through django-tasks to the Huey worker, enqueued once the transaction commits; with
# HUEY_IMMEDIATE the worker is bypassed and it runs inline.
# https://docs.wagtail.org/en/stable/reference/settings.html#tasks
TASKS = {
    "default": {
        "BACKEND": "huey.contrib.djhuey.tasks_backend.HueyBackend",
        "ENQUEUE_ON_COMMIT": True,
    }
}

# EMAIL
# https://anymail.dev/en/stable/
EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="shop@localhost")
# The ESP's settings for django-anymail: every ANYMAIL_<NAME> variable becomes
# ANYMAIL["<NAME>"], e.g. ANYMAIL_MAILGUN_API_KEY with
# DJANGO_EMAIL_BACKEND=anymail.backends.mailgun.EmailBackend.
ANYMAIL = {
    name.removeprefix("ANYMAIL_"): value
    for name, value in os.environ.items()
    if name.startswith("ANYMAIL_")
}

# WAGTAIL
# https://docs.wagtail.org/en/stable/reference/settings.html
WAGTAIL_SITE_NAME = env.str("WAGTAIL_SITE_NAME", default="Fantasize")
WAGTAILADMIN_BASE_URL = env.str(
    "WAGTAILADMIN_BASE_URL", default="http://localhost:8000"
)
# Staff avatars are uploaded in the admin or Wagtail's default picture; never Gravatar,
# which would send a hash of every staff email to a third party (and is unreachable
# offline, leaving a broken image).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Unset: absolute URLs of the v2 API use the Wagtail site's root URL (config/api.py).
if env.str("WAGTAILAPI_BASE_URL", default=""):
    WAGTAILAPI_BASE_URL = env.str("WAGTAILAPI_BASE_URL")
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": env.str(
            "WAGTAILSEARCH_BACKEND", default="wagtail.search.backends.database"
        )
    }
}
WAGTAILDOCS_EXTENSIONS = [
    "csv",
    "docx",
    "key",
    "odt",
    "pdf",
    "pptx",
    "rtf",
    "txt",
    "xlsx",
    "zip",
]
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
PREVIEW_TOKEN_MAX_AGE_SECONDS = env.int("PREVIEW_TOKEN_MAX_AGE_SECONDS", default=3600)
# The storefront page that shows a draft, with {token} where the signed preview token
# goes (it fetches GET /api/preview/{token}); when set, the admin previews products and
# packages there. Empty: the admin previews with the site templates.
HEADLESS_PREVIEW_URL = env.str("HEADLESS_PREVIEW_URL", default="")
if HEADLESS_PREVIEW_URL and "{token}" not in HEADLESS_PREVIEW_URL:
    raise ImproperlyConfigured("HEADLESS_PREVIEW_URL must contain {token}.")

# CUSTOMER UPLOADS
CUSTOMER_UPLOAD_MAX_BYTES = env.int(
    "CUSTOMER_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024
)
# 24 MP: a 6000 x 4000 camera frame, which prints A3 at 300 dpi (17.4 MP needed).
# Larger JPEGs are decoded at 1/2, 1/4 or 1/8 scale to fit; other formats are refused.
CUSTOMER_UPLOAD_MAX_PIXELS = env.int("CUSTOMER_UPLOAD_MAX_PIXELS", default=24_000_000)
# Photo decodes running at once in one process (each holds ~4 bytes a pixel, 96 MB
# at the limit); further uploads wait, then get 503.
CUSTOMER_UPLOAD_CONCURRENT_DECODES = env.int(
    "CUSTOMER_UPLOAD_CONCURRENT_DECODES", default=2
)
CUSTOMER_UPLOAD_DECODE_WAIT_SECONDS = env.float(
    "CUSTOMER_UPLOAD_DECODE_WAIT_SECONDS", default=10.0
)
# Photo uploads per account or guest cart (DRF throttle rate: N/second, minute, hour or day).
CUSTOMER_UPLOAD_RATE_PER_ACCOUNT = env.str(
    "CUSTOMER_UPLOAD_RATE_PER_ACCOUNT", default="30/hour"
)
# Avatars are re-encoded to fit in a square of this many pixels.
AVATAR_MAX_SIZE = env.int("AVATAR_MAX_SIZE", default=512)
CUSTOMER_UPLOAD_TTL_HOURS = env.int("CUSTOMER_UPLOAD_TTL_HOURS", default=48)
DATA_UPLOAD_MAX_MEMORY_SIZE = CUSTOMER_UPLOAD_MAX_BYTES + 1024 * 1024

# EXPORTS: XLSX/JSON exports above this many rows run as a background job (CSV streams).
EXPORT_SYNC_MAX_ROWS = env.int("EXPORT_SYNC_MAX_ROWS", default=5000)

# CHECKOUT: the shop's currency (ISO 4217), whether catalogue prices include tax,
# and how long a guest's cart lives after its last change.
SHOP_CURRENCY = env.str("SHOP_CURRENCY", default="EUR").upper()
PRICES_INCLUDE_TAX = env.bool("PRICES_INCLUDE_TAX", default=True)
CART_GUEST_TTL_DAYS = env.int("CART_GUEST_TTL_DAYS", default=30)

# RETURNS: days after delivery a customer may ask to return an order; after that a
# periodic task marks delivered orders completed.
RETURN_WINDOW_DAYS = env.int("RETURN_WINDOW_DAYS", default=14)
if RETURN_WINDOW_DAYS < 0:
    raise ImproperlyConfigured("RETURN_WINDOW_DAYS cannot be negative.")

# PAYMENTS: gateway plugins, by dotted path (commerce.payments.base.PaymentGateway).
PAYMENT_GATEWAYS = env.list(
    "PAYMENT_GATEWAYS",
    default=[
        "commerce.payments.gateways.CashOnDeliveryGateway",
        "commerce.payments.gateways.DummyCardGateway",
    ],
)

# NOTIFICATIONS: outbox delivery, push, webhooks, plugins.
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
OUTBOX_RETRY_BASE_SECONDS = env.int("OUTBOX_RETRY_BASE_SECONDS", default=30)
OUTBOX_RETRY_MAX_SECONDS = env.int("OUTBOX_RETRY_MAX_SECONDS", default=3600)
OUTBOX_REDRIVE_BATCH = env.int("OUTBOX_REDRIVE_BATCH", default=500)
OUTBOX_REDRIVE_GRACE_SECONDS = env.int("OUTBOX_REDRIVE_GRACE_SECONDS", default=30)
# A Firebase service account (JSON text or a file path); push is on only when set.
FIREBASE_MESSAGING_CREDENTIALS = env_secret("FIREBASE_CREDENTIALS", default="")
EMAIL_DOMAIN = env.str("EMAIL_DOMAIN", default="fantasize.local")
# Networks webhooks may reach although they are not public (e.g. 10.0.0.0/8).
WEBHOOK_ALLOWED_NETWORKS = env.list("WEBHOOK_ALLOWED_NETWORKS", default=[])
WEBHOOK_CONNECT_TIMEOUT = env.float("WEBHOOK_CONNECT_TIMEOUT", default=3.0)
WEBHOOK_READ_TIMEOUT = env.float("WEBHOOK_READ_TIMEOUT", default=10.0)
# Plugins (commerce.plugins.base.BasePlugin subclasses), by dotted path.
PLUGINS = env.list("PLUGINS", default=[])

# DJANGO REST FRAMEWORK
# https://www.django-rest-framework.org/api-guide/settings/
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "commerce.accounts.oauth_clients.ScopedOAuth2Authentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "config.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "config.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "config.openapi.ApiAutoSchema",
    "EXCEPTION_HANDLER": "config.exceptions.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Per client address (config/throttling.py), on the cache: Redis in production.
    "DEFAULT_THROTTLE_RATES": {
        "register": env.str("THROTTLE_RATE_REGISTER", default="20/hour"),
        "password_reset": env.str("THROTTLE_RATE_PASSWORD_RESET", default="10/hour"),
        "email_change": env.str("THROTTLE_RATE_EMAIL_CHANGE", default="10/hour"),
        "uploads": env.str("THROTTLE_RATE_UPLOADS", default="120/hour"),
        "cart_create": env.str("THROTTLE_RATE_CART_CREATE", default="300/hour"),
        "voucher": env.str("THROTTLE_RATE_VOUCHER", default="30/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Fantasize API",
    "DESCRIPTION": "Headless commerce for Wagtail: catalogue, customizations, cart, orders and notifications.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Swagger UI's "Authorize": the authorization-code flow always sends PKCE (S256);
    # the provider redirects back to /api/docs/oauth2-redirect.html.
    "SWAGGER_UI_OAUTH2_CONFIG": {"usePkceWithAuthorizationCodeGrant": True},
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/",
    "PREPROCESSING_HOOKS": ["config.openapi.endpoints_keep_own_api"],
    "ENUM_NAME_OVERRIDES": {
        "OrderStatusEnum": "commerce.enums.OrderStatus",
        "ExportKindEnum": "commerce.enums.ExportKind",
        "KindEnum": "customization.enums.CustomizationKind",
        "ExportJobStatusEnum": "commerce.enums.ExportJobStatus",
        "RoleEnum": "commerce.enums.UserRole",
        "OrderEventActorRoleEnum": "commerce.enums.OrderEventActorRole",
        "ReviewStatusEnum": "commerce.enums.ReviewStatus",
        "ReturnStatusEnum": "commerce.enums.ReturnStatus",
        "SellableKindEnum": [("product", "product"), ("package", "package")],
    },
}

# TOKENS: django-oauth-toolkit issues RS256 JWT access tokens.
# https://django-oauth-toolkit.readthedocs.io/en/latest/settings.html
JWT_PRIVATE_KEY = env_secret("JWT_PRIVATE_KEY", default="")
JWT_DEV_KEY_FILE = VAR_DIR / "jwt-dev-key.pem"
JWT_ISSUER = env.str("JWT_ISSUER", default=WAGTAILADMIN_BASE_URL.rstrip("/"))
ACCESS_TOKEN_LIFETIME_SECONDS = env.int("ACCESS_TOKEN_LIFETIME_SECONDS", default=300)
REFRESH_TOKEN_LIFETIME_SECONDS = env.int(
    "REFRESH_TOKEN_LIFETIME_SECONDS", default=14 * 24 * 3600
)
FIRST_PARTY_CLIENT_ID = env.str(
    "FIRST_PARTY_CLIENT_ID", default="fantasize-first-party"
)
OAUTH2_PROVIDER = {
    "ACCESS_TOKEN_EXPIRE_SECONDS": ACCESS_TOKEN_LIFETIME_SECONDS,
    "REFRESH_TOKEN_EXPIRE_SECONDS": REFRESH_TOKEN_LIFETIME_SECONDS,
    "ACCESS_TOKEN_GENERATOR": "commerce.accounts.services.tokens.access_token_generate",
    "OAUTH2_VALIDATOR_CLASS": "commerce.accounts.oauth.JwtAccessTokenValidator",
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "REFRESH_TOKEN_GRACE_PERIOD_SECONDS": 0,
    "PKCE_REQUIRED": True,
    "OIDC_ENABLED": True,
    "OIDC_ISS_ENDPOINT": JWT_ISSUER,
    # The authorization-code flow (with PKCE) is the only one the server runs.
    "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
    "SCOPES": {
        "openid": "OpenID Connect",
        "read": "Read access",
        "write": "Write access",
        # Client-credentials integrations (commerce/accounts/oauth_clients.py maps them to permissions).
        "introspection": "Introspect tokens (resource servers)",
        "users:read": "Read user accounts",
        "users:write": "Change user accounts",
        "catalogue:write": "Create and change products, packages and categories",
    },
    "SCOPES_BACKEND_CLASS": "commerce.accounts.oauth_clients.ApplicationScopes",
    "DEFAULT_SCOPES": ["read", "write"],
    "ALLOWED_REDIRECT_URI_SCHEMES": env.list(
        "OAUTH_ALLOWED_REDIRECT_URI_SCHEMES", default=["https"]
    ),
    "ALLOW_URI_WILDCARDS": False,
    # RFC 9700 (OAuth 2.0 Security BCP): adopt every compliant behaviour.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
}
# Development may register http://localhost redirect URIs; production keeps https only.
OAUTH2_PROVIDER["COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME"] = (
    "http" not in OAUTH2_PROVIDER["ALLOWED_REDIRECT_URI_SCHEMES"]
)

# ACCOUNT EMAILS: where the links of password reset and email change mails lead.
# The frontend page receives the token and POSTs it to the matching /confirm endpoint.
# Empty: a link to that API endpoint on WAGTAILADMIN_BASE_URL.
PASSWORD_RESET_URL = env.str("PASSWORD_RESET_URL", default="")
EMAIL_CHANGE_CONFIRM_URL = env.str("EMAIL_CHANGE_CONFIRM_URL", default="")
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT_SECONDS", default=3600)
EMAIL_CHANGE_TIMEOUT = env.int("EMAIL_CHANGE_TIMEOUT_SECONDS", default=24 * 3600)

# ORDER EMAILS: the link to an order in its emails; {token} (the order's public key)
# and {number} are replaced. Empty: /api/orders/{token} on WAGTAILADMIN_BASE_URL.
ORDER_URL = env.str("ORDER_URL", default="")
if ORDER_URL and "{token}" not in ORDER_URL and "{number}" not in ORDER_URL:
    raise ImproperlyConfigured("ORDER_URL must contain {token} or {number}.")

# SOCIAL LOGIN / FIREBASE: each provider is on only when its keys are set.
# https://python-social-auth.readthedocs.io/en/latest/configuration/django.html
# https://firebase.google.com/docs/auth/admin/verify-id-tokens
SOCIAL_AUTH_GOOGLE_OAUTH2_KEY = env.str("GOOGLE_OAUTH2_CLIENT_ID", default="")
SOCIAL_AUTH_GOOGLE_OAUTH2_SECRET = env_secret("GOOGLE_OAUTH2_CLIENT_SECRET", default="")
# Android/iOS client IDs whose Google ID/access tokens the mobile login also accepts.
GOOGLE_OAUTH2_EXTRA_CLIENT_IDS = env.list("GOOGLE_OAUTH2_EXTRA_CLIENT_IDS", default=[])
SOCIAL_AUTH_FACEBOOK_KEY = env.str("FACEBOOK_APP_ID", default="")
SOCIAL_AUTH_FACEBOOK_SECRET = env_secret("FACEBOOK_APP_SECRET", default="")
SOCIAL_AUTH_FACEBOOK_SCOPE = ["email"]
SOCIAL_AUTH_FACEBOOK_PROFILE_EXTRA_PARAMS = {"fields": "id,name,email"}
# Kept out of AUTHENTICATION_BACKENDS: social logins never go through Django's
# authenticate() (nor its lockout signals); commerce.accounts.social_auth.ApiStrategy runs them.
SOCIAL_AUTH_AUTHENTICATION_BACKENDS = [
    "social_core.backends.google.GoogleOAuth2",
    "social_core.backends.facebook.FacebookOAuth2",
]
SOCIAL_AUTH_STRATEGY = "commerce.accounts.social_auth.ApiStrategy"
SOCIAL_AUTH_PIPELINE = [
    "social_core.pipeline.social_auth.social_details",
    "social_core.pipeline.social_auth.social_uid",
    "social_core.pipeline.social_auth.social_user",
    "commerce.accounts.services.social.social_pipeline_account_link",
]
SOCIAL_AUTH_REDIRECT_IS_HTTPS = env.bool("SOCIAL_AUTH_REDIRECT_IS_HTTPS", default=False)
# Frontend pages the browser flow may return to (exact match), with ?code=<one-time code>.
SOCIAL_LOGIN_REDIRECT_URLS = env.list("SOCIAL_LOGIN_REDIRECT_URLS", default=[])
SOCIAL_LOGIN_CODE_LIFETIME_SECONDS = env.int(
    "SOCIAL_LOGIN_CODE_LIFETIME_SECONDS", default=60
)
FIREBASE_PROJECT_ID = env.str("FIREBASE_PROJECT_ID", default="")

# CLIENT ADDRESS: X-Forwarded-For is believed only from these proxies (config/throttling.py).
# FORWARDED_ALLOW_IPS: addresses or networks of the proxies (gunicorn reads it too, with
# the same default); TRUSTED_PROXY_COUNT: how many proxy hops always sit in front.
FORWARDED_ALLOW_IPS = env.list("FORWARDED_ALLOW_IPS", default=["127.0.0.1"])
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Accepted "Contact us" messages per client address: <count>/<second|minute|hour|day>.
CONTACT_RATE = env.str("CONTACT_RATE", default="5/hour")

# BRUTE-FORCE PROTECTION: django-axes records failures, commerce/accounts/login_throttle.py decides.
# https://django-axes.readthedocs.io/en/latest/4_configuration.html
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_COOLOFF_MINUTES = env.float("LOGIN_COOLOFF_MINUTES", default=15)
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=100)
LOGIN_ACCOUNT_SLOWDOWN_AFTER = env.int("LOGIN_ACCOUNT_SLOWDOWN_AFTER", default=10)
LOGIN_ACCOUNT_SLOWDOWN_MAX_SECONDS = env.int(
    "LOGIN_ACCOUNT_SLOWDOWN_MAX_SECONDS", default=60
)
AXES_HANDLER = "commerce.accounts.login_throttle.LoginThrottleHandler"
AXES_FAILURE_LIMIT = "commerce.accounts.login_throttle.pair_failure_limit_get"
AXES_COOLOFF_TIME = "commerce.accounts.login_throttle.cool_off_get"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "email"
AXES_USERNAME_CALLABLE = "commerce.accounts.login_throttle.login_username_get"
AXES_CLIENT_IP_CALLABLE = "config.throttling.client_address_get"
AXES_LOCKOUT_CALLABLE = "commerce.accounts.login_throttle.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ADMIN = False

# LOGGING
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "config.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            # plain or json (one JSON object per line)
            "formatter": env.str("DJANGO_LOG_FORMAT", default="plain"),
        }
    },
    "root": {
        "handlers": ["console"],
        "level": env.str("DJANGO_LOG_LEVEL", default="INFO"),
    },
    "loggers": {
        "axes": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}

# Filled in by local.py/test.py (a generated development key) or production.py (required).
OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"] = JWT_PRIVATE_KEY or ""
