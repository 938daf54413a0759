"""Generate every thumbnail alias of every photo, measuring each photo."""

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass

import psutil
from easy_thumbnails import files
from easy_thumbnails.models import Thumbnail
from easy_thumbnails.storage import thumbnail_default_storage

from counting.queries import QueryCounter

from .broken_photos import failure_reason
from .models import Photo
from .refused_writes import (
    DatabaseFailed,
    check_database_failure,
    check_storage_refusal,
)
from .storage_check import check_photo_storage
from .stored_objects import delete_names, stored_names

logger = logging.getLogger(__name__)


@dataclass
class PhotoGeneration:
    number: int
    photo: Photo
    seconds: float
    rss_bytes: int
    queries_count: int
    error: str | None = None


def easy_thumbnails_aliases(field_file) -> None:
    # Looked up when called, where easy_thumbnails_fix puts its own: with
    # THUMBNAIL_FIX on, the photo's rows are written together once its last
    # alias is stored.
    files.generate_all_aliases(field_file, include_global=True)


def generate_photo_aliases(
    photos, make_aliases=easy_thumbnails_aliases
) -> Iterator[PhotoGeneration]:
    """Generate all aliases of each photo in turn, as easy-thumbnails does it
    (or make_aliases, given the photo's field file: another library).

    A photo that fails is reported with its reason and the next one is
    tried, unless the storage itself stopped answering or refuses writes
    (StorageUnavailable) or the database failed (DatabaseFailed): then that
    is raised, rather than failing every photo after it.

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

    Raises StorageUnavailable when the storage does not answer or refuses
    writes, DatabaseFailed when the database failed: the photo is not to
    blame, and trying it again later will do. The thumbnails it stored
    before the database failed, left without their rows, are removed.
    """
    try:
        make_aliases(photo.photo)
    except Exception as exception:
        try:
            check_database_failure(exception)
        except DatabaseFailed:
            if make_aliases is easy_thumbnails_aliases:
                forget_unrecorded_thumbnails(photo.photo)
            raise
        # easy-thumbnails reports an unreachable original as "not an image":
        # ask the storage before blaming the photo.
        check_photo_storage()
        check_storage_refusal(exception)
        return failure_reason(photo.photo, exception)
    return None


def forget_unrecorded_thumbnails(field_file) -> None:
    """Remove field_file's thumbnail objects that have no Thumbnail row.

    When the database cannot even be read, they stay: a run of
    generate_all_thumbnail_aliases --verify removes them.
    """
    storage = thumbnail_default_storage
    try:
        stored = stored_names(storage, f"{field_file.name}.")
        recorded = Thumbnail.objects.filter(name__in=stored).values_list(
            "name", flat=True
        )
        delete_names(storage, stored - set(recorded))
    except Exception as error:
        logger.info(
            "Thumbnails of %s stored without their rows stay (%s: %s).",
            field_file.name,
            type(error).__name__,
            error,
        )


def all_photos():
    return Photo.objects.order_by("pk")


# Photos loaded at a time by a command: with THUMBNAIL_FIX on, the rows of a
# chunk are read together and its originals fetched one ahead (peers), and
# a chunk's objects stay small beside one original.
CHUNK_PHOTOS = 100


def photos_in_chunks(photos, size: int = CHUNK_PHOTOS) -> Iterator[Photo]:
    """photos (ordered by pk), loaded size at a time, each chunk a queryset
    evaluated whole: one query per chunk, as .iterator() would take, whose
    objects know each other (easy_thumbnails_fix.peers)."""
    last_pk = None
    while True:
        chunk = photos if last_pk is None else photos.filter(pk__gt=last_pk)
        loaded = list(chunk[:size])
        yield from loaded
        if len(loaded) < size:
            return
        last_pk = loaded[-1].pk
