# The commands a newcomer needs: `make reproduce` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
ARGS ?=
# Ports of the site and of the local S3 server, e.g. make run PORT=8055 S3_PORT=5055
PORT ?= 8000
S3_PORT ?= 5000
# The network the local S3 server answers as (local_services/s3/network.py):
# loopback, same-region or internet, e.g. make run NETWORK=internet, or
# make reproduce NETWORK=internet (an --network in ARGS wins).
NETWORK ?= loopback
# The folder of photos make load-photos loads.
DIR ?= test_photos/

# The tests run on one pytest-xdist worker per core, each with servers of its own.
TEST_WORKERS ?= auto

.PHONY: setup site-port s3 s3-stop postgresql postgres postgres-stop redis-server redis redis-stop worker migrate static run serve load-photos reproduce upstream-check matrix test test-quick test-upstream test-postgres browser lint

setup: $(VENV)/.installed

# Reinstalls only when the pinned requirements, or the fix's own, change.
$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt easy-thumbnails-fix/pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

s3: setup
	$(PY) -m local_services s3 start --port $(S3_PORT) --network $(NETWORK)

s3-stop: setup
	$(PY) -m local_services s3 stop --port $(S3_PORT)

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
	$(PY) -m local_services postgres start

postgres-stop: setup
	$(PY) -m local_services postgres stop

# Debian's redis-server, the task queue's broker; installed when missing and
# this user may install packages.
redis-server:
	@if command -v redis-server >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server; \
	elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server; \
	else echo "redis-server is missing: the task queue tests will be skipped and make redis cannot start it."; fi

redis: setup redis-server
	$(PY) -m local_services redis start

redis-stop: setup
	$(PY) -m local_services redis stop

# A worker of the task queue, in the foreground; its limits come from the
# environment (README, Settings).
worker: setup s3 redis migrate
	$(VENV)/bin/celery -A et_issue_example worker --pool prefork --loglevel INFO

migrate: setup
	$(PY) manage.py migrate --verbosity 0

# make run and make serve refuse a port browsers refuse, before starting anything.
site-port: setup
	$(PY) -m local_services site-port $(PORT)

# The site on the local S3 server that `make s3` started, whatever its port.
run: setup site-port s3 migrate
	AWS_S3_ENDPOINT_URL=http://127.0.0.1:$(S3_PORT) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Photos into the site that `make run S3_PORT=...` serves: its S3 server, its
# database, e.g. make load-photos DIR=~/Pictures/hood S3_PORT=5061
load-photos: setup migrate
	AWS_S3_ENDPOINT_URL=http://127.0.0.1:$(S3_PORT) $(PY) manage.py load_photos $(DIR)

# The site as it is deployed: gunicorn with WEB_CONCURRENCY worker processes
# (gunicorn reads the variable itself; 4 when it is not set), each with
# threads that slow clients cannot all hold (et_issue_example/gunicorn_config.py).
# DEBUG is off, with the secret key in var/secret_key (made once) unless
# SECRET_KEY is set; WhiteNoise serves the admin's files from var/static/.
serve: setup site-port s3 migrate static var/secret_key
	AWS_S3_ENDPOINT_URL=http://127.0.0.1:$(S3_PORT) WEB_CONCURRENCY=$${WEB_CONCURRENCY:-4} \
		DJANGO_DEBUG=$${DJANGO_DEBUG:-0} SECRET_KEY=$${SECRET_KEY:-$$(cat var/secret_key)} \
		$(VENV)/bin/gunicorn et_issue_example.wsgi \
		--config python:et_issue_example.gunicorn_config \
		--bind 127.0.0.1:$(PORT) --access-logfile - --no-control-socket

static: setup
	$(PY) manage.py collectstatic --noinput --verbosity 0

# This checkout's own secret key, readable by its owner alone.
var/secret_key: | setup
	mkdir -p var
	umask 077 && $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

# The main job: the 2013 measurements on the local S3 server, written to
# reports/latest/. Options go in ARGS, e.g. make reproduce ARGS="--photos 5".
reproduce: setup $(if $(findstring postgres,$(ARGS)),postgresql) $(if $(findstring --scenario,$(ARGS)),redis-server)
	$(PY) -m measurement reproduce $(if $(filter-out loopback,$(NETWORK)),--network $(NETWORK)) $(ARGS)

# upstream/*.patch on a clean copy of easy-thumbnails: its own suite, then the
# reproduction with it beside stock and the fix, in reports/latest-upstream/.
upstream-check: setup
	$(PY) -m measurement upstream-check $(ARGS)

# Stock across easy-thumbnails, Pillow and django-storages releases, one
# environment per cell (nox, noxfile.py), then reports/matrix/report.md, also
# when some cells fail. Long: not part of `make test`.
# Options go in ARGS, e.g. make matrix ARGS="--photos 10".
matrix: setup
	$(PY) -m nox $(if $(ARGS),-- $(ARGS)); status=$$?; \
	$(PY) -m measurement matrix && exit $$status

# Debian's chromium and chromium-driver, for the browser tests; installed when
# missing and this user may install packages.
browser:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	else echo "chromium and chromium-driver are missing: the browser tests will be skipped."; fi

# exec: pytest is make's own child, so the SIGTERM make passes on reaches it
# (tests/stopping_plugin.py), not a shell that would die without passing it.
test: setup browser postgresql redis-server
	exec $(PY) -m pytest -n $(TEST_WORKERS) $(ARGS)

# The unit tests and the integration tests that need no server (not marked
# server), for the edit-and-rerun loop.
test-quick: setup
	exec $(PY) -m pytest -n $(TEST_WORKERS) -m "not slow and not server" $(ARGS)

# easy-thumbnails' own test suite, as shipped and again with the fix in
# place of its thumbnailer and field files (upstream_tests/settings.py).
test-upstream: setup
	$(PY) -m upstream_tests

# The query-count and concurrency tests again, on a PostgreSQL server the
# tests start themselves.
test-postgres: setup postgresql
	exec $(PY) -m pytest -n $(TEST_WORKERS) --database postgres -m every_database $(ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
