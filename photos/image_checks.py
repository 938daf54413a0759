"""Decide whether a file is a photo the site can show, before it is stored."""

import warnings
from dataclasses import dataclass
from pathlib import PurePath
from typing import NamedTuple

from django.conf import settings
from PIL import Image, UnidentifiedImageError

from .units import MB

# Pillow's format names of the types a browser shows and a thumbnail is made of.
PHOTO_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")


class StoredType(NamedTuple):
    content_type: str
    suffixes: tuple[str, ...]  # the usual one first


# How a photo of each format is stored. MPO, a camera's JPEG with a second
# image inside, is shown as the JPEG it starts with.
STORED_TYPES = {
    "JPEG": StoredType("image/jpeg", (".jpg", ".jpeg")),
    "MPO": StoredType("image/jpeg", (".jpg", ".jpeg")),
    "PNG": StoredType("image/png", (".png",)),
    "GIF": StoredType("image/gif", (".gif",)),
    "WEBP": StoredType("image/webp", (".webp",)),
}


# Pillow decodes a WebP through libwebp's animation decoder, which keeps frames
# of its own beside the image: a WebP takes about twice the memory of a PNG of
# as many pixels. It may have 1/2.5 as many, not half: at half, a gunicorn
# worker that took its upload and then served its page peaked at up to 642 MB
# with stock, over the README's 640 (docs/site.md#memory-per-photo).
PIXEL_COSTS = {"WEBP": 2.5}


class BadPhoto(Exception):
    """The file is not a photo the site can show; the message says why."""


@dataclass(frozen=True)
class PhotoImage:
    format: str
    width: int
    height: int


def check_photo(file, size_bytes: int) -> PhotoImage:
    """Raise BadPhoto, with a reason a person can act on, unless file is a
    JPEG, PNG, GIF or WebP within the size and pixel limits that decodes whole
    (a WebP within 1/2.5 as many pixels: PIXEL_COSTS).

    file is read from the start and left there. Checks are ordered from cheap
    to costly, so a huge file or a bomb is refused before anything is decoded.
    """
    check_size(size_bytes)
    limit_megapixels = settings.PHOTO_MAX_PIXELS / 1e6
    file.seek(0)
    try:
        with warnings.catch_warnings():
            # Between the limit and twice it Pillow only warns; refused below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(file, formats=PHOTO_FORMATS)
    except UnidentifiedImageError:
        raise BadPhoto("it is not a JPEG, PNG, GIF or WebP image") from None
    except Image.DecompressionBombError:
        raise BadPhoto(
            f"it has more than twice the limit of {limit_megapixels:.1f} megapixels "
            "(PHOTO_MAX_PIXELS): refused as a possible decompression bomb"
        ) from None
    except Exception as error:
        raise BadPhoto(f"it is truncated or corrupt ({error})") from None
    with image:
        width, height = image.size
        cost = PIXEL_COSTS.get(image.format, 1)
        if width * height > settings.PHOTO_MAX_PIXELS / cost:
            limit_text = (
                f"{limit_megapixels:.1f} megapixels (PHOTO_MAX_PIXELS)"
                if cost == 1
                else f"{limit_megapixels / cost:.1f} megapixels for a {image.format} "
                f"image (PHOTO_MAX_PIXELS / {cost})"
            )
            raise BadPhoto(
                f"it is {width}x{height} pixels ({width * height / 1e6:.1f} megapixels), "
                f"over the limit of {limit_text}"
            )
        _decode(image)
        photo_format = image.format
    file.seek(0)
    return PhotoImage(format=photo_format, width=width, height=height)


def name_for_format(name: str, photo_format: str) -> str:
    """name with the suffix of the format the photo is, not the one it was
    given: the storage serves an object with the content type its suffix
    implies. A suffix that already fits (.jpeg for a JPEG) is kept."""
    path = PurePath(name)
    suffixes = STORED_TYPES[photo_format].suffixes
    if path.suffix.lower() in suffixes:
        return name
    return str(path.with_suffix(suffixes[0])) if path.stem else suffixes[0]


def check_size(size_bytes: int) -> None:
    """Raise BadPhoto unless a file of size_bytes may be a photo: not empty,
    not over PHOTO_MAX_BYTES. Cheap: a caller checks it before reading."""
    if size_bytes == 0:
        raise BadPhoto("the file is empty (0 bytes)")
    if size_bytes > settings.PHOTO_MAX_BYTES:
        raise BadPhoto(
            f"the file is {size_text(size_bytes)}, over the limit of "
            f"{size_text(settings.PHOTO_MAX_BYTES)} (PHOTO_MAX_BYTES)"
        )


def size_text(size_bytes: int) -> str:
    """size_bytes in MB, or in KB under one MB, to one decimal."""
    if size_bytes >= MB:
        return f"{size_bytes / MB:.1f} MB"
    return f"{size_bytes / 1024:.1f} KB"


def _decode(image: Image.Image) -> None:
    """Decode every byte of the image data, so a truncated file is caught here
    and not on the page (easy-thumbnails loads truncated images, grey-filled)."""
    if image.format == "JPEG":
        # Draft mode decodes at 1/8 scale: the whole stream is still read,
        # at a fraction of the time and memory.
        image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
    try:
        image.load()
    except Exception as error:
        raise BadPhoto(f"it is truncated or corrupt ({error})") from None
