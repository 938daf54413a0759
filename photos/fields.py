"""The photo field: easy-thumbnails' image field, each thumbnail made once."""

import time

from easy_thumbnails import signals
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
    cold requests store every thumbnail eight times). Here a thumbnail that
    is missing is made under the fix's maker lock (a file lock beside
    SQLite, an advisory lock on PostgreSQL), one per thumbnail name. The
    look is stock's own query, without the lock, so a page whose thumbnails
    exist costs exactly stock's queries. A maker that finds that another
    may have made the thumbnail since it looked (on PostgreSQL, always)
    looks again, forgetting a cached "no Source row".
    """

    def get_thumbnail(
        self,
        thumbnail_options,
        save=True,
        generate=None,
        silent_template_exception=False,
    ):
        # Stock's get_thumbnail, with the making under the lock.
        thumbnail_options = self.get_options(thumbnail_options)
        if generate is None:
            generate = self.generate
        looked_at_ns = time.time_ns()
        thumbnail = self.get_existing_thumbnail(thumbnail_options)
        if thumbnail:
            return thumbnail
        if not generate:
            signals.thumbnail_missed.send(sender=self, options=thumbnail_options)
            return None
        # The name get_existing_thumbnail looks for first; no I/O.
        name = self.get_thumbnail_name(thumbnail_options, transparent=False)
        key = f"thumbnail:{storage_hash(self.thumbnail_storage)}:{name}"
        with maker_lock.holding(key, looked_at_ns) as hold:
            if hold.made_since_read:
                if getattr(self, "_source_cache", True) is None:
                    del self._source_cache
                thumbnail = self.get_existing_thumbnail(thumbnail_options)
                if thumbnail:
                    return thumbnail
            thumbnail = self.generate_thumbnail(
                thumbnail_options, silent_template_exception=silent_template_exception
            )
            if save:
                self.save_thumbnail(thumbnail)
            return thumbnail


class PhotoFieldFile(OneMakerPerThumbnail, ThumbnailerImageFieldFile):
    pass


class PhotoField(SwitchedThumbnailerImageField):
    """The fix's field (see easy_thumbnails_fix). Stock, its files make each
    thumbnail once under a lock per thumbnail; with THUMBNAIL_FIX on, the
    fix's own files do, under a lock per photo."""

    attr_class = SwitchedFileClass(PhotoFieldFile, FixedThumbnailerImageFieldFile)
