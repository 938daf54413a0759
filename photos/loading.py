"""Load photo files from a folder into the storage and the database."""

import logging
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction

from .models import Photo, content_sha256

logger = logging.getLogger(__name__)

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp"}


@dataclass
class LoadResult:
    path: Path
    status: str  # "loaded", "skipped" or "failed"
    detail: str
    photo: Photo | None = None


def photo_files(directory: Path) -> list[Path]:
    """The files in directory with an image suffix, in any case, sorted by name."""
    return sorted(
        path for path in directory.iterdir() if path.suffix.lower() in IMAGE_SUFFIXES
    )


def load_photo(path: Path) -> LoadResult:
    """Store one file as a Photo, unless a photo with the same content exists.

    The object is uploaded first and the row written after; if the row cannot
    be written the object is removed again, so neither is left without the other.
    """
    data = path.read_bytes()
    content = ContentFile(data, name=path.name)
    sha256 = content_sha256(content)
    existing = Photo.objects.filter(sha256=sha256).first()
    if existing is not None:
        return LoadResult(
            path, "skipped", f"already loaded as #{existing.pk}", existing
        )
    photo = Photo(sha256=sha256, original_name=path.name)
    photo.photo.save(path.name, content, save=False)
    try:
        with transaction.atomic():
            photo.save()
    except BaseException:
        photo.photo.storage.delete(photo.photo.name)
        raise
    return LoadResult(path, "loaded", photo.photo.name, photo)
