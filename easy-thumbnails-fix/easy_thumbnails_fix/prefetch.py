"""A page of photos' thumbnails: its queries the same whatever its photo count.

Warm, the page costs its own query: each photo's Source and Thumbnail rows
come from the cache (``page_cache``), checked against their version read by
that same query; rows not in the cache are read for the whole page in two
queries. Cold, the photos with a thumbnail to make are locked together
(``maker_lock.try_acquire_many``), their thumbnails stored as the page
renders, and the rows of all of them written in one INSERT when it ends.
"""

import time
from collections import defaultdict
from contextlib import contextmanager

from django.db.models import QuerySet
from easy_thumbnails.alias import aliases
from easy_thumbnails.models import Source, Thumbnail

from . import batch, is_enabled, maker_lock, page_cache, peers
from .batch import thumbnail_batch
from .conf import keeps_dimensions
from .field_file import ThumbnailFix
from .rows import record_rows, store_in_cache
from .storage_hash import storage_hash


def _hashes(field_file) -> tuple[str, str]:
    return storage_hash(field_file.source_storage), storage_hash(
        field_file.thumbnail_storage
    )


def _groups(field_files) -> dict:
    groups = defaultdict(list)
    for field_file in field_files:
        if isinstance(field_file, ThumbnailFix) and field_file.name:
            groups[_hashes(field_file)].append(field_file)
    return groups


def read_rows(field_files, read_at: int) -> None:
    """Give each field file its Source row and Thumbnail rows from the
    database: two queries per pair of storages (one if every Source is known).

    Stock easy-thumbnails reads the Source once per photo and a Thumbnail row
    per alias: 1 + aliases queries per photo on a page that is already warm.
    """
    for (source_hash, thumbnail_hash), group in _groups(field_files).items():
        known = {
            f.name: f._source_cache
            for f in group
            if getattr(f, "_source_cache", None) is not None
        }
        sources = dict(known)
        unknown = {f.name for f in group} - set(known)
        if unknown:
            # The lowest pk last, so it is the one kept: the page query's choice.
            for source in Source.objects.filter(
                storage_hash=source_hash, name__in=unknown
            ).order_by("-pk"):
                sources[source.name] = source
        rows_by_source = defaultdict(dict)
        if sources:
            query = Thumbnail.objects.filter(
                storage_hash=thumbnail_hash,
                source_id__in=[source.pk for source in sources.values()],
            )
            if keeps_dimensions():
                query = query.select_related("dimensions")
            for row in query:
                rows_by_source[row.source_id][row.name] = row
        for field_file in group:
            source = sources.get(field_file.name)
            field_file.set_prefetched(
                source, dict(rows_by_source[source.pk]) if source else {}, read_at
            )


def prefetch_thumbnails(field_files, versions=None, read_at: int | None = None) -> None:
    """Give each field file its rows: from the cache where versions (read by
    the page's query, one per field file) match an entry, else read."""
    read_at = read_at or time.time_ns()
    field_files = list(field_files)
    versions = list(versions) if versions is not None else [None] * len(field_files)
    missed = []
    cache = page_cache.rows_cache()
    for (source_hash, thumbnail_hash), group in _groups(field_files).items():
        keys = {}
        in_group = {id(field_file) for field_file in group}
        for field_file, version in zip(field_files, versions, strict=True):
            if id(field_file) in in_group and version is not None:
                keys[id(field_file)] = page_cache.cache_key(
                    source_hash, thumbnail_hash, field_file.name, version
                )
        found = cache.get_many(set(keys.values())) if keys else {}
        for field_file in group:
            key = keys.get(id(field_file))
            if key in found:
                source, rows = page_cache.unpack(
                    found[key], source_hash, field_file.name, thumbnail_hash
                )
                field_file.set_prefetched(source, rows, read_at)
            else:
                missed.append(field_file)
    if missed:
        read_rows(missed, read_at)
        store_in_cache(missed)


def with_versions(objects, field_name: str):
    """objects with their rows' version, when it can be read by their own query."""
    if not isinstance(objects, QuerySet):
        return objects
    field = objects.model._meta.get_field(field_name)
    return objects.annotate(**peers.version_annotations(field))


def missing_thumbnails(field_file) -> bool:
    """Whether an alias of the field file has no thumbnail (from its rows)."""
    for name, options in aliases.all(field_file, include_global=True).items():
        if not field_file.get_existing_thumbnail({**options, "ALIAS": name}):
            return True
    return False


