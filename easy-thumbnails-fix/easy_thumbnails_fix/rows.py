"""A photo's new Thumbnail rows written in one INSERT, or a whole page's.

Stock writes a thumbnail's row as soon as it is saved, a get_or_create per
alias. Here the rows of saved thumbnails are written together
(``record_rows``), and the Source rows missing, each kind in one statement
whatever their number, then kept in the page cache (``page_cache``) under
the version they make.
"""

import sqlite3
from contextlib import contextmanager

from django.db import connections, router, transaction
from django.utils import timezone
from easy_thumbnails import signals
from easy_thumbnails.files import ThumbnailFile
from easy_thumbnails.models import Source, Thumbnail, ThumbnailDimensions
from easy_thumbnails.utils import get_storage_hash as utils_storage_hash

from . import is_enabled, page_cache
from .conf import keeps_dimensions
from .storage_hash import set_up, storage_hash


def stored_copy(thumbnail) -> ThumbnailFile:
    """A stored thumbnail's name, storage, options and size, without its image."""
    copy = ThumbnailFile(
        name=thumbnail.name,
        storage=thumbnail.storage,
        thumbnail_options=thumbnail.thumbnail_options,
    )
    copy._dimensions_cache = (thumbnail.width, thumbnail.height)
    return copy


def record_rows(made) -> None:
    """Write the Thumbnail rows of (field file, saved thumbnails) pairs in
    one INSERT (and the Source rows missing in another), whatever their number.

    A row that exists (made meanwhile by another process, or older than a
    changed original) takes the new modification time, as stock's
    get_or_create-then-update does.
    """
    remote = [
        (field_file, thumbnails)
        for field_file, thumbnails in made
        if field_file.remote_source
    ]
    made = [
        (field_file, thumbnails)
        for field_file, thumbnails in made
        if not field_file.remote_source
    ]
    modified = timezone.now()
    using = router.db_for_write(Thumbnail)
    with transaction.atomic(using=using, savepoint=False), sqlite_variables(using):
        written = _write_rows(made, modified)
    if written:
        # Kept under the version of the rows written: should their
        # transaction roll back, no page reads that version.
        store_in_cache([field_file for field_file, _ in made])
    # Stock keeps no rows for a source outside any storage.
    for _, thumbnails in remote + made:
        for thumbnail in thumbnails:
            signals.thumbnail_created.send(sender=thumbnail)


@contextmanager
def sqlite_variables(using: str):
    """Let Django put as many values in one SQLite statement as the SQLite
    library takes (32766 since SQLite 3.32), not the 999 of older ones that
    Django 5.2 assumes: a page of 100 photos' 900 rows is one INSERT, not four.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    features = connection.features
    features.max_query_params = max(limit, type(features).max_query_params)
    try:
        yield
    finally:
        del features.max_query_params  # the class's own again


def _write_rows(made, modified) -> bool:
    """The rows of record_rows, in their field files' thumbnail_rows too;
    whether there were any."""
    _create_sources([field_file for field_file, _ in made], modified)
    new_rows = [
        (
            field_file,
            thumbnail,
            Thumbnail(
                storage_hash=storage_hash(field_file.thumbnail_storage),
                name=thumbnail.name,
                source=field_file.get_source_cache(),
                modified=modified,
            ),
        )
        for field_file, thumbnails in made
        for thumbnail in thumbnails
    ]
    if not new_rows:
        return False
    rows = Thumbnail.objects.bulk_create(
        [row for _, _, row in new_rows],
        update_conflicts=True,
        unique_fields=["storage_hash", "name", "source"],
        update_fields=["modified"],
    )
    if keeps_dimensions():
        ThumbnailDimensions.objects.bulk_create(
            [
                ThumbnailDimensions(
                    thumbnail=row, width=thumbnail.width, height=thumbnail.height
                )
                for (_, thumbnail, _), row in zip(new_rows, rows, strict=True)
            ],
            update_conflicts=True,
            unique_fields=["thumbnail"],
            update_fields=["width", "height"],
        )
    for (field_file, _, _), row in zip(new_rows, rows, strict=True):
        if field_file._thumbnail_rows is not None:
            field_file._thumbnail_rows[row.name] = row
    return True


def _create_sources(field_files, modified) -> None:
    """The Source rows of field files that have none: found if another made
    them meanwhile (easy-thumbnails' save, say), the rest in one INSERT."""
    missing = {}
    for field_file in field_files:
        if field_file.get_source_cache() is None:
            if is_enabled("storage_hash"):
                set_up(field_file.source_storage)
            key = (utils_storage_hash(field_file.source_storage), field_file.name)
            missing.setdefault(key, []).append(field_file)
    if not missing:
        return
    sources = {}
    for source in Source.objects.filter(
        storage_hash__in={source_hash for source_hash, _ in missing},
        name__in={name for _, name in missing},
    ).order_by("-pk"):
        sources[(source.storage_hash, source.name)] = source
    new = [key for key in missing if key not in sources]
    created = Source.objects.bulk_create(
        [
            Source(storage_hash=source_hash, name=name, modified=modified)
            for source_hash, name in new
        ]
    )
    sources.update(zip(new, created, strict=True))
    for key, files in missing.items():
        for field_file in files:
            field_file._source_cache = sources[key]


def store_in_cache(field_files) -> None:
    """Keep the rows the field files hold in the page cache (page_cache), each
    under the version of those rows."""
    entries = {}
    for field_file in field_files:
        if getattr(field_file, "_thumbnail_rows", None) is None:
            continue
        source = getattr(field_file, "_source_cache", None)
        source_hash = storage_hash(field_file.source_storage)
        thumbnail_hash = storage_hash(field_file.thumbnail_storage)
        version = page_cache.version_of(source, field_file._thumbnail_rows)
        if version is None:
            continue
        key = page_cache.cache_key(
            source_hash, thumbnail_hash, field_file.name, version
        )
        entries[key] = page_cache.pack(source, field_file._thumbnail_rows)
    if entries:
        page_cache.rows_cache().set_many(entries)
