"""Settings for et-issue-example: one module, switched by environment variables.

Every variable read here is listed, with its default, in README.md.
"""

import os
from pathlib import Path

import dj_database_url
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from django.core.exceptions import ImproperlyConfigured

from local_services import S3Server
from local_services.s3 import endpoint_url, is_local_endpoint
from local_services.server import DEFAULT_HOST

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: use 1 or 0.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name) or str(default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r}: use a whole number.") from None


def env_seconds(name: str, default: float) -> float:
    value = os.environ.get(name) or str(default)
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not seconds > 0:
        raise ImproperlyConfigured(
            f"{name}={value!r}: use a number of seconds above 0, e.g. {default}."
        )
    return seconds


# The local site runs with DEBUG on, as the 2013 project did (it is part of the
# scenario: DEBUG keeps every query in memory). Set DJANGO_DEBUG=0 elsewhere.
DEBUG = env_flag("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DJANGO_DEBUG=0 the site needs a secret "
            "key from the environment, e.g. "
            "export SECRET_KEY=\"$(python -c 'import secrets; print(secrets.token_urlsafe(50))')\""
        )
    SECRET_KEY = "django-insecure-local-only-et-issue-example"
elif not DEBUG and (
    # What Django's check security.W009 calls weak, refused here rather than warned
    # about, since `check --deploy` is run by no server.
    len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
    or SECRET_KEY.startswith("django-insecure-")
):
    raise ImproperlyConfigured(
        "SECRET_KEY is weak (under 50 characters, under 5 different ones, or "
        "django-insecure-): with DJANGO_DEBUG=0 make one with "
        "export SECRET_KEY=\"$(python -c 'import secrets; print(secrets.token_urlsafe(50))')\""
    )

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "easy_thumbnails",
    # The fix, behind THUMBNAIL_FIX (below): it takes easy-thumbnails' place.
    "easy_thumbnails_fix",
    "photos",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The admin's styles under gunicorn, from STATIC_ROOT (collectstatic).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads a body: an upload over the limit is refused unread.
    "photos.middleware.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "photos.middleware.StorageStatusMiddleware",
    # Last, so that it sees a view's database error first.
    "photos.middleware.UnmigratedDatabaseMiddleware",
]

# The debug toolbar shows the SQL of the index page, as in 2013. It is off with
# DEBUG off, and can be left out with DEBUG_TOOLBAR=0 (its panels cost memory).
DEBUG_TOOLBAR = DEBUG and env_flag("DEBUG_TOOLBAR", True)
if DEBUG_TOOLBAR:
    INSTALLED_APPS.append("debug_toolbar")
    # After the size limit: its panels read the body of a request it refused.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("photos.middleware.RequestSizeLimitMiddleware") + 1,
        "debug_toolbar.middleware.DebugToolbarMiddleware",
    )
    INTERNAL_IPS = ["127.0.0.1"]
    # Collapsed to its handle, so it covers none of the page; one click on
    # the handle opens it, its SQL count included. Not on the admin's pages
    # (et_issue_example/toolbar.py).
    DEBUG_TOOLBAR_CONFIG = {
        "IS_RUNNING_TESTS": False,
        "SHOW_COLLAPSED": True,
        "SHOW_TOOLBAR_CALLBACK": "et_issue_example.toolbar.show_toolbar",
    }

ROOT_URLCONF = "et_issue_example.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The admin's page head, with the storage's problem at its top.
        "DIRS": [BASE_DIR / "et_issue_example" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "photos.storage_status.storage_problem",
            ],
        },
    },
]

WSGI_APPLICATION = "et_issue_example.wsgi.application"

# SQLite by default. To use PostgreSQL, set DATABASE_URL, e.g.
# postgres://user:password@127.0.0.1:5432/et_issue_example
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}", conn_max_age=0
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # var/ is not in git; SQLite creates the file but not its folder.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Two commands or a threaded server writing at once: take the write lock
    # when a transaction begins and wait for it (up to SQLITE_TIMEOUT), instead
    # of failing with "database is locked" when a reader tries to become a writer.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_seconds("SQLITE_TIMEOUT", 20),
        "init_command": "PRAGMA journal_mode=WAL;",
    }

# Django's cache: local memory, per process, unless CACHE_URL names a Redis
# that every process shares (the fix keeps a page's thumbnail rows there).
CACHE_URL = os.environ.get("CACHE_URL", "").strip()
if not CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
        }
    }
else:
    raise ImproperlyConfigured(
        f"CACHE_URL={CACHE_URL!r}: use a Redis URL (redis://host:port/db), or "
        "leave it unset for a cache in each process's memory."
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where make serve's collectstatic puts the admin's files, for WhiteNoise
# (which warns in each process when the folder is missing).
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Photos and thumbnails live on S3 by default. PHOTO_STORAGE=filesystem runs
# the same site on local disk, to tell S3's share of the cost from the rest.
PHOTO_STORAGE = os.environ.get("PHOTO_STORAGE", "s3")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or VAR_DIR / "media")
MEDIA_URL = "/media/"

