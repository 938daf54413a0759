"""The Pillow floor: what making the nine thumbnails costs with Pillow alone.

A plain script, no Django, no easy-thumbnails, no S3: each original is read
from local disk once and decoded once, in JPEG draft mode at the size the
largest alias needs; each alias is resized from it (Lanczos, with Pillow's
reducing_gap=3.0, documented as indistinguishable from a full resample),
cropped as easy-thumbnails crops, and written to memory as the JPEG
easy-thumbnails writes (the alias's quality, optimized, progressive from 100
pixels). The fixed path is measured against this.

    python -m measurement.pillow_floor [--photos N] DIR
prints {"photos_count", "seconds", "seconds_per_photo", "per_photo_seconds"}.
"""

import argparse
import importlib
import json
import sys
import time
from io import BytesIO
from pathlib import Path

from PIL import Image

from measurement.photo_files import photo_paths

REDUCING_GAP = 3.0
# easy-thumbnails' defaults: THUMBNAIL_QUALITY and THUMBNAIL_PROGRESSIVE.
DEFAULT_QUALITY = 85
PROGRESSIVE_FROM_PIXELS = 100


def project_aliases() -> list[dict]:
    """The project's aliases, read from its settings module without Django."""
    settings = importlib.import_module("et_issue_example.settings")
    return list(settings.THUMBNAIL_ALIASES[""].values())


def resized_size(size: tuple[int, int], alias: dict) -> tuple[int, int]:
    width, height = size
    target_x, target_y = alias["size"]
    fit = min if not alias.get("crop") else max
    scale = fit(target_x / width, target_y / height)
    if scale >= 1.0:
        return size
    return round(width * scale), round(height * scale)


def thumbnail(image: Image.Image, full_size: tuple[int, int], alias: dict) -> bytes:
    resized = image.resize(
        resized_size(full_size, alias),
        Image.Resampling.LANCZOS,
        reducing_gap=REDUCING_GAP,
    )
    if alias.get("crop") is True:
        width, height = resized.size
        target_x, target_y = min(alias["size"][0], width), min(alias["size"][1], height)
        left, top = (width - target_x) // 2, (height - target_y) // 2
        resized = resized.crop((left, top, left + target_x, top + target_y))
    buffer = BytesIO()
    resized.save(
        buffer,
        "JPEG",
        quality=alias.get("quality", DEFAULT_QUALITY),
        optimize=True,
        progressive=max(resized.size) >= PROGRESSIVE_FROM_PIXELS,
    )
    return buffer.getvalue()


def make_thumbnails(path: Path, aliases: list[dict]) -> list[bytes]:
    data = path.read_bytes()
    image = Image.open(BytesIO(data))
    full_size = image.size
    largest = max((resized_size(full_size, alias) for alias in aliases), key=sum)
    image.draft("RGB", largest)
    image = image.convert("RGB")
    return [thumbnail(image, full_size, alias) for alias in aliases]


def measure(paths: list[Path], aliases: list[dict]) -> dict:
    per_photo = []
    for path in paths:
        started = time.perf_counter()
        make_thumbnails(path, aliases)
        per_photo.append(time.perf_counter() - started)
    seconds = sum(per_photo)
    return {
        "photos_count": len(paths),
        "seconds": round(seconds, 3),
        "seconds_per_photo": round(seconds / len(paths), 4) if paths else None,
        "per_photo_seconds": [round(s, 4) for s in per_photo],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m measurement.pillow_floor", description=__doc__.split("\n")[0]
    )
    parser.add_argument("directory", type=Path, help="A folder of photos.")
    parser.add_argument("--photos", type=int, help="Use only the first N photos.")
    args = parser.parse_args(argv)
    paths = photo_paths(args.directory)[: args.photos]
    if not paths:
        parser.error(f"{args.directory} has no photos.")
    print(json.dumps(measure(paths, project_aliases())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
