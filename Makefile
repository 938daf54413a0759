# The commands a newcomer needs: `make reproduce` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
ARGS ?=

.PHONY: setup s3 s3-stop postgresql postgres postgres-stop migrate run reproduce test test-postgres browser lint

setup: $(VENV)/.installed

# Reinstalls only when the pinned requirements change.
$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

s3: setup
	$(PY) -m local_s3 start

s3-stop: setup
	$(PY) -m local_s3 stop

# Debian's postgresql (the server programs), for `make postgres`, reproductions
# with --database postgres and the tests on PostgreSQL; installed when missing
# and this user may install packages.
postgresql:
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; \
	elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; \
	else echo "PostgreSQL's server programs are missing and cannot be installed here: install Debian's postgresql package."; exit 1; fi

# A PostgreSQL server of the project's own, data in var/postgres/; prints the
# DATABASE_URL that points the site at it.
postgres: setup postgresql
	$(PY) -m local_postgres start

postgres-stop: setup
	$(PY) -m local_postgres stop

migrate: setup
	$(PY) manage.py migrate --verbosity 0

run: setup s3 migrate
	$(PY) manage.py runserver 127.0.0.1:8000

# The main job: the 2013 measurements on the local S3 server, written to
# reports/latest/. Options go in ARGS, e.g. make reproduce ARGS="--photos 5".
reproduce: setup $(if $(findstring postgres,$(ARGS)),postgresql)
	$(PY) -m measurement reproduce $(ARGS)

# Debian's chromium and chromium-driver, for the browser tests; installed when
# missing and this user may install packages.
browser:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	else echo "chromium and chromium-driver are missing: the browser tests will be skipped."; fi

test: setup browser postgresql
	$(PY) -m pytest $(ARGS)

# The query-count and concurrency tests again, on a PostgreSQL server the
# tests start themselves.
test-postgres: setup postgresql
	$(PY) -m pytest --database postgres -m every_database $(ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
