"""A page's Source and Thumbnail rows kept in Django's cache, checked by the page's own query.

A warm page reads, per photo, its Source row and its Thumbnail rows. Here
they are kept in the cache that ``THUMBNAIL_FIX_CACHE`` names (Django's
``caches``: a process's memory by default, Redis or memcached when the site
configures one), under a key made of the storages' hashes, the source's name
and a *version* of its rows: the Source's ``modified``, the sum of its
Thumbnail rows' keys and the latest of their ``modified``.

The version is read by the page's own query (three subqueries on indexed
columns, see ``version_annotations``), so the cache needs no invalidation:
thumbnails deleted (by a command, by easy-thumbnails' ``delete_thumbnails``,
a row deleted by hand), made again, or a new original saved, all change the
version the next page reads, in every process, whatever the cache backend and
whoever changed the rows; an entry of an older version is never read again and
expires with the cache's own timeout. A page whose rows match its cache costs
its own query and nothing else.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import caches
from django.db.models import Max, OuterRef, Subquery, Sum
from easy_thumbnails.models import Source, Thumbnail, ThumbnailDimensions

from .conf import keeps_dimensions, settings

KEY_PREFIX = "easy_thumbnails_fix:rows"
# The version annotations on the page's objects, one set per file field.
ANNOTATION_PREFIX = "_easy_thumbnails_fix_version"


@dataclass(frozen=True)
class Version:
    """What changes whenever a photo's rows change (None: no Source row)."""

    source_modified: datetime | None
    # Rows deleted, added or replaced change the sum of their keys; rows
    # made again change the latest modified.
    thumbnails_pk_sum: int
    thumbnails_modified: datetime | None


def _names(field_name: str) -> tuple[str, str, str]:
    return tuple(
        f"{ANNOTATION_PREFIX}_{part}_{field_name}"
        for part in ("source_modified", "pk_sum", "modified")
    )


def version_annotations(field_name: str, source_hash: str, thumbnail_hash: str) -> dict:
    """The annotations that read each object's row version in its own query."""
    sources = Source.objects.filter(storage_hash=source_hash, name=OuterRef(field_name))
    thumbnails = (
        Thumbnail.objects.filter(
            storage_hash=thumbnail_hash,
            source__storage_hash=source_hash,
            source__name=OuterRef(field_name),
        )
        .order_by()
        .values("source__name")
    )
    source_modified, pk_sum, modified = _names(field_name)
    return {
        source_modified: Subquery(sources.order_by("pk").values("modified")[:1]),
        pk_sum: Subquery(thumbnails.annotate(pk_sum=Sum("pk")).values("pk_sum")),
        modified: Subquery(
            thumbnails.annotate(latest=Max("modified")).values("latest")
        ),
    }


def version_read(obj, field_name: str) -> Version | None:
    """The version read for obj's field by its query, if it was read."""
    source_modified, pk_sum, modified = _names(field_name)
    if not hasattr(obj, source_modified):
        return None
    return Version(
        getattr(obj, source_modified),
        getattr(obj, pk_sum) or 0,
        getattr(obj, modified),
    )


def version_of(source, thumbnail_rows: dict) -> Version | None:
    """The version of rows held in memory, as version_annotations reads it
    (None if a row's key is not known)."""
    if source is None:
        return Version(None, 0, None)
    rows = thumbnail_rows.values()
    if source.pk is None or any(row.pk is None for row in rows):
        return None
    return Version(
        source.modified,
        sum(row.pk for row in rows),
        max((row.modified for row in rows), default=None),
    )


def cache_key(
    source_hash: str, thumbnail_hash: str, name: str, version: Version
) -> str:
    # Hashed: source names may hold characters or lengths memcached refuses.
    parts = [
        source_hash,
        thumbnail_hash,
        name,
        _instant(version.source_modified),
        str(version.thumbnails_pk_sum),
        _instant(version.thumbnails_modified),
    ]
    digest = hashlib.sha256("\0".join(parts).encode()).hexdigest()
    return f"{KEY_PREFIX}:{digest}"


def _instant(moment: datetime | None) -> str:
    # The same instant read from SQLite or PostgreSQL, in any time zone.
    return "" if moment is None else f"{moment.timestamp():.6f}"


def rows_cache():
    return caches[settings.THUMBNAIL_FIX_CACHE]


def pack(source, thumbnail_rows: dict):
    """What the cache keeps of a photo's rows: plain values, no model instances."""
    if source is None:
        return None
    return (
        source.pk,
        source.modified,
        [
            (row.pk, row.name, row.modified, *_dimensions(row))
            for row in thumbnail_rows.values()
        ],
    )


def _dimensions(row) -> tuple:
    if not keeps_dimensions():
        return ()
    dimensions = getattr(row, "dimensions", None)
    if dimensions is None:
        return (None, None)
    return (dimensions.width, dimensions.height)


def unpack(packed, source_hash: str, name: str, thumbnail_hash: str):
    """(Source, Thumbnail rows by name) as the database would give them."""
    if packed is None:
        return None, {}
    source_pk, source_modified, thumbnails = packed
    source = Source(
        pk=source_pk, storage_hash=source_hash, name=name, modified=source_modified
    )
    source._state.adding = False
    rows = {}
    for row_pk, row_name, modified, *dimensions in thumbnails:
        row = Thumbnail(
            pk=row_pk,
            storage_hash=thumbnail_hash,
            name=row_name,
            source=source,
            modified=modified,
        )
        row._state.adding = False
        if dimensions and dimensions[0] is not None:
            row.dimensions = ThumbnailDimensions(
                thumbnail=row, width=dimensions[0], height=dimensions[1]
            )
        elif keeps_dimensions():
            # select_related finds none: the attribute raises as it would.
            Thumbnail.dimensions.related.set_cached_value(row, None)
        rows[row_name] = row
    return source, rows
