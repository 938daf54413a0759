"""Decide whether a file is a photo the site can show, before it is stored."""

import warnings
from dataclasses import dataclass

from django.conf import settings
from PIL import Image, UnidentifiedImageError

# Pillow's format names of the types a browser shows and a thumbnail is made of.
PHOTO_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
MB = 1024 * 1024


class BadPhoto(Exception):
    """The file is not a photo the site can show; the message says why."""


@dataclass(frozen=True)
class PhotoImage:
    format: str
    width: int
    height: int


def check_photo(file, size_bytes: int) -> PhotoImage:
    """Raise BadPhoto, with a reason a person can act on, unless file is a
    JPEG, PNG, GIF or WebP within the size and pixel limits that decodes whole.

    file is read from the start and left there. Checks are ordered from cheap
    to costly, so a huge file or a bomb is refused before anything is decoded.
    """
    if size_bytes == 0:
        raise BadPhoto("the file is empty (0 bytes)")
    if size_bytes > settings.PHOTO_MAX_BYTES:
        raise BadPhoto(
            f"the file is {_size(size_bytes)}, over the limit of "
            f"{_size(settings.PHOTO_MAX_BYTES)} (PHOTO_MAX_BYTES)"
        )
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
        if width * height > settings.PHOTO_MAX_PIXELS:
            raise BadPhoto(
                f"it is {width}x{height} pixels ({width * height / 1e6:.1f} megapixels), "
                f"over the limit of {limit_megapixels:.1f} megapixels (PHOTO_MAX_PIXELS)"
            )
        _decode(image)
        photo_format = image.format
    file.seek(0)
    return PhotoImage(format=photo_format, width=width, height=height)


def _size(size_bytes: int) -> str:
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
