# Fantasize: the commands the README, pre-commit and CI use. `make help` lists them.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

PYTHON_BIN ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Address `make run` listens on: loopback only by default; HOST=0.0.0.0 to serve the network.
HOST ?= 127.0.0.1
PYTEST_ARGS ?=
BENCH_ARGS ?=
SCALE_ARGS ?=
OPENAPI_SNAPSHOT := tests/config/openapi_snapshot.yaml

.DEFAULT_GOAL := help

help: ## Show this help
	@echo "Usage: make <target> [HOST=127.0.0.1] [PORT=8000] [PYTEST_ARGS=...]"
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) \
		| awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2}'

# The stamp makes `install` a no-op until a requirements file changes.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	@if [ ! -x "$(PY)" ]; then \
		if [ -z "$(PYTHON_BIN)" ]; then echo "Python 3.11 is required (python3.11 or python3)." >&2; exit 1; fi; \
		"$(PYTHON_BIN)" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
			|| { echo "Python 3.11 or newer is required; $(PYTHON_BIN) is older." >&2; exit 1; }; \
		echo "Creating $(VENV) with $(PYTHON_BIN)"; \
		"$(PYTHON_BIN)" -m venv $(VENV); \
	fi
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed ## Create .venv and install the pinned requirements (fast when unchanged)
	@command -v chromedriver >/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing chromium and chromium-driver for the browser test"; \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null \
				|| { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null; }; \
		else \
			echo "No chromium-driver: the browser test will be skipped (apt-get install chromium chromium-driver)."; \
		fi; \
	}

run: install ## Migrate SQLite, create demo logins and catalogue, start the server and a Huey worker
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py demo_setup
	@# The catalogue seed runs its tasks inline: search-index updates are not raced by two workers.
	HUEY_IMMEDIATE=True DJANGO_LOG_LEVEL=WARNING $(PY) manage.py seed_catalogue --quiet
	@echo ""
	@echo "Fantasize is starting on http://localhost:$(PORT)/ (listening on $(HOST))"
	@echo "  Site            http://localhost:$(PORT)/"
	@echo "  Admin           http://localhost:$(PORT)/admin/"
	@echo "  API docs        http://localhost:$(PORT)/api/docs/"
	@echo "  OpenAPI schema  http://localhost:$(PORT)/api/schema/"
	@echo "  Wagtail API v2  http://localhost:$(PORT)/api/v2/pages/"
	@echo "Press Ctrl-C to stop the server and the Huey worker."
	@echo ""
	@PORT=$(PORT) $(PY) manage.py run_huey & huey_pid=$$!; \
	trap 'kill $$huey_pid 2>/dev/null || true; wait $$huey_pid 2>/dev/null || true' EXIT INT TERM; \
	PORT=$(PORT) $(PY) manage.py runserver $(HOST):$(PORT)

test: install ## Run the test suite (PostgreSQL when DATABASE_URL is set, SQLite otherwise)
	$(VENV)/bin/pytest -n 2 $(PYTEST_ARGS)

test-fast: install ## Run the tests quietly, keeping the test database, stopping at the first failure
	$(VENV)/bin/pytest -n 2 -x -q --reuse-db $(PYTEST_ARGS)

lint: install ## Check code style (ruff), the packages' import rule (import-linter) and types (mypy)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	@$(MAKE) --no-print-directory typecheck

typecheck: install ## Type-check the product code with mypy (config in pyproject.toml; cache in .mypy_cache)
	$(VENV)/bin/mypy

format: install ## Fix what ruff can and format the code
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: install ## Fail when models and migrations disagree
	$(PY) manage.py makemigrations --check --dry-run

check-deploy: install ## Run Django's deployment checks with production settings and throwaway secrets
	DJANGO_SETTINGS_MODULE=config.settings.production \
	DJANGO_SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	DJANGO_ALLOWED_HOSTS=example.com \
	WAGTAILADMIN_BASE_URL=https://example.com \
	JWT_PRIVATE_KEY="$$($(PY) -c 'from config.keys import rsa_private_key_generate_pem as k; print(k())')" \
	$(PY) manage.py check --deploy --fail-level WARNING

openapi: install ## Validate the OpenAPI schema and write it to var/openapi.yaml
	@mkdir -p var
	$(PY) manage.py spectacular --validate --fail-on-warn --file var/openapi.yaml

benchmark-export: install ## Time a streamed CSV export of 10,000 orders (prints time and peak memory)
	$(PY) benchmarks/export_orders.py 10000

openapi-snapshot: install ## Rewrite the committed OpenAPI snapshot after an intended API change
	$(PY) manage.py spectacular --validate --fail-on-warn --file $(OPENAPI_SNAPSHOT)

ci: lint migrations-check check-deploy test ## Everything CI runs: lint (with typecheck), migrations-check, check-deploy, test

bench: install ## Benchmark under gunicorn on PostgreSQL + Redis (BENCH_ARGS="--products 1000 --orders 5000"), then the scale curves; not part of CI
	$(PY) benchmarks/run.py $(BENCH_ARGS)
	$(PY) benchmarks/scale.py $(SCALE_ARGS)

bench-scale: install ## Only the scale curves and their charts (SCALE_ARGS="--sizes 1000,10000 --duration 5")
	$(PY) benchmarks/scale.py $(SCALE_ARGS)

.PHONY: help install run test test-fast lint typecheck format migrations-check check-deploy openapi openapi-snapshot benchmark-export ci bench bench-scale
