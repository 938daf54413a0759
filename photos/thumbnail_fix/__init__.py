"""The fix for easy-thumbnails #230, behind one switch: the THUMBNAIL_FIX setting.

With it on, a photo field's files (``fields.ThumbnailerImageField``) download
the original once, decode it once, in JPEG draft mode, for all its aliases,
read their Source and Thumbnail rows in one query per page or per photo, save
thumbnails without the DELETE before the PUT and record them in one INSERT per
photo. Thumbnail names, rows and processors stay easy-thumbnails' own, so pages
rendered with the switch on or off find each other's thumbnails.
"""

from django.conf import settings


def is_enabled() -> bool:
    return getattr(settings, "THUMBNAIL_FIX", False)
