"""The fix's classes where easy-thumbnails builds its own, chosen at run time.

easy-thumbnails builds its thumbnailers and field files from three names of
``easy_thumbnails.files`` (``get_thumbnailer`` on a file, a storage name or a
plain file field; an upload resized on save) and from its fields'
``attr_class``, and makes a photo's aliases in ``generate_all_aliases``.
``put_in_place`` (called by the app as the models are imported) puts there
classes that build the fix's object while THUMBNAIL_FIX is on and stock's
while it is off, read at each construction, so that tests and the
measurement can switch it at run time. Each passes for stock's own class in
``isinstance`` and ``issubclass``: ``get_thumbnailer`` hands back any
thumbnailer it is given as it is.
"""

from easy_thumbnails import fields, files

from . import batch, is_enabled, peers
from .conf import works_ahead
from .field_file import (
    FixedThumbnailer,
    FixedThumbnailerFieldFile,
    FixedThumbnailerImageFieldFile,
)


class _Switch(type):
    """The metaclass of a name's stand-in: builds ``fixed`` or ``stock``."""

    def __call__(cls, *args, **kwargs):
        if cls.__dict__.get("stock") is None:
            # A project's own subclass of the stand-in: it is that class.
            return super().__call__(*args, **kwargs)
        chosen = cls.fixed if is_enabled() else cls.stock
        return chosen(*args, **kwargs)

    def __instancecheck__(cls, instance):
        stock = cls.__dict__.get("stock")
        if stock is None:
            return type.__instancecheck__(cls, instance)
        return isinstance(instance, stock)

    def __subclasscheck__(cls, subclass):
        stock = cls.__dict__.get("stock")
        if stock is None:
            return type.__subclasscheck__(cls, subclass)
        return issubclass(subclass, stock)


def _stand_in(stock, fixed):
    # A subclass of stock's, so that a project's class derived from the name
    # after this ran is still a working (stock) thumbnailer.
    return _Switch(stock.__name__, (stock,), {"stock": stock, "fixed": fixed})


class SwitchedFileClass:
    """A field's ``attr_class``: the stock file class, or the fixed one while
    THUMBNAIL_FIX is on. Read when a model instance first touches its file."""

    def __init__(self, stock_class, fixed_class):
        self.stock_class = stock_class
        self.fixed_class = fixed_class

    def __get__(self, field, owner=None):
        return self.fixed_class if is_enabled() else self.stock_class


STOCK = {
    "Thumbnailer": files.Thumbnailer,
    "ThumbnailerFieldFile": files.ThumbnailerFieldFile,
    "ThumbnailerImageFieldFile": files.ThumbnailerImageFieldFile,
}
FIXED = {
    "Thumbnailer": FixedThumbnailer,
    "ThumbnailerFieldFile": FixedThumbnailerFieldFile,
    "ThumbnailerImageFieldFile": FixedThumbnailerImageFieldFile,
}


_stock_generate_all_aliases = files.generate_all_aliases


def generate_all_aliases(fieldfile, include_global):
    """easy-thumbnails' generate_all_aliases; with the fix, outside a page or
    batch, in a batch of its own: the photo's rows written in one INSERT once
    its aliases are stored, a failed upload raised as this photo's. The
    originals of the objects loaded with this one that have thumbnails to
    make are read one ahead (peers.read_ahead_generation)."""
    if works_ahead():
        peers.read_ahead_generation(fieldfile)
    if is_enabled() and not batch.in_batch():
        with batch.thumbnail_batch():
            return _stock_generate_all_aliases(fieldfile, include_global)
    return _stock_generate_all_aliases(fieldfile, include_global)


def put_in_place() -> None:
    """Make easy-thumbnails build the fix's classes wherever it builds its
    own, while THUMBNAIL_FIX is on. Done once; doing it again changes nothing."""
    if isinstance(
        fields.ThumbnailerField.__dict__.get("attr_class"), SwitchedFileClass
    ):
        return
    for name, stock in STOCK.items():
        setattr(files, name, _stand_in(stock, FIXED[name]))
    # easy-thumbnails' signal handlers look it up here when they run.
    files.generate_all_aliases = generate_all_aliases
    fields.ThumbnailerField.attr_class = SwitchedFileClass(
        STOCK["ThumbnailerFieldFile"], FixedThumbnailerFieldFile
    )
    fields.ThumbnailerImageField.attr_class = SwitchedFileClass(
        STOCK["ThumbnailerImageFieldFile"], FixedThumbnailerImageFieldFile
    )
