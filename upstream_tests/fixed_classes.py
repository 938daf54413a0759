"""The fix's classes, built on easy-thumbnails' own, and put in their place.

The only module here that imports the fix.
"""

from easy_thumbnails import fields, files
from easy_thumbnails_fix.field_file import (
    FixedThumbnailerImageFieldFile,
    ThumbnailFix,
)

STOCK_THUMBNAILER = files.Thumbnailer


class _StillAThumbnailer(type):
    # get_thumbnailer() returns any Thumbnailer it is given as it is; the
    # fixed field files derive from stock's Thumbnailer, not from the fixed
    # one, and stay Thumbnailers for that check.
    def __instancecheck__(cls, instance):
        return isinstance(instance, STOCK_THUMBNAILER)


class FixedThumbnailer(ThumbnailFix, files.Thumbnailer, metaclass=_StillAThumbnailer):
    pass


class FixedThumbnailerFieldFile(ThumbnailFix, files.ThumbnailerFieldFile):
    pass


def put_in_place() -> None:
    """Make easy-thumbnails build the fix's classes wherever it builds its own."""
    files.Thumbnailer = FixedThumbnailer
    files.ThumbnailerFieldFile = FixedThumbnailerFieldFile
    files.ThumbnailerImageFieldFile = FixedThumbnailerImageFieldFile
    fields.ThumbnailerField.attr_class = FixedThumbnailerFieldFile
    fields.ThumbnailerImageField.attr_class = FixedThumbnailerImageFieldFile
