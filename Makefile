# caseview: `make run` installs everything and serves the demo; `make test` runs the whole suite.
# Both can be run again and again.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
CASEVIEW := $(VENV)/bin/caseview
DEBIAN_PACKAGES := chromium fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 poppler-utils libreoffice-writer-nogui
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install system-packages python-packages assets run serve demo-env test test-only lint format bench clean

install: system-packages python-packages assets

# Debian packages: Chromium drives the browser tests; Pango is for PDF reports; poppler-utils reads PDFs for the
# publication check; LibreOffice (Writer, no GUI) lets the tests open every Word file we make as LibreOffice users
# will. Installed only when missing.
system-packages:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages: $$missing"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	$(PY) -m pip install -q --no-deps --no-build-isolation -e . 2>/dev/null || $(PY) -m pip install -q --no-deps -e .
	@touch $@

python-packages: $(VENV)/.installed

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

caseview/static/dist/caseview.css: node_modules/.package-lock.json frontend/caseview.scss frontend/build.mjs
	npm run --silent build

assets: caseview/static/dist/caseview.css

# The demo's own settings: plain HTTP on this machine, the demo banner, no second factor, and keys made once.
var/demo.env:
	@mkdir -p var
	@echo "CASEVIEW_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@
	@echo "CASEVIEW_ENCRYPTION_KEYS=$$($(CASEVIEW) newkey)" >> $@
	@chmod 600 $@

demo-env: var/demo.env

DEMO = set -a && source var/demo.env && set +a && \
	CASEVIEW_ALLOWED_HOSTS=$(HOST),localhost CASEVIEW_HTTPS=0 CASEVIEW_DEMO=1 CASEVIEW_REQUIRE_2FA=0

run: install demo-env
	@$(DEMO) $(CASEVIEW) migrate --no-input -v0
	@$(DEMO) $(CASEVIEW) collectstatic --no-input -v0
	@$(DEMO) $(CASEVIEW) demo
	@echo
	@echo "Serving http://$(HOST):$(PORT)/ (Ctrl+C to stop); background work runs in a worker beside it"
	@$(DEMO) bash -c '$(CASEVIEW) db_worker --interval 1 --no-startup-delay > var/worker.log 2>&1 & worker=$$!; \
	  trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  $(VENV)/bin/gunicorn caseview.wsgi --bind $(HOST):$(PORT) --workers 2 --access-logfile - --log-level warning'

test: install lint test-only

test-only:
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy caseview tests conftest.py bench

# Speed and memory against a baseline measured in the same run (the chronology import against pandas; the report
# build against python-docx and WeasyPrint drawing the same text directly; the publication check against a plain
# search for the registry's names).
bench: python-packages
	$(PY) -m pip install -q -r bench/requirements.txt
	$(PY) bench/bench_chronology.py $(BENCH_ARGS)
	$(PY) bench/bench_report.py $(REPORT_BENCH_ARGS)
	$(PY) bench/bench_publication_check.py

format:
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules caseview/static/dist var