# With no AWS variable set, everything points at the local S3 server
# (`make s3`); set them to use AWS S3 or another S3-compatible service.
_AWS_VARIABLES = (
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_S3_ENDPOINT_URL",
)
LOCAL_S3 = not any(os.environ.get(name) for name in _AWS_VARIABLES)
LOCAL_S3_ENDPOINT_URL = endpoint_url(DEFAULT_HOST, S3Server.DEFAULT_PORT)

AWS_STORAGE_BUCKET_NAME = (
    os.environ.get("AWS_STORAGE_BUCKET_NAME") or "et-issue-example"
)
AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or (
    LOCAL_S3_ENDPOINT_URL if LOCAL_S3 else None
)
# Unset ones fall through to boto3's own chain (profile, instance role)...
AWS_ACCESS_KEY_ID = os.environ.get("AWS_ACCESS_KEY_ID") or None
AWS_SECRET_ACCESS_KEY = os.environ.get("AWS_SECRET_ACCESS_KEY") or None
if (
    AWS_ACCESS_KEY_ID is None
    and AWS_SECRET_ACCESS_KEY is None
    and is_local_endpoint(AWS_S3_ENDPOINT_URL)
):
    # ...except on this machine, where the server is the local one (moto, on
    # any port), which accepts any credentials: these are its documented dummies.
    AWS_ACCESS_KEY_ID = "testing"
    AWS_SECRET_ACCESS_KEY = "testing"
AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME", "us-east-1")
AWS_S3_ADDRESSING_STYLE = "path" if AWS_S3_ENDPOINT_URL else None
# Bounded waits: a stopped or slow server ends in an error, not a hang.
AWS_S3_CLIENT_CONFIG = Config(
    s3={"addressing_style": AWS_S3_ADDRESSING_STYLE},
    connect_timeout=env_seconds("AWS_S3_CONNECT_TIMEOUT", 5),
    read_timeout=env_seconds("AWS_S3_READ_TIMEOUT", 30),
    retries={"mode": "standard", "max_attempts": 3},
)

if PHOTO_STORAGE == "s3":
    _DEFAULT_STORAGE = {"BACKEND": "storages.backends.s3.S3Storage"}
elif PHOTO_STORAGE == "filesystem":
    _DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured(
        f"PHOTO_STORAGE={PHOTO_STORAGE!r}: use 's3' (the default) or 'filesystem'."
    )
