"""Show a page of photos when one of them cannot be thumbnailed.

easy-thumbnails' ``thumbnail_url`` filter returns "" on any error and says
nothing, once per alias. Here the first error marks the photo broken, is
logged once with its cause, and the photo's other aliases are not tried.
When the cause is the storage not answering, the next photos show only the
thumbnails already made for a while, so the page still comes back in seconds.
"""

import logging
import time

from botocore.exceptions import BotoCoreError, ClientError
from easy_thumbnails.alias import aliases
from easy_thumbnails.exceptions import InvalidImageFormatError
from easy_thumbnails.files import get_thumbnailer

logger = logging.getLogger(__name__)

MISSING = "its original is missing from the photo storage"
NOT_AN_IMAGE = "its original is not a readable image"
UNREACHABLE = "the photo storage could not be reached"
FAILED = "its thumbnails could not be made"


# Once the storage has not answered, pages show only the thumbnails already
# made, for this long, instead of waiting on the storage for every photo.
STORAGE_RETRY_SECONDS = 30


class _StorageState:
    down_until = 0.0  # time.monotonic(); a float is swapped whole between threads


def thumbnail_url(field_file, alias: str) -> str:
    """The URL of field_file's alias thumbnail, or "" if the photo is broken.

    On success this is exactly what ``thumbnail_url`` does; only failures
    cost more (one HEAD, to tell a missing original from a corrupt one, or a
    storage that refused one request from one that is down).
    """
    if getattr(field_file, "broken_reason", None):
        return ""
    thumbnailer = get_thumbnailer(field_file)
    try:
        if time.monotonic() < _StorageState.down_until:
            thumbnail = _existing_thumbnail(thumbnailer, alias)
            if thumbnail is None:
                _mark_broken(
                    field_file, UNREACHABLE, "not tried: it did not answer just now"
                )
                return ""
            return thumbnail.url
        return thumbnailer[alias].url
    except Exception as error:
        reason, cause = describe_failure(field_file, error)
        if reason == UNREACHABLE:
            _StorageState.down_until = time.monotonic() + STORAGE_RETRY_SECONDS
        _mark_broken(field_file, reason, cause)
        return ""


def _existing_thumbnail(thumbnailer, alias: str):
    """The alias thumbnail if it was made before, from the database alone."""
    options = aliases.get(alias, target=thumbnailer.alias_target)
    if not options:
        raise KeyError(alias)
    options["ALIAS"] = alias
    return thumbnailer.get_thumbnail(options, generate=False)


def _mark_broken(field_file, reason: str, cause: str) -> None:
    field_file.broken_reason = reason
    logger.error(
        "Photo #%s (%s) cannot be shown: %s (%s).",
        field_file.instance.pk,
        field_file.name,
        reason,
        cause,
    )


def failure_reason(field_file, error: Exception) -> str:
    """Why field_file could not be thumbnailed, in words for its owner."""
    return describe_failure(field_file, error)[0]


def describe_failure(field_file, error: Exception) -> tuple[str, str]:
    """(Why field_file could not be thumbnailed, the error behind it for the log)."""
    cause = f"{type(error).__name__}: {error}"
    if isinstance(error, BotoCoreError):
        return UNREACHABLE, cause
    if isinstance(error, ClientError):
        # The storage answered, with an error for this one request (a PUT
        # refused, say): the photo's failure, unless the storage is down.
        try:
            field_file.storage.exists(field_file.name)
        except Exception as storage_error:
            return UNREACHABLE, f"{type(storage_error).__name__}: {storage_error}"
        return FAILED, cause
    if not isinstance(error, InvalidImageFormatError):
        return FAILED, cause
    # easy-thumbnails says "not an image" both when it could not open the
    # original and when it could not decode it.
    try:
        exists = field_file.storage.exists(field_file.name)
    except Exception as storage_error:
        return UNREACHABLE, f"{type(storage_error).__name__}: {storage_error}"
    return (NOT_AN_IMAGE if exists else MISSING), cause
