"""The photos of a folder, as load_photos sees them (without Django settings)."""

from pathlib import Path

PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp"}


def photo_paths(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.suffix.lower() in PHOTO_SUFFIXES)
