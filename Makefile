# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
# One worker per core (measured: a check-in rush on 2 cores ran at a median
# 211/s with 2 workers against 180/s with 4, and 20% less CPU a check-in).
WEB_CONCURRENCY ?= $(shell nproc)
export DJANGO_SETTINGS_MODULE ?= training_site.settings.dev

.PHONY: run serve setup install test test-fast lint bench messages clean backup restore

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

setup: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py load_demo --if-empty

# The production server, so what we look at and measure is what would run.
serve:
	$(VENV)/bin/gunicorn training_site.wsgi \
		--bind $(HOST):$(PORT) --workers $(WEB_CONCURRENCY) --threads 2 \
		--access-logfile - --graceful-timeout 10

# The notices' worker (training_site/notify) runs beside the web server and
# stops with it; production runs `manage.py notify_worker` as its own service.
run: setup
	$(PY) manage.py notify_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MAKE) --no-print-directory serve

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Browser tests run in their own process: they flush the database between
# tests and restore Wagtail's tree from a snapshot, which must not depend on
# which other tests ran first.
test: install lint
	DJANGO_SETTINGS_MODULE=training_site.settings.test $(VENV)/bin/pytest -m "not browser"
	DJANGO_SETTINGS_MODULE=training_site.settings.test $(VENV)/bin/pytest -m browser

# Not part of `make test` nor CI: minutes at 100×. BENCH_SCALES="1 10 100".
bench: install
	$(PY) bench/run.py

# Back up the database (SQLite online backup, or pg_dump when DATABASE_URL is
# PostgreSQL) to backups/, or to FILE=…; restore one with FILE=….
backup: install
	$(PY) manage.py backup $(if $(FILE),--output $(FILE))

restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/jiangtan-….sqlite3"; exit 2; }
	$(PY) manage.py restore --yes $(FILE)

# Regenerate the translation catalogues after changing strings.
messages: install
	$(PY) manage.py makemessages --locale zh_Hans --ignore ".venv/*" --ignore "static/*"
	$(PY) manage.py compilemessages --ignore ".venv/*"

clean:
	rm -rf $(VENV) static
