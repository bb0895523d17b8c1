# The commands a newcomer needs. `make run` and `make test` work on a fresh machine.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_SIZE ?= national
BENCH_SIZE ?= national

# Django 6 needs Python >= 3.12: take one from PATH, else from pyenv, newest first.
PYTHON_BOOT := $(shell for c in python3.13 python3.12 $$(ls -d $$(pyenv root 2>/dev/null)/versions/3.1[23]*/bin/python3 2>/dev/null | sort -rV); do \
	command -v $$c >/dev/null 2>&1 || [ -x "$$c" ] || continue; \
	$$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$c; break; }; done)

.PHONY: run test bench lint setup db clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -n "$(PYTHON_BOOT)" || { echo "Fant ingen Python 3.12 eller nyere (Django 6 krever det)."; exit 1; }
	$(PYTHON_BOOT) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed node_modules/.installed

# `make run` is development: DEBUG on (so a secret key is generated once into var/secret_key) and demo
# users with the published password, which seed_demo writes only into the embedded SQLite database (or
# any database when DJANGO_DEMO=1): `DATABASE_URL=postgres://… make run` gets no demo data.
DEV := DJANGO_DEBUG=1

db: setup
	$(DEV) $(PY) manage.py migrate --no-input
	$(DEV) $(PY) manage.py load_reference
	$(DEV) $(PY) manage.py seed_demo --size $(DEMO_SIZE) --if-empty

# The task worker (e-mail, imports, reports) runs beside the web server and stops with it.
run: db
	trap 'kill 0' EXIT; \
	$(DEV) $(PY) manage.py db_worker --queue-name '*' & \
	$(DEV) $(PY) manage.py runserver $(HOST):$(PORT)

# Tests run in parallel, one worker per CPU (pytest-xdist; each worker has its own test database).
# `make test TEST_WORKERS=0` runs them in one process.
TEST_WORKERS ?= auto

test: setup
	$(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal

# The benchmark seeds demo data into its own throwaway database (DJANGO_DEMO=1 installs the demo app).
bench: setup
	DJANGO_DEMO=1 $(PY) manage.py bench --size $(BENCH_SIZE)

lint: setup
	$(PY) -m ruff check .
	$(DEV) $(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) node_modules db.sqlite3* staticfiles
