"""Plugging the fix into a model: a field whose file class follows THUMBNAIL_FIX."""

from easy_thumbnails import fields, files

from . import is_enabled
from .field_file import FixedThumbnailerImageFieldFile


class SwitchedFileClass:
    """A field's ``attr_class``: the stock file class, or the fixed one (a
    subclass with ``ThumbnailFix`` in front) while THUMBNAIL_FIX is on.

    Read when a model instance first touches its file, so tests and the
    measurement can flip the setting at run time.
    """

    def __init__(self, stock_class, fixed_class):
        self.stock_class = stock_class
        self.fixed_class = fixed_class

    def __get__(self, field, owner=None):
        return self.fixed_class if is_enabled() else self.stock_class


class ThumbnailerImageField(fields.ThumbnailerImageField):
    """easy-thumbnails' image field, with the fix when THUMBNAIL_FIX is on."""

    attr_class = SwitchedFileClass(
        files.ThumbnailerImageFieldFile, FixedThumbnailerImageFieldFile
    )

    def deconstruct(self):
        # Same column, same options: migrations see easy-thumbnails' field.
        name, _, args, kwargs = super().deconstruct()
        return name, "easy_thumbnails.fields.ThumbnailerImageField", args, kwargs
