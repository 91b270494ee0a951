# Fantasize: every command the README, pre-commit and CI use.
SHELL := /bin/bash
PYTHON_BIN ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTEST_ARGS ?=

.DEFAULT_GOAL := help

help: ## Show this help
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON_BIN) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed ## Create the virtualenv and install the pinned requirements

run: install ## Set everything up on SQLite and start the web server and a Huey consumer
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py demo_setup
	$(PY) manage.py seed_catalogue
	@echo ""
	@echo "Fantasize is starting on http://localhost:$(PORT)/"
	@echo "  Admin           http://localhost:$(PORT)/admin/"
	@echo "  API docs        http://localhost:$(PORT)/api/docs/"
	@echo "  OpenAPI schema  http://localhost:$(PORT)/api/schema/"
	@echo "  Products        http://localhost:$(PORT)/api/products"
	@echo "  Wagtail API v2  http://localhost:$(PORT)/api/v2/pages/"
	@echo ""
	@$(PY) manage.py run_huey & HUEY_PID=$$!; \
	trap 'kill $$HUEY_PID 2>/dev/null; wait $$HUEY_PID 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 0.0.0.0:$(PORT) --noreload

test: install ## Run the test suite (PostgreSQL when DATABASE_URL is set, SQLite otherwise)
	$(VENV)/bin/pytest -n 2 $(PYTEST_ARGS)

test-fast: install ## Run the tests, stopping at the first failure
	$(VENV)/bin/pytest -n 2 -x -q $(PYTEST_ARGS)

lint: install ## Check code style (ruff)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install ## Format the code (ruff)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: install ## Fail when models and migrations disagree
	$(PY) manage.py makemigrations --check --dry-run

check-deploy: install ## Run Django's deployment checks with production settings
	DJANGO_SETTINGS_MODULE=config.settings.production \
	DJANGO_SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	DJANGO_ALLOWED_HOSTS=shop.example.com \
	JWT_PRIVATE_KEY="$$($(PY) -c 'from config.keys import rsa_private_key_generate_pem as k; print(k())')" \
	$(PY) manage.py check --deploy --fail-level WARNING

openapi-snapshot: install ## Rewrite the committed OpenAPI snapshot after an intended API change
	$(PY) manage.py spectacular --validate --fail-on-warn --file tests/config/openapi_snapshot.yaml

ci: lint migrations-check check-deploy test ## Everything CI runs

.PHONY: help install run test test-fast lint format migrations-check check-deploy openapi-snapshot ci
