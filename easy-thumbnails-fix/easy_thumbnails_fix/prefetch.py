"""A page's Source and Thumbnail rows in two queries, whatever its photo count."""

import time
from collections import defaultdict
from contextlib import contextmanager

from easy_thumbnails.conf import settings as thumbnail_settings
from easy_thumbnails.models import Source, Thumbnail

from . import is_enabled
from .batch import thumbnail_batch
from .field_file import ThumbnailFix
from .storage_hash import storage_hash


def prefetch_thumbnails(field_files) -> None:
    """Give each field file its Source row and its Thumbnail rows, read for all at once.

    Stock easy-thumbnails reads the Source once per photo and a Thumbnail row
    per alias: 1 + aliases queries per photo on a page that is already warm.
    """
    groups = defaultdict(list)
    for field_file in field_files:
        if isinstance(field_file, ThumbnailFix) and field_file.name:
            key = (
                storage_hash(field_file.source_storage),
                storage_hash(field_file.thumbnail_storage),
            )
            groups[key].append(field_file)
    for (source_hash, thumbnail_hash), group in groups.items():
        read_at = time.time_ns()
        sources = {
            source.name: source
            for source in Source.objects.filter(
                storage_hash=source_hash, name__in={f.name for f in group}
            )
        }
        rows_by_source = defaultdict(dict)
        if sources:
            query = Thumbnail.objects.filter(
                storage_hash=thumbnail_hash,
                source_id__in=[source.pk for source in sources.values()],
            )
            if thumbnail_settings.THUMBNAIL_CACHE_DIMENSIONS:
                query = query.select_related("dimensions")
            for row in query:
                rows_by_source[row.source_id][row.name] = row
        for field_file in group:
            source = sources.get(field_file.name)
            field_file.set_prefetched(
                source, dict(rows_by_source[source.pk]) if source else {}, read_at
            )


@contextmanager
def thumbnail_page(objects, field_name: str):
    """Render a page of objects' thumbnails with the fix, when THUMBNAIL_FIX is on.

    Yields the objects, evaluated and with their rows prefetched, and records
    the thumbnails the page makes one photo at a time. With the switch off it
    yields them untouched: stock easy-thumbnails.
    """
    if not is_enabled():
        yield objects
        return
    objects = list(objects)
    if is_enabled("row_cache"):
        prefetch_thumbnails(getattr(obj, field_name) for obj in objects)
    with thumbnail_batch(page=True):
        yield objects
