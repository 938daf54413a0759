"""Check the bucket against the rows: thumbnails lost from it, objects nobody's.

A Thumbnail row whose object is gone would have every page show a URL to
nothing, for ever: easy-thumbnails trusts the row and never looks again. Its
row is deleted, so that the next page or run makes the thumbnail again. An
object that is neither a photo's original nor a Thumbnail row's is removed.

The storage is listed once (one LIST per 1000 keys on S3), never asked
after each object: a HEAD per thumbnail would cost more than the rows.
"""

from dataclasses import dataclass, field

from django.db import transaction
from easy_thumbnails.models import Thumbnail
from easy_thumbnails.storage import thumbnail_default_storage

from .models import PHOTO_DIRECTORY, Photo
from .stored_objects import delete_names, describe_storage, stored_names

# Rows deleted per statement: under any database's limit of values in one.
ROWS_PER_DELETE = 500


@dataclass
class Verification:
    thumbnails_count: int = 0
    # Thumbnails whose row stood without its object; their rows are deleted.
    lost_names: list[str] = field(default_factory=list)
    # Objects that were no photo's original and no Thumbnail row's; removed.
    removed_names: list[str] = field(default_factory=list)
    # Photos whose original is gone: nothing here can make them again.
    photos_without_original: list[Photo] = field(default_factory=list)


def verify_stored_objects() -> Verification:
    """Delete the Thumbnail rows whose object is gone and remove the objects
    that have no row; say which, and which photos lost their original.

    The rows are read after the listing, and read again just before objects
    are removed: an object stored meanwhile with its row is kept.
    """
    photo_storage = Photo._meta.get_field("photo").storage
    thumbnail_storage = thumbnail_default_storage
    photo_place = describe_storage(photo_storage)
    places = {photo_place: photo_storage}
    places.setdefault(describe_storage(thumbnail_storage), thumbnail_storage)
    stored = {
        place: stored_names(storage, PHOTO_DIRECTORY)
        for place, storage in places.items()
    }
    thumbnail_place = describe_storage(thumbnail_storage)

    rows = dict(thumbnail_rows().values_list("pk", "name"))
    verification = Verification(thumbnails_count=len(rows))
    lost = {
        pk: name for pk, name in rows.items() if name not in stored[thumbnail_place]
    }
    delete_rows(list(lost))
    verification.lost_names = sorted(lost.values())

    def unreferenced(place: str) -> set[str]:
        names = set(stored[place])
        if place == photo_place:
            names -= set(Photo.objects.values_list("photo", flat=True))
        if place == thumbnail_place:
            names -= set(thumbnail_rows().values_list("name", flat=True))
        return names

    verification.photos_without_original = [
        photo
        for photo in Photo.objects.order_by("pk").only("pk", "photo")
        if photo.photo.name not in stored[photo_place]
    ]
    for place, storage in places.items():
        names = unreferenced(place)
        if names:
            names &= unreferenced(place)  # rows written since the first look
        delete_names(storage, names)
        verification.removed_names.extend(sorted(names))
    return verification


def thumbnail_rows():
    return Thumbnail.objects.filter(name__startswith=PHOTO_DIRECTORY)


def delete_rows(pks: list[int]) -> None:
    with transaction.atomic():
        for start in range(0, len(pks), ROWS_PER_DELETE):
            Thumbnail.objects.filter(
                pk__in=pks[start : start + ROWS_PER_DELETE]
            ).delete()


def made_again_count(names: list[str]) -> int:
    """How many of these thumbnails have a row again."""
    return len(set(names) & set(thumbnail_rows().values_list("name", flat=True)))


def verified_line(verification: Verification, made_again: int) -> str:
    """ "Verified 180 thumbnails: 3 lost, made again; 2 objects without a row,
    removed." """
    lost = len(verification.lost_names)
    if lost == 0:
        lost_part = "none lost"
    elif made_again == lost:
        lost_part = f"{lost} lost, made again"
    else:
        lost_part = f"{lost} lost, {made_again} made again"
    removed = len(verification.removed_names)
    objects = "object" if removed == 1 else "objects"
    removed_part = f"{removed} {objects} without a row"
    if removed:
        removed_part += ", removed"
    thumbnails = "thumbnail" if verification.thumbnails_count == 1 else "thumbnails"
    line = (
        f"Verified {verification.thumbnails_count} {thumbnails}: "
        f"{lost_part}; {removed_part}"
    )
    if verification.photos_without_original:
        photos = ", ".join(
            f"#{photo.pk} {photo.photo.name}"
            for photo in verification.photos_without_original
        )
        line += (
            f"; originals missing from the bucket: {photos} (load them again, "
            "or delete the photos)"
        )
    return line + "."
