"""The objects one query loaded know each other: a page's rows read in one go.

With the app installed, a queryset whose model has easy-thumbnails fields
reads, in its own query, each object's row version per such field
(``page_cache.version_annotations``: three subqueries on indexed columns),
and gives the objects it loaded a shared ``Peers``. The first time a
thumbnail of one object's file is asked for, the rows of that field of all
its peers are read together, as django-auto-prefetch fetches a relation for
all of a queryset's objects at once: from the row cache where the versions
match, else in two queries for all of them. A view that lists photos needs no
change to cost the same queries at 10 photos as at 100.

``generate_all_aliases`` making one object's aliases outside a page fetches
the originals of its peers with a thumbnail to make one ahead
(``read_ahead_generation``): a command that loops over a queryset has the
next photo's original downloaded while this one's are drawn.

Only querysets evaluated whole (a loop, a template, ``list()``, a page of a
``Paginator``) are read so; ``.iterator()``, ``.values()``, unions and
grouped queries are left as they are. Peers are held by weak references: a
loaded object's peers never keep the others alive.
"""

import time
import weakref
from functools import cache

from django.db.models.query import ModelIterable, QuerySet
from easy_thumbnails.fields import ThumbnailerField
from easy_thumbnails.storage import thumbnail_default_storage

from . import batch, is_enabled, page_cache
from .read_ahead import ReadAhead
from .storage_hash import storage_hash

PEERS = "_easy_thumbnails_fix_peers"

_stock_fetch_all = QuerySet._fetch_all


class Peers:
    """The objects of one query, and the fields whose rows are still to read."""

    def __init__(self, objects, fields):
        self._objects = [weakref.ref(obj) for obj in objects]
        self.unread = {field.attname: field for field in fields}
        # Per field read: its files and when their rows were read, until a
        # page first makes one of their thumbnails.
        self.unlocked: dict[str, tuple[list, int]] = {}
        # Per field whose aliases generate_all_aliases makes: the originals
        # read one ahead (read_ahead.ReadAhead), held no longer than the objects.
        self.read_ahead: dict = {}

    def objects(self) -> list:
        return [obj for obj in (ref() for ref in self._objects) if obj is not None]


@cache
def thumbnail_fields(model) -> tuple:
    """The model's easy-thumbnails fields (its own and the fix's)."""
    return tuple(
        field
        for field in model._meta.concrete_fields
        if isinstance(field, ThumbnailerField)
    )


def loaded_fields(queryset) -> list:
    """The easy-thumbnails fields whose versions queryset's own query can read."""
    query = queryset.query
    if (
        queryset._iterable_class is not ModelIterable
        or query.combinator
        or query.group_by is not None
    ):
        return []
    fields = thumbnail_fields(queryset.model)
    names, defer = query.deferred_loading
    if defer:
        return [field for field in fields if field.name not in names]
    return [field for field in fields if field.name in names]


def version_annotations(field) -> dict:
    """The annotations that read the row version of field's files."""
    thumbnail_storage = getattr(field, "thumbnail_storage", None)
    return page_cache.version_annotations(
        field.name,
        storage_hash(field.storage),
        storage_hash(thumbnail_storage or thumbnail_default_storage),
    )


def _fetch_all(self):
    """QuerySet._fetch_all, the objects loaded with their row versions and
    their peers, while THUMBNAIL_FIX is on."""
    if self._result_cache is None and is_enabled():
        fields = loaded_fields(self)
        if fields:
            loading = self._chain()
            for field in fields:
                for alias, annotation in version_annotations(field).items():
                    # Read once, should the queryset ask for them itself.
                    if alias not in loading.query.annotations:
                        loading.query.add_annotation(annotation, alias)
            objects = list(self._iterable_class(loading))
            peers = Peers(objects, fields)
            for obj in objects:
                obj.__dict__[PEERS] = peers
            self._result_cache = objects
    _stock_fetch_all(self)


def install() -> None:
    """Have querysets load their objects as peers (the app's ready())."""
    QuerySet._fetch_all = _fetch_all


def _peers(field_file):
    instance = getattr(field_file, "instance", None)
    return getattr(instance, "__dict__", {}).get(PEERS)


def read_with_peers(field_file) -> None:
    """field_file's rows, and those of the same field of every object its
    object was loaded with, unless already read."""
    from .prefetch import prefetch_thumbnails  # needs easy-thumbnails' models

    peers = _peers(field_file)
    if peers is None:
        return  # not loaded by a queryset (a thumbnailer of a storage name)
    attname = field_file.field.attname
    field = peers.unread.pop(attname, None)
    if field is None:
        return
    read_at = time.time_ns()
    files, versions = [], []
    for obj in peers.objects():
        peer_file = getattr(obj, field.attname)
        if getattr(peer_file, "_thumbnail_rows", None) is None:
            files.append(peer_file)
            versions.append(page_cache.version_read(obj, field.name))
    if not files:
        return  # read for a page already (thumbnail_page)
    prefetch_thumbnails(files, versions, read_at)
    peers.unlocked[attname] = (files, read_at)


def lock_with_peers(field_file) -> None:
    """On a page about to make field_file's first thumbnail: lock, together,
    its peers with a thumbnail to make (itself among them), their originals
    read one ahead (``PageRows.lock_missing``).

    Only then: a page that makes nothing (warm, or showing aliases that
    exist while others are missing) takes no lock and reads no original.
    """
    peers = _peers(field_file)
    page_rows = batch.page_rows()
    if peers is None or page_rows is None:
        return
    files, read_at = peers.unlocked.pop(field_file.field.attname, (None, None))
    if files is None:
        return
    page_rows.lock_missing(files, read_at)


def read_ahead_generation(field_file) -> None:
    """generate_all_aliases starts on field_file outside a page: have the
    originals of its peers with a thumbnail to make (itself among them) read
    one ahead, in the order they were loaded, as a page's are.

    Each download is the GET that making the photo sends anyway, started
    when the photo before it takes its own. A photo that another maker
    finishes between the two is the exception: its original was fetched
    for nothing.
    """
    from .prefetch import missing_thumbnails, reads_its_original

    peers = _peers(field_file)
    if peers is None or batch.page_rows() is not None:
        return
    attname = field_file.field.attname
    if attname in peers.read_ahead:
        return
    read_with_peers(field_file)
    files = [
        peer_file
        for peer_file in (getattr(obj, attname) for obj in peers.objects())
        if reads_its_original(peer_file) and missing_thumbnails(peer_file)
    ]
    peers.read_ahead[attname] = ReadAhead(files)


def read_ahead_original(field_file) -> bytes | None:
    """field_file's original, if generate_all_aliases read it ahead (None
    otherwise: read it as usual)."""
    peers = _peers(field_file)
    if peers is None:
        return None
    reader = peers.read_ahead.get(field_file.field.attname)
    return None if reader is None else reader.original(field_file)
