# One image for every role: web (default CMD), worker (`python manage.py run_huey`) and
# release (`python manage.py migrate --noinput`). Configuration comes from the environment
# (see .env.example); DJANGO_SECRET_KEY, JWT_PRIVATE_KEY, DJANGO_ALLOWED_HOSTS and
# WAGTAILADMIN_BASE_URL are required.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    FANTASIZE_VAR_DIR=/app/var \
    PORT=8000

WORKDIR /app
RUN groupadd --system fantasize \
    && useradd --system --gid fantasize --home-dir /app --no-create-home fantasize

COPY requirements.txt .
RUN pip install -r requirements.txt

# The code stays owned by root and read-only for the app user; only var/ is writable.
COPY . .
# Static files are collected at build time; these throwaway values never reach runtime.
RUN DJANGO_SECRET_KEY=build-only-not-a-secret \
    DJANGO_ALLOWED_HOSTS=localhost \
    WAGTAILADMIN_BASE_URL=http://localhost \
    JWT_PRIVATE_KEY="$(python -c 'from config.keys import rsa_private_key_generate_pem as k; print(k())')" \
    python manage.py collectstatic --noinput -v0 \
    && mkdir -p /app/var/media /app/var/private \
    && chown -R fantasize:fantasize /app/var/media /app/var/private \
    && chown fantasize:fantasize /app/var

USER fantasize
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=4)"]

CMD ["gunicorn", "config.wsgi", "-c", "config/gunicorn.py"]
