# The commands a newcomer needs: `make reproduce` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
ARGS ?=

.PHONY: setup s3 s3-stop migrate run reproduce matrix test browser lint

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

migrate: setup
	$(PY) manage.py migrate --verbosity 0

run: setup s3 migrate
	$(PY) manage.py runserver 127.0.0.1:8000

# The main job: the 2013 measurements on the local S3 server, written to
# reports/latest/. Options go in ARGS, e.g. make reproduce ARGS="--photos 5".
reproduce: setup
	$(PY) -m measurement reproduce $(ARGS)

# Stock across easy-thumbnails, Pillow and django-storages releases, one
# environment per cell (nox, noxfile.py), then reports/matrix/report.md, also
# when some cells fail. Long: not part of `make test`.
# Options go in ARGS, e.g. make matrix ARGS="--photos 10".
matrix: setup
	$(PY) -m nox $(if $(ARGS),-- $(ARGS)); status=$$?; \
	$(PY) -m measurement.matrix && exit $$status

# Debian's chromium and chromium-driver, for the browser tests; installed when
# missing and this user may install packages.
browser:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	else echo "chromium and chromium-driver are missing: the browser tests will be skipped."; fi

test: setup browser
	$(PY) -m pytest $(ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
