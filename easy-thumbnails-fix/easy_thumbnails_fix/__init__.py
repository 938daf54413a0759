"""The fix for easy-thumbnails #230, behind one switch: the THUMBNAIL_FIX setting.

With it on, a photo field's files (``fields.ThumbnailerImageField``) download
the original once, decode it once, in JPEG draft mode, for all its aliases,
read their Source and Thumbnail rows in one query per page or per photo, save
thumbnails without the DELETE before the PUT, beside the next alias's image
work, and record them in one INSERT per photo. Thumbnail names, rows and
processors stay easy-thumbnails' own, so pages rendered with the switch on or
off find each other's thumbnails.

THUMBNAIL_FIX = True turns on every part but the opt-in ``vips_decode``
(``DEFAULT_PARTS``); a list of part names turns on exactly those, which is how
the reproduction measures what each cause costs, and how libvips is added
(see ``conf``).

Listed in INSTALLED_APPS (``apps``), it takes easy-thumbnails' place with
no change to a site's code: its fields, ``get_thumbnailer()``, a queryset's
page of photos and each request. For explicit control, a page of many
photos is rendered in ``thumbnail_page``, a loop that makes thumbnails runs
in ``thumbnail_batch``. ``thumbnail_page`` is imported on first use: it needs
easy-thumbnails' models, and ``PARTS`` and the switch can be read before
Django is set up.
"""

from .batch import thumbnail_batch
from .conf import DEFAULT_PARTS, PARTS, enabled_parts, is_enabled

__all__ = [
    "DEFAULT_PARTS",
    "PARTS",
    "enabled_parts",
    "is_enabled",
    "thumbnail_batch",
    "thumbnail_page",
]


def __getattr__(name):
    if name == "thumbnail_page":
        from .prefetch import thumbnail_page

        return thumbnail_page
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
