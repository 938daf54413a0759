"""Delete thumbnails and photos for real: from the bucket and from the database.

easy-thumbnails' own ``Thumbnailer.delete_thumbnails()`` finds thumbnails by
the storage hash of its Source row, and that hash depends on whether Django's
lazy default storage was set up when it was computed (``get_storage_hash``
tests ``_wrapped is None``; LazyObject uses a sentinel). In a fresh process it
finds nothing and deletes nothing. So this goes by name, whatever the hash.
"""

import posixpath
from dataclasses import dataclass

from django.db import transaction
from easy_thumbnails.models import Source, Thumbnail
from easy_thumbnails.storage import thumbnail_default_storage

from .models import Photo


@dataclass
class Deleted:
    objects: int = 0
    thumbnail_rows: int = 0
    source_rows: int = 0
    photo_rows: int = 0


def thumbnail_object_names(storage, source_name: str) -> list[str]:
    """Names in storage of the thumbnails of source_name: "<source name>.<options>"."""
    directory, basename = posixpath.split(source_name)
    try:
        _, files = storage.listdir(directory)
    except FileNotFoundError:
        return []
    prefix = basename + "."
    return [
        posixpath.join(directory, name) for name in files if name.startswith(prefix)
    ]


def delete_photo_thumbnails(photo: Photo, deleted: Deleted) -> None:
    delete_thumbnails_of(photo.photo.name, deleted)


def delete_thumbnails_of(source_name: str, deleted: Deleted) -> None:
    """The thumbnails of the photo stored as source_name: their objects, by
    name and by row, then their rows and the Source row."""
    storage = thumbnail_default_storage
    names = set(thumbnail_object_names(storage, source_name))
    thumbnails = Thumbnail.objects.filter(source__name=source_name)
    names.update(thumbnails.values_list("name", flat=True))
    for name in sorted(names):
        storage.delete(name)
        deleted.objects += 1
    with transaction.atomic():
        deleted.thumbnail_rows += thumbnails.delete()[0]
        deleted.source_rows += Source.objects.filter(name=source_name).delete()[0]


def delete_photo_files(storage, source_name: str, deleted: Deleted) -> None:
    """Thumbnails first, then the original: a stop part-way leaves an
    original whose thumbnails a page makes again, never thumbnails of nothing."""
    delete_thumbnails_of(source_name, deleted)
    storage.delete(source_name)
    deleted.objects += 1


def delete_all_thumbnails() -> Deleted:
    deleted = Deleted()
    for photo in Photo.objects.order_by("pk").iterator():
        delete_photo_thumbnails(photo, deleted)
    return deleted


def delete_all_photos() -> Deleted:
    """Each photo's thumbnails, then its original and its row, so a stop
    part-way leaves only whole photos behind and a re-run finishes the job."""
    deleted = Deleted()
    for photo in Photo.objects.order_by("pk").iterator():
        delete_photo_files(photo.photo.storage, photo.photo.name, deleted)
        # Its files are gone already: the row's own clean-up has nothing to do.
        photo.files_deleted = True
        photo.delete()
        deleted.photo_rows += 1
    return deleted
