"""What a report was measured with: versions, machine, the photo set and the aliases."""

import importlib
import os
import platform
from collections import Counter
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import psutil

DISTRIBUTIONS = {
    "django": "Django",
    "easy_thumbnails": "easy-thumbnails",
    "django_storages": "django-storages",
    "boto3": "boto3",
    "botocore": "botocore",
    "pillow": "Pillow",
    "moto": "moto",
    "sorl_thumbnail": "sorl-thumbnail",
    "django_imagekit": "django-imagekit",
    "pyvips": "pyvips",
    "pyvips_binary": "pyvips-binary",
}


def versions() -> dict[str, str | None]:
    found = {"python": platform.python_version()}
    for key, distribution in DISTRIBUTIONS.items():
        try:
            found[key] = version(distribution)
        except PackageNotFoundError:
            found[key] = None
    return found


def machine() -> dict:
    return {
        "cores": os.cpu_count(),
        "memory_bytes": psutil.virtual_memory().total,
        "platform": platform.platform(),
    }


def photo_set(paths: list[Path]) -> dict:
    from PIL import Image

    dimensions = Counter()
    unreadable_count = 0
    for path in paths:
        # Opening reads only the header; nothing is decoded.
        try:
            with Image.open(path) as image:
                dimensions[image.size] += 1
        except (OSError, Image.DecompressionBombError):
            # A user's folder may hold a broken file; load_photos says which.
            unreadable_count += 1
    return {
        "count": len(paths),
        "unreadable_count": unreadable_count,
        "total_bytes": sum(path.stat().st_size for path in paths),
        "dimensions": [
            {"width_pixels": width, "height_pixels": height, "count": count}
            for (width, height), count in sorted(dimensions.items())
        ],
    }


def project_aliases() -> list[dict]:
    """The project's thumbnail aliases, read from its settings module without Django."""
    settings = importlib.import_module("et_issue_example.settings")
    return list(settings.THUMBNAIL_ALIASES[""].values())
