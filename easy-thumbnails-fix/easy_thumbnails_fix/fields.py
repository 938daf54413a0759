"""The fix's own field, for a model that names it (the app, listed in
INSTALLED_APPS, does the same for easy-thumbnails' own fields)."""

from easy_thumbnails import fields

from .field_file import FixedThumbnailerImageFieldFile
from .in_place import STOCK, SwitchedFileClass


class ThumbnailerImageField(fields.ThumbnailerImageField):
    """easy-thumbnails' image field, with the fix when THUMBNAIL_FIX is on."""

    attr_class = SwitchedFileClass(
        STOCK["ThumbnailerImageFieldFile"], FixedThumbnailerImageFieldFile
    )

    def deconstruct(self):
        # Same column, same options: migrations see easy-thumbnails' field.
        name, _, args, kwargs = super().deconstruct()
        return name, "easy_thumbnails.fields.ThumbnailerImageField", args, kwargs