STORAGES = {
    "default": _DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Limits on what a photo may be, checked by load_photos and the admin upload.
# The pixel limit is also Pillow's MAX_IMAGE_PIXELS (set when the app loads).
# Memory follows pixels, not bytes: 52 megapixels, above a 50-megapixel
# phone's 8192x6144, keep a photo of the costliest mode under 640 MB of RSS
# in any process that checks or thumbnails it; a WebP, which costs twice,
# may have half (README, docs/site.md#memory-per-photo).
PHOTO_MAX_BYTES = env_int("PHOTO_MAX_BYTES", 50 * 1024 * 1024)
PHOTO_MAX_PIXELS = env_int("PHOTO_MAX_PIXELS", 52_000_000)
# A form's fields other than files; a request may hold a photo and this much
# more (photos.middleware.RequestSizeLimitMiddleware).
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
# The first counts a file's bytes and cuts it off past PHOTO_MAX_BYTES, so that
# Django's temporary file never holds more.
FILE_UPLOAD_HANDLERS = [
    "photos.upload_handlers.PhotoSizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# The aliases of the 2013 project, all rendered by the index page.
THUMBNAIL_ALIASES = {
    "": {
        "admin_thumbnail": {"size": (120, 80), "crop": "scale", "quality": 80},
        "admin_thumbnail_small": {"size": (50, 50), "crop": "scale", "quality": 80},
        "admin_thumbnail_cropped": {"size": (120, 120), "crop": True, "quality": 80},
        "profile_photo_thumbnail": {"size": (170, 170), "crop": True, "quality": 80},
        "event_thumbnail": {"size": (160, 120), "crop": True, "quality": 90},
        "article_photo_thumbnail": {"size": (210, 280), "quality": 80},
        "photoset_large": {"size": (555, 370), "quality": 80},
        "photoset_small": {"size": (58, 40), "crop": True, "quality": 80},
        "large_photo": {"size": (960, 720), "quality": 80},
    },
}

# The stock processors, after one that gives them an animated GIF's first
# frame and 16-bit images they can convert; ordinary photos pass untouched.
THUMBNAIL_PROCESSORS = (
    "photos.thumbnail_processors.first_frame_8_bit",
    "easy_thumbnails.processors.colorspace",
    "easy_thumbnails.processors.autocrop",
    "easy_thumbnails.processors.scale_and_crop",
    "easy_thumbnails.processors.filters",
    "easy_thumbnails.processors.background",
)

# The fix for easy-thumbnails #230 (the easy-thumbnails-fix package): off by
# default, so the site shows stock behaviour. THUMBNAIL_FIX=1 turns it on; a
# comma-separated list of its parts turns on only those (the reproduction's
# causes section).
_thumbnail_fix = os.environ.get("THUMBNAIL_FIX", "").strip()
if "," in _thumbnail_fix or "_" in _thumbnail_fix:
    THUMBNAIL_FIX = tuple(part.strip() for part in _thumbnail_fix.split(",") if part)
else:
    THUMBNAIL_FIX = env_flag("THUMBNAIL_FIX", False)
if THUMBNAIL_FIX is True or "upload_beside" in (THUMBNAIL_FIX or ()):
    # A thumbnail is one small PUT: s3transfer's thread pool per upload is
    # pure overhead there.
    AWS_S3_TRANSFER_CONFIG = TransferConfig(use_threads=False)

# Thumbnails made by a task queue (photos/tasks.py): Celery, its broker the
# project's own Redis (`make redis`) unless CELERY_BROKER_URL says otherwise.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6380/0"
# A task is acknowledged once its photo is done, and one whose worker died is
# delivered again: a photo is never left half made.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# A worker process takes one photo at a time, so a photo never waits behind
# another in a busy process while an idle one could make it.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Nothing reads tasks' results: the thumbnails and their rows are the result.
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # An unacknowledged task (its worker's machine gone) is delivered again
    # after this long; longer than any photo takes, or photos are made twice.
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    # A broker that does not answer is reported in seconds, not waited on.
    "socket_connect_timeout": 5,
    "socket_timeout": 30,
}
# Worker limits. A worker process whose peak RSS has passed the memory cap
# (KiB, Celery's unit) finishes its photo, then is replaced by a fresh one:
# 256 MiB is above one 8-megapixel photo's peak (about 165 MiB stock), so a
# process making such photos is replaced once it has grown, not after each.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int(
    "CELERY_WORKER_MAX_MEMORY_PER_CHILD", 256 * 1024
)
CELERY_WORKER_MAX_TASKS_PER_CHILD = env_int("CELERY_WORKER_MAX_TASKS_PER_CHILD", 100)
CELERY_WORKER_CONCURRENCY = env_int("CELERY_WORKER_CONCURRENCY", os.cpu_count() or 1)

# What load_photos and the admin do with a new photo's thumbnails: unset, the
# first page that shows them makes them (stock); "queue" sends them to the
# task queue once the photo is saved.
THUMBNAIL_ON_UPLOAD = os.environ.get("THUMBNAIL_ON_UPLOAD", "").strip().lower()
if THUMBNAIL_ON_UPLOAD not in {"", "queue"}:
    raise ImproperlyConfigured(
        f"THUMBNAIL_ON_UPLOAD={THUMBNAIL_ON_UPLOAD!r}: use 'queue', or leave it "
        "unset to make thumbnails when a page first shows them."
    )

# The peers measured beside easy-thumbnails (reproduce --peers): PEER=sorl,
# imagekit or imagekit-optimistic adds that library and its page at /peers/.
# Unset, the site is easy-thumbnails' alone.
PEER = os.environ.get("PEER", "").strip()
if PEER == "sorl":
    INSTALLED_APPS += ["sorl.thumbnail", "peers"]
    THUMBNAIL_KVSTORE = "sorl.thumbnail.kvstores.cached_db_kvstore.KVStore"
    THUMBNAIL_ENGINE = "peers.sorl_thumbnail.Engine"
    # Both libraries name a template tag module "thumbnail"; the peer's page
    # uses neither.
    SILENCED_SYSTEM_CHECKS = ["templates.W003"]
elif PEER in {"imagekit", "imagekit-optimistic"}:
    INSTALLED_APPS += ["imagekit", "peers"]
    IMAGEKIT_DEFAULT_CACHEFILE_STRATEGY = (
        "imagekit.cachefiles.strategies.Optimistic"
        if PEER == "imagekit-optimistic"
        else "imagekit.cachefiles.strategies.JustInTime"
    )
elif PEER:
    raise ImproperlyConfigured(
        f"PEER={PEER!r}: use sorl, imagekit or imagekit-optimistic, or leave it unset."
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "photos": {"handlers": ["console"], "level": "INFO"},
        # Django prints a 500's traceback to the console only with DEBUG on, and
        # mails it to ADMINS (none here) with DEBUG off: to stderr in both, once,
        # so that gunicorn's and runserver's log has it.
        "django.request": {
            "handlers": ["console"],
            "level": "ERROR",
            "propagate": False,
        },
    },
}
