"""Load photo files from folders into the storage and the database."""

import logging
import os
import stat
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from .image_checks import BadPhoto, check_photo, check_size
from .models import Photo, content_sha256
from .refused_writes import check_database_failure, check_storage_refusal
from .storage_check import check_photo_storage

logger = logging.getLogger(__name__)


@dataclass
class LoadResult:
    path: Path
    status: str  # "loaded", "skipped" or "failed"
    detail: str
    photo: Photo | None = None


def load_photo(path: Path) -> LoadResult:
    """Store one file as a Photo, unless it is not a photo or is already loaded.

    Raises StorageUnavailable when the storage stops answering or refuses
    writes, DatabaseFailed when the database fails, so that a caller stops
    at once instead of failing every file after it in turn.

    The object's name comes from its content, and the object and its rows
    are written in one transaction, so after any failure there is neither a
    row without its object nor, once the file is loaded again, an object
    without its row.
    """
    try:
        data = read_photo_file(path)
        check_photo(BytesIO(data), len(data))
    except BadPhoto as error:
        return LoadResult(path, "failed", str(error))
    except OSError as error:
        return LoadResult(path, "failed", f"it cannot be read ({error.strerror})")
    name = readable_name(path)
    content = ContentFile(data, name=name)
    sha256 = content_sha256(content)
    existing = Photo.objects.filter(sha256=sha256).first()
    if existing is not None:
        return LoadResult(
            path, "skipped", f"already loaded as #{existing.pk}", existing
        )
    photo = Photo(sha256=sha256, original_name=name)
    try:
        with transaction.atomic():
            # Uploads, then writes the Source row; the Photo row follows.
            photo.photo.save(name, content, save=False)
            photo.save()
    except IntegrityError:
        # Another loader stored the same content since the lookup above.
        existing = Photo.objects.get(sha256=sha256)
        if existing.photo.name != photo.photo.name:
            # Under another file name: this object is nobody's.
            _forget_object(photo)
        return LoadResult(
            path, "skipped", f"already loaded as #{existing.pk}", existing
        )
    except Exception as error:
        _forget_object(photo)
        # Raise DatabaseFailed or StorageUnavailable if either was the cause.
        check_database_failure(error)
        check_photo_storage()
        check_storage_refusal(error)
        return LoadResult(path, "failed", f"it could not be stored ({error})")
    return LoadResult(path, "loaded", photo.photo.name, photo)


def read_photo_file(path: Path) -> bytes:
    """The bytes of the regular file at path, at most PHOTO_MAX_BYTES + 1 of them.

    Raises BadPhoto for what is not a regular file (a folder, a FIFO, a
    device such as a link to /dev/zero) or is too large for a photo, judged
    by its size before it is read: a FIFO would block the run, and a device
    or a huge file would fill the memory.
    """
    check_regular_file(os.stat(path))
    # O_NONBLOCK: should the file be swapped for a FIFO since the stat, the
    # open returns at once, and fstat below refuses it.
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(descriptor, "rb") as file:
        status = os.fstat(file.fileno())
        check_regular_file(status)
        check_size(status.st_size)
        return file.read(settings.PHOTO_MAX_BYTES + 1)


def check_regular_file(status: os.stat_result) -> None:
    if stat.S_ISREG(status.st_mode):
        return
    if stat.S_ISDIR(status.st_mode):
        raise BadPhoto("it is a folder, not a photo file")
    kinds = {
        stat.S_ISFIFO: "a named pipe (FIFO)",
        stat.S_ISCHR: "a character device",
        stat.S_ISBLK: "a block device",
        stat.S_ISSOCK: "a socket",
    }
    kind = next((kind for test, kind in kinds.items() if test(status.st_mode)), None)
    raise BadPhoto(f"it is {kind or 'not a regular file'}, not a photo file")


def readable_name(path: Path) -> str:
    """path's name as text: a name that is not UTF-8 on disk (say Latin-1
    from an old camera) cannot be an S3 key or a database value as it is."""
    return path.name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _forget_object(photo: Photo) -> None:
    """Remove an object whose rows were rolled back, if there is one.

    When the storage is gone this fails too; the object, if it was written,
    has the name the next load of the same file writes, so it is not lost.
    """
    if not photo.photo.name:
        return
    try:
        photo.photo.storage.delete(photo.photo.name)
    except Exception:
        logger.info("Could not remove %s after a failed load.", photo.photo.name)
