"""What rendering a page cost, shown at its top: the figures of easy-thumbnails #230.

The figures are known only once the page has rendered, so the view leaves a
placeholder and show_page_figures() fills it in. Queries are counted on the
request's own connections; S3 requests and thumbnails made are counted for the
whole process (the fix uploads on threads of its own), so requests served at
the same time count in each other's.
"""

import functools
import threading
import time

import psutil
from django.template.loader import render_to_string
from easy_thumbnails.signals import thumbnail_created
from easy_thumbnails_fix import DEFAULT_PARTS, PARTS, enabled_parts, request_page

from counting.queries import QueryCounter
from counting.s3_requests import S3RequestCounter

PLACEHOLDER = b"<!-- page figures -->"


class ThumbnailsMade:
    """Counts easy-thumbnails' thumbnail_created signals, from any thread."""

    def __init__(self):
        self._lock = threading.Lock()
        self.count = 0
        thumbnail_created.connect(self.on_thumbnail_created, weak=False)

    def on_thumbnail_created(self, sender, **kwargs):
        with self._lock:
            self.count += 1


def rendered_by() -> str:
    """Stock easy-thumbnails or the fix, as THUMBNAIL_FIX has it."""
    parts = enabled_parts()
    if not parts:
        return "stock easy-thumbnails"
    if parts == DEFAULT_PARTS:
        return "the fix (THUMBNAIL_FIX=1)"
    return "the fix's parts " + ", ".join(part for part in PARTS if part in parts)


def show_page_figures(view):
    """Fill the placeholder of the page view renders with what rendering it cost."""
    s3_requests = S3RequestCounter.of_this_process()
    thumbnails_made = ThumbnailsMade()
    process = psutil.Process()

    @functools.wraps(view)
    def view_with_figures(request, *args, **kwargs):
        rss_before_bytes = process.memory_info().rss
        s3_before = s3_requests.snapshot()
        thumbnails_before = thumbnails_made.count
        started = time.perf_counter()
        with QueryCounter() as queries:
            response = view(request, *args, **kwargs)
            # The rows of the thumbnails the page made, written now rather
            # than when the response is closed, so that they count here.
            request_page.close_page()
        figures = {
            "rendered_by": rendered_by(),
            "queries_count": queries.count,
            "s3_requests": s3_requests.since(s3_before),
            "thumbnails_made_count": thumbnails_made.count - thumbnails_before,
            "seconds": time.perf_counter() - started,
            "rss_before_bytes": rss_before_bytes,
            "rss_after_bytes": process.memory_info().rss,
        }
        html = render_to_string("photos/page_figures.html", figures, request)
        response.content = response.content.replace(
            PLACEHOLDER, html.encode(response.charset), 1
        )
        return response

    return view_with_figures
