"""The libvips floor: what making the nine thumbnails costs with libvips alone.

Each original is decoded once, with JPEG shrink-on-load (libvips' shrink=2,
4 or 8: the decoder itself skips what the largest alias does not need) and
kept in memory; each alias is resized from it (libvips' Lanczos3 resize), then
cropped and written as floors.geometry says. pyvips with pyvips-binary from
PyPI: no system libvips needed. With --draft-gap G the shrink leaves G pixels
per pixel of the largest alias, as floors.pillow's draft does.

    python -m measurement floor --library vips [--draft-gap G] [--photos N] DIR
prints {"photos_count", "seconds", "seconds_per_photo", "per_photo_seconds"}.
"""

import math
from pathlib import Path

import pyvips

from measurement.studies.floors import geometry

# The shrink factors a JPEG decoder can apply while it decodes.
JPEG_SHRINKS = (8, 4, 2)


def shrink_on_load(full_size: tuple[int, int], needed: tuple[int, int]) -> int:
    """The largest JPEG shrink that still leaves at least the size needed."""
    for shrink in JPEG_SHRINKS:
        if full_size[0] // shrink >= needed[0] and full_size[1] // shrink >= needed[1]:
            return shrink
    return 1


def thumbnail(image: pyvips.Image, full_size: tuple[int, int], alias: dict) -> bytes:
    width, height = geometry.resized_size(full_size, alias)
    resized = image.resize(width / image.width, vscale=height / image.height)
    box = geometry.crop_box((resized.width, resized.height), alias)
    if box is not None:
        resized = resized.crop(*box)
    return resized.jpegsave_buffer(
        Q=geometry.quality(alias),
        optimize_coding=True,
        interlace=geometry.progressive((resized.width, resized.height)),
        keep="none",
    )


def make_thumbnails(
    path: Path, aliases: list[dict], draft_gap: float = 1.0
) -> list[bytes]:
    data = path.read_bytes()
    header = pyvips.Image.new_from_buffer(data, "")
    full_size = (header.width, header.height)
    options = {}
    if header.get("vips-loader") == "jpegload_buffer":
        width, height = geometry.largest_size(full_size, aliases)
        options["shrink"] = shrink_on_load(
            full_size, (math.ceil(width * draft_gap), math.ceil(height * draft_gap))
        )
    # Decoded here, once; every alias reads the pixels in memory.
    image = pyvips.Image.new_from_buffer(data, "", **options).copy_memory()
    if image.bands > 3:
        image = image.flatten()
    return [thumbnail(image, full_size, alias) for alias in aliases]
