# casework: two commands for a fresh machine.
#   make run   installs everything, migrates, loads demo data (the first time, with the 500-person
#              cohort for the reports: a couple of minutes) and serves http://127.0.0.1:5000 on SQLite
#              under gunicorn (gunicorn.conf.py: a worker per core, at least two), with the scheduler
#              process beside it (Procfile; Ctrl-C stops both)
#   make test  installs everything and runs ruff and the whole test suite (SQLite and PostgreSQL side by side)

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask
PYTHON ?= python3
POSTGRES_URL ?= $(or $(CASEWORK_TEST_POSTGRES_URL),postgresql+psycopg://postgres@127.0.0.1:5432/test)

# Debian packages: WeasyPrint's text stack (libharfbuzz-subset0 makes PDFs about 4x faster) and a
# font; Node.js to build the GOV.UK/MoJ assets; Chromium for the browser tests.
RUNTIME_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
NODE_DEBS := nodejs npm
TEST_DEBS := chromium

.PHONY: run test install assets system-deps test-system-deps lint

run: install assets
	$(FLASK) --app casework db-upgrade
	$(FLASK) --app casework seed-demo --cohort
	@echo "Serving on http://127.0.0.1:5000 under gunicorn with the scheduler beside it (demo accounts are listed in README.md)"
	CASEWORK_SECURE_COOKIES=0 PORT=5000 $(VENV)/bin/honcho start

# The two database legs run side by side (one core each). The PostgreSQL leg leaves out the browser
# tests: they check pages, which do not depend on the database, and run once on SQLite. Every test of
# migrations, locking, concurrency and the clock runs on both.
test: install assets test-system-deps
	$(VENV)/bin/ruff check casework tests migrations bench
	$(VENV)/bin/ruff format --check casework tests migrations bench
	@rm -f .postgres-leg.log .postgres-leg.status; \
	if $(PY) -c "import psycopg,sys; psycopg.connect('$(POSTGRES_URL)'.replace('+psycopg',''), connect_timeout=3).close()" 2>/dev/null; then \
		( CASEWORK_TEST_DATABASE=postgresql CASEWORK_TEST_POSTGRES_URL='$(POSTGRES_URL)' \
			$(VENV)/bin/pytest -q -p no:cacheprovider -m "not browser" > .postgres-leg.log 2>&1; \
			echo $$? > .postgres-leg.status ) & \
	else \
		echo "== PostgreSQL leg skipped: no server answers at $(POSTGRES_URL) =="; \
		if [ -n "$$CI" ]; then echo "CI must run the PostgreSQL leg"; exit 1; fi; \
	fi; \
	echo "== SQLite leg =="; \
	CASEWORK_TEST_DATABASE=sqlite $(VENV)/bin/pytest -q -p no:cacheprovider; sqlite_status=$$?; \
	wait; \
	if [ -f .postgres-leg.status ]; then \
		echo "== PostgreSQL leg ($(POSTGRES_URL)) =="; cat .postgres-leg.log; \
		postgres_status=$$(cat .postgres-leg.status); rm -f .postgres-leg.log .postgres-leg.status; \
	else postgres_status=0; fi; \
	test $$sqlite_status -eq 0 && test $$postgres_status -eq 0

install: system-deps $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

assets: static/vendor/app.css

static/vendor/app.css: package.json package-lock.json static/build.mjs static/src/app.scss
	npm ci --no-audit --no-fund --loglevel=error
	node static/build.mjs

# Installs missing Debian packages when run as root on Debian; elsewhere says what is needed.
system-deps:
	@$(call ensure_debs,$(RUNTIME_DEBS))
	@command -v npm >/dev/null || { $(call ensure_debs,$(NODE_DEBS)); }

test-system-deps:
	@$(call ensure_debs,$(TEST_DEBS))

define ensure_debs
	missing=""; for pkg in $(1); do dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian packages:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	elif ! command -v dpkg >/dev/null; then \
		echo "Not Debian: install the equivalents of:$$missing"; \
	else \
		echo "Missing Debian packages:$$missing. Run: sudo apt-get install$$missing"; exit 1; \
	fi
endef
