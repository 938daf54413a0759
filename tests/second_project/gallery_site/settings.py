"""Another project's settings: Django and easy-thumbnails on S3, as a site has
them, and the two lines that adopt easy-thumbnails-fix. The S3 server, and the
prefix of this project's files in its bucket, are named by the environment."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = "a-key-for-this-local-example-only"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1"]

# The fix is adopted with two lines: its app here, and THUMBNAIL_FIX below.
INSTALLED_APPS = ["easy_thumbnails", "easy_thumbnails_fix", "gallery"]
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
            "location": os.environ.get("AWS_LOCATION", ""),
        },
    },
}

THUMBNAIL_ALIASES = {
    "": {
        "small": {"size": (58, 40), "crop": True},
        "medium": {"size": (400, 300)},
    },
}
THUMBNAIL_DEBUG = True

# The second line of adoption (False: stock easy-thumbnails). Read from the
# environment so that the same project is measured both ways.
THUMBNAIL_FIX = os.environ.get("GALLERY_THUMBNAIL_FIX", "true") == "true"
