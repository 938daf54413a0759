"""Generate every thumbnail alias of every photo, measuring each photo."""

import time
from collections.abc import Iterator
from dataclasses import dataclass

import psutil
from easy_thumbnails.files import generate_all_aliases
from easy_thumbnails_fix import thumbnail_batch

from counting.queries import QueryCounter

from .broken_photos import failure_reason
from .models import Photo
from .storage_check import check_photo_storage


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
        with QueryCounter() as queries:
            error = make_photo_aliases(photo, make_aliases)
        yield PhotoGeneration(
            number=number,
            photo=photo,
            seconds=time.perf_counter() - started,
            rss_bytes=process.memory_info().rss,
            queries_count=queries.count,
            error=error,
        )


def make_photo_aliases(
    photo: Photo, make_aliases=easy_thumbnails_aliases
) -> str | None:
    """Generate every alias of one photo; return why it failed, or None.

    Raises StorageUnavailable when the storage does not answer: the photo is
    not to blame, and trying it again later will do.
    """
    try:
        make_aliases(photo.photo)
    except Exception as exception:
        # easy-thumbnails reports an unreachable original as "not an image":
        # ask the storage before blaming the photo.
        check_photo_storage()
        return failure_reason(photo.photo, exception)
    return None


def all_photos():
    return Photo.objects.order_by("pk")
