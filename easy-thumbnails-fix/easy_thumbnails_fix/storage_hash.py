"""The storage hash easy-thumbnails keys its rows by, whatever the lazy storage's state.

``easy_thumbnails.utils.get_storage_hash`` looks for ``_wrapped is None``, but
Django's ``LazyObject`` marks "not set up yet" with a sentinel: until something
else touches the default storage, it hashes the sentinel's class (``object``)
and finds no rows. Setting the storage up first makes it hash the real class,
the hash every row was written with.
"""

from django.utils.functional import LazyObject, empty
from easy_thumbnails import utils


def set_up(storage):
    """The real storage behind a lazy one (the storage itself otherwise)."""
    if isinstance(storage, LazyObject):
        if storage._wrapped is empty:
            storage._setup()
        return storage._wrapped
    return storage


def storage_hash(storage) -> str:
    return utils.get_storage_hash(set_up(storage))
