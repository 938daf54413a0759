"""The fix for easy-thumbnails #230, behind one switch: the THUMBNAIL_FIX setting.

With it on, a photo field's files (``fields.ThumbnailerImageField``) download
the original once, decode it once, in JPEG draft mode, for all its aliases,
read their Source and Thumbnail rows in one query per page or per photo, save
thumbnails without the DELETE before the PUT, beside the next alias's image
work, and record them in one INSERT per photo. Thumbnail names, rows and
processors stay easy-thumbnails' own, so pages rendered with the switch on or
off find each other's thumbnails.

THUMBNAIL_FIX = True turns on every part; a list of part names turns on only
those, which is how the reproduction measures what each cause costs.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Each part, and the cause of stock's cost it removes.
PARTS = {
    "read_once": "per-alias re-download: a HEAD and a full GET of the original per alias",
    "draft_decode": "full decode: the whole original decoded at full size per alias",
    "row_cache": "per-thumbnail queries: a Thumbnail row read and written per alias",
    "no_delete": "DELETE before PUT: a request per thumbnail S3 does not need",
    "upload_beside": "uploads in series: each PUT waited for before the next alias",
    "storage_hash": "storage-hash mismatch: rows looked up by the hash of 'object'",
    "pinned_mmap": "sliding mmap threshold: glibc keeps image buffers in a heap that fragments",
}


def enabled_parts() -> frozenset[str]:
    value = getattr(settings, "THUMBNAIL_FIX", False)
    if value is True:
        return frozenset(PARTS)
    if not value:
        return frozenset()
    unknown = set(value) - set(PARTS)
    if unknown:
        raise ImproperlyConfigured(
            f"THUMBNAIL_FIX names unknown parts {sorted(unknown)}: use 1, 0 or some "
            f"of {', '.join(PARTS)}."
        )
    return frozenset(value)


def is_enabled(part: str | None = None) -> bool:
    """Whether the fix, or one part of it, is on."""
    parts = enabled_parts()
    return bool(parts) if part is None else part in parts
