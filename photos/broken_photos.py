"""Show a page of photos when one of them cannot be thumbnailed.

easy-thumbnails' ``thumbnail_url`` filter returns "" on any error and says
nothing, once per alias. Here the first error marks the photo broken, is
logged once with its cause, and the photo's other aliases are not tried.
"""

import logging

from botocore.exceptions import BotoCoreError, ClientError
from easy_thumbnails.exceptions import InvalidImageFormatError
from easy_thumbnails.files import get_thumbnailer

logger = logging.getLogger(__name__)

MISSING = "its original is missing from the photo storage"
NOT_AN_IMAGE = "its original is not a readable image"
UNREACHABLE = "the photo storage could not be reached"
FAILED = "its thumbnails could not be made"


def thumbnail_url(field_file, alias: str) -> str:
    """The URL of field_file's alias thumbnail, or "" if the photo is broken.

    On success this is exactly what ``thumbnail_url`` does; only failures
    cost more (one HEAD, to tell a missing original from a corrupt one).
    """
    if getattr(field_file, "broken_reason", None):
        return ""
    try:
        return get_thumbnailer(field_file)[alias].url
    except Exception as error:
        reason = failure_reason(field_file, error)
        field_file.broken_reason = reason
        logger.error(
            "Photo #%s (%s) cannot be shown: %s (%s: %s).",
            field_file.instance.pk,
            field_file.name,
            reason,
            type(error).__name__,
            error,
        )
        return ""


def failure_reason(field_file, error: Exception) -> str:
    """Why field_file could not be thumbnailed, in words for its owner."""
    if isinstance(error, (BotoCoreError, ClientError)):
        return UNREACHABLE
    if not isinstance(error, InvalidImageFormatError):
        return FAILED
    # easy-thumbnails says "not an image" both when it could not open the
    # original and when it could not decode it.
    try:
        exists = field_file.storage.exists(field_file.name)
    except Exception:
        return UNREACHABLE
    return NOT_AN_IMAGE if exists else MISSING
