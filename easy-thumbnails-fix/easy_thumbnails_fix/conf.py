"""The fix's settings, in easy-thumbnails' style (``easy_thumbnails.conf``).

Set them in the project's settings module; each falls back to the default
here. What they turn on is read once per process, and again whenever Django
sends ``setting_changed`` (``override_settings``, pytest-django's ``settings``
fixture), so tests can switch the fix at run time.
"""

import importlib.util
from functools import cache

from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from easy_thumbnails.conf import AppSettings
from easy_thumbnails.conf import settings as thumbnail_settings

# Each part of the fix, and the cause of stock's cost it removes.
PARTS = {
    "read_once": "per-alias re-download: a HEAD and a full GET of the original per alias",
    "draft_decode": "full decode: the whole original decoded at full size per alias",
    "row_cache": "per-thumbnail queries: a Thumbnail row read and written per alias",
    "no_delete": "DELETE before PUT: a request per thumbnail S3 does not need",
    "upload_beside": (
        "transfers in series: each PUT waited for before the next alias, "
        "on a page before the next alias is asked for, and each original on "
        "a page fetched only once the photo before is drawn"
    ),
    "storage_hash": "storage-hash mismatch: rows looked up by the hash of 'object'",
    "pinned_mmap": "sliding mmap threshold: glibc keeps image buffers in a heap that fragments",
    "vips_decode": "Pillow's decode and resize: libvips decodes a JPEG and resizes it in less time",
}
# Parts THUMBNAIL_FIX = True leaves off: each is turned on by naming it.
OPT_IN_PARTS = frozenset({"vips_decode"})
# What THUMBNAIL_FIX = True turns on.
DEFAULT_PARTS = frozenset(PARTS) - OPT_IN_PARTS
# Parts that work only beside another: vips_decode replaces draft_decode's
# decode and resize.
NEEDS = {"vips_decode": "draft_decode"}


class Settings(AppSettings):
    """The settings of easy-thumbnails-fix, with their defaults."""

    THUMBNAIL_FIX = False
    """
    Whether the fix is on. ``False`` (the default) leaves stock
    easy-thumbnails; ``True`` turns on every part but those of
    ``OPT_IN_PARTS``; a list of part names (the keys of ``PARTS``) turns on
    exactly those, to measure what each cause costs or to add an opt-in part.

    ``vips_decode`` (opt-in, needs ``draft_decode``) decodes and resizes JPEGs
    with libvips: it needs pyvips (``pip install "easy-thumbnails-fix[vips]"``),
    and naming it without pyvips installed is an ImproperlyConfigured error,
    not a silent return to Pillow.

    Thumbnail names, rows and processors are stock's either way, so pages made
    with it on and off find each other's thumbnails.
    """

    THUMBNAIL_FIX_CACHE = "default"
    """
    The alias, in Django's ``CACHES``, of the cache that keeps a page's Source
    and Thumbnail rows, so that a warm page costs its own query alone. Any
    backend does: each page checks the entries against the rows' version,
    read by its own query, so none is ever stale. A shared one (Redis,
    memcached) serves every process from the first page any of them rendered;
    Django's default, local memory, serves each process from its own.
    """


settings = Settings()


@cache
def enabled_parts() -> frozenset[str]:
    """The parts of the fix THUMBNAIL_FIX turns on; ImproperlyConfigured names
    a value that is not one of the allowed kinds."""
    value = settings.THUMBNAIL_FIX
    if value is True:
        return DEFAULT_PARTS
    if not value:
        return frozenset()
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        raise ImproperlyConfigured(
            f"THUMBNAIL_FIX is {value!r}: use True, False or a list of some of "
            f"{', '.join(PARTS)}."
        )
    parts = frozenset(value)
    unknown = parts - set(PARTS)
    if unknown:
        raise ImproperlyConfigured(
            f"THUMBNAIL_FIX names unknown parts {sorted(unknown)}: use True, False "
            f"or a list of some of {', '.join(PARTS)}."
        )
    for part, needed in NEEDS.items():
        if part in parts and needed not in parts:
            raise ImproperlyConfigured(
                f"THUMBNAIL_FIX names {part} without {needed}: add {needed!r} "
                "to the list."
            )
    if "vips_decode" in parts and importlib.util.find_spec("pyvips") is None:
        raise ImproperlyConfigured(
            "THUMBNAIL_FIX names vips_decode, which needs pyvips: "
            'pip install "easy-thumbnails-fix[vips]", or leave vips_decode out.'
        )
    return parts


def is_enabled(part: str | None = None) -> bool:
    """Whether the fix, or one part of it, is on."""
    parts = enabled_parts()
    return bool(parts) if part is None else part in parts


def works_ahead() -> bool:
    """Whether the fix works ahead of being asked: a photo's original
    fetched while the one before it is drawn, outside a page too, and a page's
    thumbnails drawn before it asks for them. It needs one read per photo,
    its rows known without a query, and uploads beside the drawing."""
    return all(is_enabled(part) for part in ("read_once", "row_cache", "upload_beside"))


def keeps_dimensions() -> bool:
    """Whether thumbnails' widths and heights are kept in their rows
    (ThumbnailDimensions): with the row cache on, or where easy-thumbnails'
    THUMBNAIL_CACHE_DIMENSIONS asks for it. Then a page reads a thumbnail's
    size with its rows, not by opening it from the storage (#373)."""
    return thumbnail_settings.THUMBNAIL_CACHE_DIMENSIONS or is_enabled("row_cache")


def _setting_changed(*, setting, **kwargs):
    if setting == "THUMBNAIL_FIX":
        enabled_parts.cache_clear()


setting_changed.connect(_setting_changed)
