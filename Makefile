# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
# Workers and threads, as measured on 2 cores in the check-in rush (README,
# Performance). SQLite: two single-threaded workers per core, 627–653
# check-ins/s against 417–491 for one worker of two threads per core (a
# worker's threads hand the interpreter lock to each other around every
# statement). PostgreSQL, whose server takes cores of its own: one worker of
# two threads per core, 381–388 check-ins/s against 353–356.
ifeq ($(DATABASE_URL),)
WEB_CONCURRENCY ?= $(shell echo $$(( $$(nproc) * 2 )))
WEB_THREADS ?= 1
else
WEB_CONCURRENCY ?= $(shell nproc)
WEB_THREADS ?= 2
endif
export DJANGO_SETTINGS_MODULE ?= training_site.settings.dev

.PHONY: run serve setup install lock test lint bench bench-import messages clean backup restore

# Exactly the versions in the lock (hash-checked), then the project itself.
$(VENV)/.installed: requirements/dev.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements/dev.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

install: $(VENV)/.installed

# Re-resolve the lock from pyproject.toml's ranges (after changing them, or
# to take newer releases within them), then install it.
lock:
	test -x $(VENV)/bin/uv || { test -x $(PY) || $(PYTHON) -m venv $(VENV); $(PY) -m pip install --quiet "uv>=0.5,<1"; }
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --universal \
		--python-version 3.11 --generate-hashes --upgrade --quiet \
		--output-file requirements/dev.lock
	$(MAKE) install

setup: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(if $(filter 0,$(DEMO)),@echo "DEMO=0: no demo; start with manage.py setup_network",$(PY) manage.py load_demo --if-empty)

# The production server, so what we look at and measure is what would run.
serve:
	$(VENV)/bin/gunicorn training_site.wsgi \
		--bind $(HOST):$(PORT) --workers $(WEB_CONCURRENCY) --threads $(WEB_THREADS) \
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
	$(VENV)/bin/djlint --lint .
	$(VENV)/bin/lint-imports --no-cache

# The suite on TEST_WORKERS processes (pytest-xdist), each on a copy of one
# migrated template database (tests/template_db.py), the slowest tests named,
# branch coverage measured. Browser tests run in a process of their own:
# Playwright's sync API marks an event loop as running in the test thread,
# so Django hands that thread other connection objects than the ones the
# test database was set up on, and a transactional test's restore
# (serialized_rollback) would find no snapshot on them. That process runs
# beside the other (it mostly waits on Chromium; the other, `nice`, yields it
# the CPU: its pages must answer within Playwright's timeouts), its output
# kept in var/browser-tests.log and printed after the other's; its coverage
# goes to a file of its own (var/coverage-browser), added at the end.
# Either run failing fails `make test`, and both fail on no tests collected
# (pytest's exit 5); coverage is checked against its floor (pyproject.toml)
# once both have run, and fails below it. COVERAGE=0 runs the same tests
# without measuring it (on Python 3.11 it costs half again the CPU): CI
# measures it on SQLite and not again on PostgreSQL. LINT=0 skips the lint
# (CI lints once, before both runs).
TEST_WORKERS ?= auto
COVERAGE ?= 1
LINT ?= 1
PYTEST := DJANGO_SETTINGS_MODULE=training_site.settings.test $(VENV)/bin/pytest
BROWSER_LOG := var/browser-tests.log
BROWSER_COVERAGE := var/coverage-browser
ifeq ($(COVERAGE),0)
COV := --no-cov
else
COV := --cov --cov-report= --cov-fail-under=0
endif
test: install $(if $(filter 0,$(LINT)),,lint)
	rm -f .coverage .coverage.* $(BROWSER_COVERAGE) $(BROWSER_COVERAGE).*
	mkdir -p var
	@COVERAGE_FILE=$(BROWSER_COVERAGE) $(PYTEST) -m browser --durations=20 $(COV) \
		> $(BROWSER_LOG) 2>&1 & browser=$$!; \
	echo "== tests outside the browser (the browser's run beside it, in $(BROWSER_LOG))"; \
	DJANGO_SETTINGS_MODULE=training_site.settings.test nice -n 5 $(VENV)/bin/pytest -m "not browser" -n $(TEST_WORKERS) --durations=20 $(COV); suite=$$?; \
	wait $$browser; browser_status=$$?; \
	echo "== browser tests"; cat $(BROWSER_LOG); \
	echo "== exit: $$suite outside the browser, $$browser_status in it"; \
	test $$suite -eq 0 && test $$browser_status -eq 0
ifneq ($(COVERAGE),0)
	@$(VENV)/bin/coverage combine --append --quiet $(BROWSER_COVERAGE)
	@printf "branch coverage (floor in pyproject.toml): "
	@$(VENV)/bin/coverage report --format=total
endif

# Not part of `make test` nor CI: minutes at 100×. BENCH_SCALES="1 10 100".
bench: install
	$(PY) bench/run.py

# The network workbook: the demo exported, imported into an empty install.
IMPORT_SCALES ?= 1 10
bench-import: install
	$(PY) bench/network_import.py $(IMPORT_SCALES)

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
