"""The next photo's original, downloaded while this one's thumbnails are drawn.

A page makes its photos' thumbnails one after another: download the
original, decode it, draw the aliases (their uploads run beside, see
``batch.upload``). Where S3 is tens of milliseconds and a few megabytes a
second away, the download is most of a photo's time, and nothing else runs
while it waits. Once a page holds its maker locks it knows which photos it
will make, in page order (``prefetch.PageRows.lock_missing``), so the next
one's original is fetched while this one is drawn.

One ahead, not all, from the first photo the page makes: the page holds at
most two originals' bytes at a time,
whatever its photo count. Each download is the GET making the photo would
send anyway, sent earlier, and the next one starts only when a photo takes
its own: the S3 requests stay those of making the photos one by one.
"""

import threading
import weakref
from concurrent.futures import Future, ThreadPoolExecutor

from .storage_io import read_original

# One long-lived thread: django-storages builds a boto3 session per thread,
# which a thread per page would pay again on every page.
_downloads: ThreadPoolExecutor | None = None
_downloads_lock = threading.Lock()


def _download(field_file) -> Future:
    global _downloads
    with _downloads_lock:
        if _downloads is None:
            _downloads = ThreadPoolExecutor(
                max_workers=1, thread_name_prefix="original-read-ahead"
            )
    return _downloads.submit(read_original, field_file.source_storage, field_file.name)


class ReadAhead:
    """The originals of field_files, each fetched while the one before is drawn.

    It holds the field files by weak references: kept beside the objects
    loaded together (``peers``), it never keeps them alive.
    """

    def __init__(self, field_files):
        self._order = [weakref.ref(f) for f in field_files]
        self._position = {
            id(ref()): n for n, ref in reversed(list(enumerate(self._order)))
        }
        self._pending: dict[int, Future] = {}
        # Nothing until the first photo takes its original: a page that
        # finds its photos made meanwhile, or gives their locks up to wait
        # for another maker, has fetched nothing for them.
        self._started: set[int] = set()

    def _start(self, index: int) -> None:
        if index < len(self._order) and index not in self._started:
            self._started.add(index)
            field_file = self._order[index]()
            if field_file is not None and id(field_file) in self._position:
                self._pending[id(field_file)] = _download(field_file)

    def original(self, field_file) -> bytes | None:
        """field_file's original, if it is one of the page's (None otherwise:
        read it as usual). Starts the download of the one after it."""
        index = self._position.get(id(field_file))
        # The same object, not one that took the id of a field file gone.
        if index is None or self._order[index]() is not field_file:
            return None
        # Taken once: a photo that reads its original again reads it itself.
        del self._position[id(field_file)]
        future = self._pending.pop(id(field_file), None) or _download(field_file)
        self._start(index + 1)
        # A failed download raises here, in the photo's own open, as
        # read_original would have.
        return future.result()

    def close(self) -> None:
        """The page is done: drop a download no photo took."""
        for future in self._pending.values():
            future.cancel()
        self._pending.clear()
