"""Which photo's thumbnails are being made in this thread, and when it is done.

Pages and commands make every alias of one photo, then move to the next. So a
thread holds one photo's decoded original at a time: starting on a photo
finishes the previous one, which drops its image and, inside a batch, writes
its Thumbnail rows in one INSERT and releases its maker lock (maker_lock).
Memory stays at one original per thread however many photos a page shows.
"""

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager

from .read_ahead import ReadAhead

logger = logging.getLogger(__name__)

_local = threading.local()


class _Work:
    def __init__(self):
        self.holder = None
        self.depth = 0
        self.page = False
        self.rows = None  # a page's rows written together (prefetch.PageRows)
        self.read_ahead = None  # the page's originals (read_ahead.ReadAhead)
        # On a page: the options of the thumbnails the holder made, in the
        # order asked, and those of the last photo before it that made any.
        self.made = []
        self.pattern = []


def _work() -> _Work:
    work = getattr(_local, "work", None)
    if work is None:
        work = _local.work = _Work()
    return work


def begin(field_file) -> None:
    """field_file starts making thumbnails: finish the photo before it.

    A failure of the photo before is logged against that photo, never
    raised into this one.
    """
    work = _work()
    if work.holder is not field_file:
        _finish(work, raise_errors=False)
        work.holder = field_file
        if work.made:
            work.pattern, work.made = work.made, []


def in_batch() -> bool:
    return _work().depth > 0


def page_rows():
    """The rows of the page being rendered, written when it ends (None
    outside a page, or with its rows written per photo)."""
    return _work().rows


def read_ahead(field_files) -> None:
    """The batch's photos will be made in this order: fetch each one's
    original while the one before is drawn, until the batch ends."""
    work = _work()
    if work.depth > 0:
        if work.read_ahead is not None:
            work.read_ahead.close()  # a page's second list: its photos next
        work.read_ahead = ReadAhead(field_files)


def stop_read_ahead() -> None:
    """The page gives its photos' locks up: fetch none of them ahead."""
    work = _work()
    reader, work.read_ahead = work.read_ahead, None
    if reader is not None:
        reader.close()


def read_ahead_original(field_file) -> bytes | None:
    """field_file's original, fetched ahead for it; None if it was not."""
    reader = _work().read_ahead
    return None if reader is None else reader.original(field_file)


def on_page() -> bool:
    """Whether the thumbnails are a page's: each URL given once stored."""
    work = _work()
    return work.depth > 0 and work.page


def made_on_page(options) -> list:
    """A page's photo made the thumbnail of options: the options the page
    may make next for it, drawn ahead of being asked for.

    Pages show their photos alike. A photo whose first new thumbnail is the
    first the photo before it made will likely be asked for the others that
    one made, in the same order: those are drawn ahead, so that their PUTs
    run while the page asks for them, and the page waits for each one only
    when it gives its URL. Otherwise (a photo shown otherwise than the one
    before it) nothing is drawn ahead.
    """
    work = _work()
    first = not work.made
    work.made.append(options)
    if first and work.pattern and work.pattern[0] == options:
        return work.pattern[1:]
    return []


def asked_on_page(options) -> None:
    """A page's photo was asked for a thumbnail drawn ahead for it."""
    _work().made.append(options)


@contextmanager
def thumbnail_batch(*, page: bool = False, rows=None):
    """Record each photo's new thumbnails together, when the photo is done.

    Outside a batch each thumbnail is recorded as soon as it is saved, as
    easy-thumbnails does; inside one, the rows wait for the photo's last
    alias. The batch's end finishes the last photo.

    In a batch, uploads run beside the next alias's image work. In one that
    makes thumbnails (``generate_all_aliases``) the end of the batch raises
    the first upload that failed: wrap each photo in a batch of its own, so
    that the failure is that photo's. On a page (``page=True``) a
    thumbnail's URL is given only once it is stored, so a failure raises in
    the photo's own alias, and the page's end logs instead of raising after
    rendering; a photo shown as the one before it has the thumbnails that
    one made drawn ahead (``made_on_page``), their PUTs beside.

    rows (a page's ``prefetch.PageRows``) takes each photo's rows, to write
    them all when the batch ends.
    """
    work = _work()
    if work.depth == 0:
        work.page = page
        work.rows = rows
        work.made, work.pattern = [], []
    work.depth += 1
    failed = True
    try:
        yield
        failed = False
    finally:
        work.depth -= 1
        if work.depth == 0:
            reader, work.read_ahead = work.read_ahead, None
            if reader is not None:
                reader.close()
            try:
                _finish(work, raise_errors=not (failed or work.page))
            finally:
                _flush(work, raise_errors=not (failed or work.page))


def _finish(work: _Work, raise_errors: bool) -> None:
    holder, work.holder = work.holder, None
    if holder is None:
        return
    try:
        holder.finish_thumbnail_work()
    except Exception as error:
        if raise_errors:
            raise
        logger.error(
            "Thumbnails of %s were not all stored and recorded: %s: %s",
            holder.name,
            type(error).__name__,
            error,
        )


def _flush(work: _Work, raise_errors: bool) -> None:
    rows, work.rows = work.rows, None
    if rows is None:
        return
    names = rows.names()
    try:
        rows.flush()
    except Exception as error:
        if raise_errors:
            raise
        logger.error(
            "Thumbnails of %s were not all stored and recorded: %s: %s",
            ", ".join(names),
            type(error).__name__,
            error,
        )


# Uploads of a batch run beside the image work of the next alias. Long-lived
# workers: django-storages' S3Storage builds a boto3 session per thread, which
# a pool made per photo would pay again for every photo.
# Four: where each PUT waits tens of milliseconds for its answer, two left a
# photo's nine uploads behind its drawing (same-region: 1.5 times loopback's
# time, four: 1.04); with the read-ahead's one, within botocore's pool of 10.
UPLOAD_WORKERS = 4
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
