"""Which photo's thumbnails are being made in this thread, and when it is done.

Pages and commands make every alias of one photo, then move to the next. So a
thread holds one photo's decoded original at a time: starting on a photo
finishes the previous one, which drops its image and, inside a batch, writes
its Thumbnail rows in one INSERT. Memory stays at one original per thread
however many photos a page shows.
"""

import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager

_local = threading.local()

# Thumbnails this process stored, by (storage hash, name): those whose rows
# wait for their photo to be done, and when each was stored. Another thread
# whose rows were read before then (a request that began meanwhile) takes them
# as made instead of making them again.
_unrecorded: set[tuple[str, str]] = set()
_stored_at: dict[tuple[str, str], float] = {}
_registry_lock = threading.Lock()
# Longer than any request: by then every reader has read rows of its own.
STORED_AT_KEPT_SECONDS = 600


class _Work:
    def __init__(self):
        self.holder = None
        self.depth = 0


def _work() -> _Work:
    work = getattr(_local, "work", None)
    if work is None:
        work = _local.work = _Work()
    return work


def begin(field_file) -> None:
    """field_file starts making thumbnails: finish the photo before it."""
    work = _work()
    if work.holder is not field_file:
        _finish(work)
        work.holder = field_file


def in_batch() -> bool:
    return _work().depth > 0


@contextmanager
def thumbnail_batch():
    """Record each photo's new thumbnails together, when the photo is done.

    Outside a batch each thumbnail is recorded as soon as it is saved, as
    easy-thumbnails does; inside one, the rows wait for the photo's last
    alias. The batch's end finishes the last photo.
    """
    work = _work()
    work.depth += 1
    try:
        yield
    finally:
        work.depth -= 1
        if work.depth == 0:
            _finish(work)


def _finish(work: _Work) -> None:
    holder, work.holder = work.holder, None
    if holder is not None:
        holder.finish_thumbnail_work()


def saved_unrecorded(keys) -> None:
    now = time.monotonic()
    with _registry_lock:
        _unrecorded.update(keys)
        for key in keys:
            _stored_at[key] = now
        if len(_stored_at) > 1000:
            for key, stored in list(_stored_at.items()):
                if now - stored > STORED_AT_KEPT_SECONDS:
                    del _stored_at[key]


def recorded(keys) -> None:
    with _registry_lock:
        _unrecorded.difference_update(keys)


def is_stored(key: tuple[str, str], rows_read_at: float | None) -> bool:
    """Whether this process stored key after rows_read_at, or has yet to record it."""
    with _registry_lock:
        if key in _unrecorded:
            return True
        stored = _stored_at.get(key)
        return (
            stored is not None and rows_read_at is not None and stored >= rows_read_at
        )


# Uploads of a batch run beside the image work of the next alias. Long-lived
# workers: django-storages' S3Storage builds a boto3 session per thread, which
# a pool made per photo would pay again for every photo.
UPLOAD_WORKERS = 2
_uploads: ThreadPoolExecutor | None = None
_uploads_lock = threading.Lock()


def upload(function, *args) -> Future:
    global _uploads
    with _uploads_lock:
        if _uploads is None:
            _uploads = ThreadPoolExecutor(
                max_workers=UPLOAD_WORKERS, thread_name_prefix="thumbnail-upload"
            )
    return _uploads.submit(function, *args)


def done(function, *args) -> Future:
    """function(*args) run here and now, as a finished Future."""
    future = Future()
    try:
        future.set_result(function(*args))
    except Exception as error:
        future.set_exception(error)
    return future
