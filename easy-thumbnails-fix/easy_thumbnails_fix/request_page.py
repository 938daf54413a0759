"""A request is a page: the rows of the thumbnails it made, written in one
INSERT when its response is closed.

Connected to Django's ``request_started`` and ``request_finished`` by the
app's ready(), so a site needs no middleware: a request's thumbnails are made
inside ``thumbnail_batch(page=True)`` with a page's rows (``PageRows``), as
``thumbnail_page`` makes them, and the rows of all the photos it made are
written together, and their maker locks released, when the WSGI server
closes the response. Without a request around it (a command, a task) each
photo's rows are written when its aliases are done (``in_place``).

The receiver of ``request_finished`` runs before Django's own
``close_old_connections``: on PostgreSQL the maker locks live on the
database connection, which must still be the one that took them when the
rows are written and the locks released.
"""

import threading
from contextlib import ExitStack

from django.core.signals import request_finished, request_started

from . import is_enabled
from .batch import thumbnail_batch

_local = threading.local()


def open_page(**kwargs) -> None:
    """A request starts: its thumbnails are made as one page's."""
    close_page()  # a response never closed in this thread leaves nothing open
    if not is_enabled():
        return
    from .prefetch import PageRows  # needs easy-thumbnails' models

    rows = PageRows() if is_enabled("row_cache") else None
    stack = ExitStack()
    stack.enter_context(thumbnail_batch(page=True, rows=rows))
    _local.page = stack


def close_page(**kwargs) -> None:
    """The response is closed: write the page's rows, release its locks."""
    page = getattr(_local, "page", None)
    if page is not None:
        _local.page = None
        page.close()


def _connect_first(signal, receiver) -> None:
    signal.connect(receiver, weak=False, dispatch_uid=receiver.__qualname__)
    with signal.lock:
        signal.receivers.sort(key=lambda entry: entry[1] is not receiver)
        signal.sender_receivers_cache.clear()


def connect() -> None:
    request_started.connect(open_page, weak=False, dispatch_uid=open_page.__qualname__)
    _connect_first(request_finished, close_page)
