"""easy-thumbnails' test settings, with the fix adopted as a site adopts it."""

from easy_thumbnails.tests.settings import *  # noqa: F403
from easy_thumbnails.tests.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "easy_thumbnails_fix"]

THUMBNAIL_FIX = True
