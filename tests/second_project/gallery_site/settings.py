"""Another project's settings: Django, easy-thumbnails on S3, and the fix, set up
as easy-thumbnails-fix's README says. The S3 server is named by the environment."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = "a-key-for-this-local-example-only"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1"]

INSTALLED_APPS = ["easy_thumbnails", "gallery"]
ROOT_URLCONF = "gallery_site.urls"
TEMPLATES = [
    {"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}
]
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True

STORAGES = {
    "default": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ["AWS_S3_ENDPOINT_URL"],
            "access_key": os.environ["AWS_ACCESS_KEY_ID"],
            "secret_key": os.environ["AWS_SECRET_ACCESS_KEY"],
            "region_name": "us-east-1",
            "addressing_style": "path",
        },
    },
}

THUMBNAIL_ALIASES = {
    "": {
        "square": {"size": (120, 120), "crop": True},
        "card": {"size": (400, 300)},
        "large": {"size": (960, 720)},
    },
}
THUMBNAIL_DEBUG = True

THUMBNAIL_FIX = True
