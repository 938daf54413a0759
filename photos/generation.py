"""Generate every thumbnail alias of every photo, measuring each photo."""

import time
from collections.abc import Iterator
from dataclasses import dataclass

import psutil
from easy_thumbnails.files import generate_all_aliases

from .broken_photos import failure_reason
from .models import Photo
from .query_counter import QueryCounter
from .storage_check import check_photo_storage
from .thumbnail_fix.batch import thumbnail_batch


@dataclass
class PhotoGeneration:
    number: int
    photo: Photo
    seconds: float
    rss_bytes: int
    queries_count: int
    error: str | None = None


def easy_thumbnails_aliases(field_file) -> None:
    # With THUMBNAIL_FIX on, the photo's rows are written together once its
    # last alias is stored.
    with thumbnail_batch():
        generate_all_aliases(field_file, include_global=True)


def generate_photo_aliases(
    photos, make_aliases=easy_thumbnails_aliases
) -> Iterator[PhotoGeneration]:
    """Generate all aliases of each photo in turn, as easy-thumbnails does it
    (or make_aliases, given the photo's field file: another library).

    A photo that fails is reported with its reason and the next one is
    tried, unless the storage itself stopped answering: then
    StorageUnavailable is raised, rather than failing every photo after it.

    The RSS is this process's own, read after each photo: what the 2013
    command printed. Measurements proper watch the process from outside.
    """
    process = psutil.Process()
    for number, photo in enumerate(photos, start=1):
        started = time.perf_counter()
        error = None
        with QueryCounter() as queries:
            try:
                make_aliases(photo.photo)
            except Exception as exception:
                # easy-thumbnails reports an unreachable original as "not an
                # image": ask the storage before blaming the photo.
                check_photo_storage()
                error = failure_reason(photo.photo, exception)
        yield PhotoGeneration(
            number=number,
            photo=photo,
            seconds=time.perf_counter() - started,
            rss_bytes=process.memory_info().rss,
            queries_count=queries.count,
            error=error,
        )


def all_photos():
    return Photo.objects.order_by("pk")
