"""Which files of a folder are photos: the one list of suffixes, read without
Django, so the measurements' own processes (floors, reproduce) pick the files
load_photos loads."""

from pathlib import Path

PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp"}


def photo_files(directory: Path) -> list[Path]:
    """The entries of directory with a photo suffix, in any case, sorted by name.

    Folders named like an image are included, so that load_photos reports
    them rather than silently leaving them out.
    """
    return sorted(
        path for path in directory.iterdir() if path.suffix.lower() in PHOTO_SUFFIXES
    )
