"""easy-thumbnails' test settings with the fix on and in place of stock's classes."""

from easy_thumbnails.tests.settings import *  # noqa: F403
from easy_thumbnails.tests.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "upstream_tests.apps.FixInPlaceConfig"]

THUMBNAIL_FIX = True
