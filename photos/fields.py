"""The photo field: easy-thumbnails' image field, each thumbnail made once."""

from easy_thumbnails_fix.field_file import FixedThumbnailerImageFieldFile
from easy_thumbnails_fix.fields import SwitchedFileClass, ThumbnailerImageField
from easy_thumbnails_fix.one_maker import OneMakerThumbnailerImageFieldFile


class PhotoField(ThumbnailerImageField):
    """The fix's field (see easy_thumbnails_fix). Stock, its files make each
    thumbnail once under a lock per thumbnail (one_maker); with THUMBNAIL_FIX
    on, the fix's own files do, under a lock per photo."""

    attr_class = SwitchedFileClass(
        OneMakerThumbnailerImageFieldFile, FixedThumbnailerImageFieldFile
    )
