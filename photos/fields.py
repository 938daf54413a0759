"""The photo field: easy-thumbnails' image field, each thumbnail made once."""

import time

from easy_thumbnails.files import ThumbnailerImageFieldFile
from easy_thumbnails_fix import maker_lock
from easy_thumbnails_fix.field_file import FixedThumbnailerImageFieldFile
from easy_thumbnails_fix.fields import SwitchedFileClass
from easy_thumbnails_fix.fields import (
    ThumbnailerImageField as SwitchedThumbnailerImageField,
)
from easy_thumbnails_fix.storage_hash import storage_hash


class OneMakerPerThumbnail:
    """Makes each thumbnail once, however many threads and processes ask.

    A mixin for any easy-thumbnails field file class, placed before it.

    Stock easy-thumbnails looks for a thumbnail and, not finding it, makes
    and stores it; requests that look at the same moment all make it (eight
    cold requests store every thumbnail eight times). Here the look, the
    making and the row happen under the fix's maker lock (a file lock beside
    SQLite, an advisory lock on PostgreSQL), one per thumbnail name. Every
    look is stock's own query; only a cached "no Source row" is forgotten
    when another maker released the lock since it was read, as that one may
    have created the row. So a request that did not meet another runs
    exactly the stock code: the same queries and S3 requests.
    """

    _looked_at_ns: int | None = None

    def get_thumbnail(
        self,
        thumbnail_options,
        save=True,
        generate=None,
        silent_template_exception=False,
    ):
        thumbnail_options = self.get_options(thumbnail_options)
        # The name get_existing_thumbnail looks for first; no I/O.
        name = self.get_thumbnail_name(thumbnail_options, transparent=False)
        key = f"thumbnail:{storage_hash(self.thumbnail_storage)}:{name}"
        with maker_lock.holding(key, self._looked_at_ns) as hold:
            self._looked_at_ns = time.time_ns()
            if hold.made_since_read and getattr(self, "_source_cache", True) is None:
                del self._source_cache
            return super().get_thumbnail(
                thumbnail_options,
                save=save,
                generate=generate,
                silent_template_exception=silent_template_exception,
            )


class PhotoFieldFile(OneMakerPerThumbnail, ThumbnailerImageFieldFile):
    pass


class PhotoField(SwitchedThumbnailerImageField):
    """The fix's field (see easy_thumbnails_fix). Stock, its files make each
    thumbnail once under a lock per thumbnail; with THUMBNAIL_FIX on, the
    fix's own files do, under a lock per photo."""

    attr_class = SwitchedFileClass(PhotoFieldFile, FixedThumbnailerImageFieldFile)
