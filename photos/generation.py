"""Generate every thumbnail alias of every photo, measuring each photo."""

import time
from collections.abc import Iterator
from dataclasses import dataclass

import psutil
from easy_thumbnails.files import generate_all_aliases

from .models import Photo
from .query_counter import QueryCounter


@dataclass
class PhotoGeneration:
    number: int
    photo: Photo
    seconds: float
    rss_bytes: int
    queries_count: int


def generate_photo_aliases(photos) -> Iterator[PhotoGeneration]:
    """Generate all aliases of each photo in turn, as easy-thumbnails does it.

    The RSS is this process's own, read after each photo: what the 2013
    command printed. Measurements proper watch the process from outside.
    """
    process = psutil.Process()
    for number, photo in enumerate(photos, start=1):
        started = time.perf_counter()
        with QueryCounter() as queries:
            generate_all_aliases(photo.photo, include_global=True)
        yield PhotoGeneration(
            number=number,
            photo=photo,
            seconds=time.perf_counter() - started,
            rss_bytes=process.memory_info().rss,
            queries_count=queries.count,
        )


def all_photos():
    return Photo.objects.order_by("pk")