def reads_its_original(field_file) -> bool:
    """Whether the fix downloads field_file's original from its storage to
    make a thumbnail (not a file handed to it, not a remote source)."""
    return (
        isinstance(field_file, ThumbnailFix)
        and bool(field_file.name)
        and not field_file.remote_source
    )


class PageRows:
    """A page's photos whose thumbnails it makes: their maker locks, held
    from the page's start, and the thumbnails stored, whose rows are written
    together (``flush``) when the page ends or before it must wait for a lock."""

    def __init__(self):
        self._files = {}  # id(field file) -> (field file, [thumbnails])

    def lock_missing(self, field_files, read_at: int) -> None:
        """Take, without waiting, the locks of the photos with a thumbnail to
        make; read again the rows of those another maker may have changed;
        have the originals of those still to make read one ahead.

        A photo whose lock another maker holds is left to its field file,
        which waits for it when the page reaches it (after a flush).
        """
        by_key = {}
        for field_file in field_files:
            if (
                reads_its_original(field_file)
                and field_file._maker_hold is None
                and missing_thumbnails(field_file)
            ):
                by_key.setdefault(field_file._maker_key(), field_file)
        if not by_key:
            return
        holds = maker_lock.try_acquire_many(by_key, read_at)
        stale = []
        for key, hold in holds.items():
            field_file = by_key[key]
            field_file._maker_hold = hold
            self.hold(field_file)
            if hold.made_since_read:
                field_file.forget_rows()
                stale.append(field_file)
        if stale:
            read_rows(stale, time.time_ns())
        stale_ids = {id(field_file) for field_file in stale}
        if is_enabled("upload_beside"):
            # In page order; not a photo another maker finished meanwhile.
            batch.read_ahead(
                [
                    field_file
                    for field_file in by_key.values()
                    if field_file._maker_hold is not None
                    and (
                        id(field_file) not in stale_ids
                        or missing_thumbnails(field_file)
                    )
                ]
            )

    def hold(self, field_file) -> None:
        """field_file's maker lock is released with the page's rows."""
        self._files.setdefault(id(field_file), (field_file, []))

    def defer(self, field_file, thumbnails) -> None:
        """Record thumbnails (stored) with the page's other rows."""
        self._files.setdefault(id(field_file), (field_file, []))[1].extend(thumbnails)

    def deferred(self, field_file) -> list:
        """field_file's stored thumbnails whose rows wait for the page's end."""
        return self._files.get(id(field_file), (None, []))[1]

    def names(self) -> list[str]:
        """The photos whose thumbnails wait to be recorded."""
        return [field_file.name for field_file, made in self._files.values() if made]

    def flush(self) -> None:
        """Write the rows of the thumbnails stored so far in one INSERT, then
        release every lock the page holds."""
        files, self._files = list(self._files.values()), {}
        made = [
            (field_file, thumbnails) for field_file, thumbnails in files if thumbnails
        ]
        recorded = False
        try:
            if made:
                record_rows(made)
            recorded = True
        finally:
            holds = []
            for field_file, thumbnails in files:
                hold, field_file._maker_hold = field_file._maker_hold, None
                if hold is not None:
                    holds.append((hold, recorded and bool(thumbnails)))
            maker_lock.release_many(holds)


@contextmanager
def thumbnail_page(objects, field_name: str):
    """Render a page of objects' thumbnails with the fix, when THUMBNAIL_FIX is on.

    Yields the objects, evaluated and with their rows read (from the cache,
    or in two queries), and records the thumbnails the page makes when it
    ends, all in one INSERT. With the switch off it yields them untouched:
    stock easy-thumbnails.
    """
    if not is_enabled():
        yield objects
        return
    if not is_enabled("row_cache"):
        with thumbnail_batch(page=True):
            yield list(objects)
        return
    read_at = time.time_ns()
    objects = list(with_versions(objects, field_name))
    field_files = [getattr(obj, field_name) for obj in objects]
    prefetch_thumbnails(
        field_files,
        [page_cache.version_read(obj, field_name) for obj in objects],
        read_at,
    )
    # Inside a request the page's rows are the request's (request_page).
    page_rows = batch.page_rows() or PageRows()
    with thumbnail_batch(page=True, rows=page_rows):
        page_rows.lock_missing(field_files, read_at)
        yield objects
