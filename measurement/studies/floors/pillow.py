"""The Pillow floor: what making the nine thumbnails costs with Pillow alone.

Each original is decoded once, in JPEG draft mode at the size the largest
alias needs; each alias is resized from it (Lanczos, with Pillow's
reducing_gap=3.0, documented as indistinguishable from a full resample), then
cropped and written as floors.geometry says. The fixed path is measured
against this.

With --draft-gap G the draft keeps G pixels per pixel of the largest alias,
as the fix's drafts keep 3 (easy_thumbnails_fix.draft_geometry.DRAFT_GAP):
the floor of thumbnails held to the fix's quality rule.

    python -m measurement floor --library pillow [--draft-gap G] [--photos N] DIR
prints {"photos_count", "seconds", "seconds_per_photo", "per_photo_seconds"}.
"""

import math
from io import BytesIO
from pathlib import Path

from PIL import Image

from measurement.studies.floors import geometry

REDUCING_GAP = 3.0


def thumbnail(image: Image.Image, full_size: tuple[int, int], alias: dict) -> bytes:
    resized = image.resize(
        geometry.resized_size(full_size, alias),
        Image.Resampling.LANCZOS,
        reducing_gap=REDUCING_GAP,
    )
    box = geometry.crop_box(resized.size, alias)
    if box is not None:
        left, top, width, height = box
        resized = resized.crop((left, top, left + width, top + height))
    buffer = BytesIO()
    resized.save(
        buffer,
        "JPEG",
        quality=geometry.quality(alias),
        optimize=True,
        progressive=geometry.progressive(resized.size),
    )
    return buffer.getvalue()


def decode(
    data: bytes, aliases: list[dict], draft_gap: float = 1.0
) -> tuple[Image.Image, tuple[int, int]]:
    """The original decoded once, in draft mode down to draft_gap times the
    size of the largest alias (1: the largest alias's own size), and its
    full size."""
    image = Image.open(BytesIO(data))
    full_size = image.size
    width, height = geometry.largest_size(full_size, aliases)
    image.draft("RGB", (math.ceil(width * draft_gap), math.ceil(height * draft_gap)))
    return image.convert("RGB"), full_size


def make_thumbnails(
    path: Path, aliases: list[dict], draft_gap: float = 1.0
) -> list[bytes]:
    image, full_size = decode(path.read_bytes(), aliases, draft_gap)
    return [thumbnail(image, full_size, alias) for alias in aliases]
