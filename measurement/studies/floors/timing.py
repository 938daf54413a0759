"""Each photo's thumbnails made by one floor in this process, timed photo by photo.

The body of `python -m measurement floor`: run.py starts it in a process of
its own, so that no floor pays for another's imports or memory.
"""

import functools
import importlib
import time
from collections.abc import Callable
from pathlib import Path

from measurement.metadata import project_aliases

MakeThumbnails = Callable[[Path, list[dict]], list[bytes]]
# Library: the module that makes the thumbnails with it alone.
LIBRARIES = {
    "pillow": "measurement.studies.floors.pillow",
    "vips": "measurement.studies.floors.vips",
}


def measure(
    paths: list[Path], aliases: list[dict], make_thumbnails: MakeThumbnails
) -> dict:
    """Each photo's nine thumbnails, timed photo by photo."""
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


def time_thumbnails(library: str, paths: list[Path], draft_gap: float = 1.0) -> dict:
    """Each photo's thumbnails made with one library alone, in this process, timed."""
    make_thumbnails = importlib.import_module(LIBRARIES[library]).make_thumbnails
    if draft_gap != 1:
        make_thumbnails = functools.partial(make_thumbnails, draft_gap=draft_gap)
    return measure(paths, project_aliases(), make_thumbnails)
