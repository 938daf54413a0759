"""The photo field: easy-thumbnails' image field, safe under concurrent requests."""

import threading
from contextlib import contextmanager

from easy_thumbnails.files import ThumbnailerImageFieldFile
from easy_thumbnails_fix.field_file import ThumbnailFix
from easy_thumbnails_fix.fields import SwitchedFileClass
from easy_thumbnails_fix.fields import (
    ThumbnailerImageField as SwitchedThumbnailerImageField,
)


class KeyedLocks:
    """One lock per key, kept only while a thread holds or waits for it, so
    the number of locks does not grow with the number of thumbnails."""

    def __init__(self):
        self._guard = threading.Lock()
        self._entries: dict[str, list] = {}  # key -> [lock, threads using it]

    @contextmanager
    def hold(self, key: str):
        """Hold key's lock; yield whether another thread held it first."""
        with self._guard:
            entry = self._entries.setdefault(key, [threading.Lock(), 0])
            entry[1] += 1
        lock = entry[0]
        waited = not lock.acquire(blocking=False)
        if waited:
            lock.acquire()
        try:
            yield waited
        finally:
            lock.release()
            with self._guard:
                entry[1] -= 1
                if entry[1] == 0:
                    del self._entries[key]


thumbnail_locks = KeyedLocks()


class OneMakerPerThumbnail:
    """Makes each thumbnail once in this process, however many threads ask.

    A mixin for any easy-thumbnails field file class, placed before it.

    Stock easy-thumbnails looks for a thumbnail and, not finding it, makes
    and stores it; threads that look at the same moment all make it (eight
    cold requests store every thumbnail eight times). Here the look and the
    making happen under a lock per thumbnail name. A thread that had to wait
    looks again, forgetting a cached "no Source row" (the first thread may
    have just created it), and finds the thumbnail made. A thread that did
    not wait runs exactly the stock code: the same queries and S3 requests.
    """

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
        with thumbnail_locks.hold(name) as waited:
            if waited and getattr(self, "_source_cache", True) is None:
                del self._source_cache
            return super().get_thumbnail(
                thumbnail_options,
                save=save,
                generate=generate,
                silent_template_exception=silent_template_exception,
            )


class PhotoFieldFile(OneMakerPerThumbnail, ThumbnailerImageFieldFile):
    pass


class FixedPhotoFieldFile(ThumbnailFix, PhotoFieldFile):
    """With THUMBNAIL_FIX on. The lock still decides which thread makes a
    thumbnail; the fix lets the threads that waited see it made."""


class PhotoField(SwitchedThumbnailerImageField):
    """The fix's field (see easy_thumbnails_fix), whose file classes make each
    thumbnail once per process."""

    attr_class = SwitchedFileClass(PhotoFieldFile, FixedPhotoFieldFile)
