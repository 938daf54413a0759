"""Stock's thumbnails beside the fix's, for the same photos: names, sizes, pixels.

    python -m measurement.thumbnail_quality [--photos N] DIR

Runs in a process of its own, on local disk and a throwaway database: loads
the photos, makes every alias with stock easy-thumbnails, then again with
THUMBNAIL_FIX on, and prints one JSON dict comparing the two sets.
"""

import argparse
import json
import os
import sys
import tempfile
from io import BytesIO
from pathlib import Path

from measurement.photo_files import photo_paths


def thumbnails(storage) -> dict:
    from easy_thumbnails.models import Thumbnail
    from PIL import Image

    images = {}
    for name in Thumbnail.objects.values_list("name", flat=True):
        with storage.open(name) as file:
            images[name] = Image.open(BytesIO(file.read())).convert("RGB")
    return images


def generate_all(fix: bool) -> None:
    from django.test import override_settings

    from photos.generation import all_photos, generate_photo_aliases

    # override_settings tells the fix, which reads its switch once, of the change.
    with override_settings(THUMBNAIL_FIX=fix):
        for result in generate_photo_aliases(all_photos()):
            if result.error:
                raise SystemExit(f"{result.photo}: {result.error}")


def compare(stock: dict, fixed: dict) -> dict:
    from PIL import ImageChops, ImageStat

    differences, size_mismatches = [], []
    for name, image in stock.items():
        other = fixed.get(name)
        if other is None:
            continue
        if other.size != image.size:
            size_mismatches.append(name)
            continue
        mean = ImageStat.Stat(ImageChops.difference(image, other)).mean
        differences.append(sum(mean) / len(mean))
    return {
        "thumbnails_count": len(stock),
        "same_names": sorted(stock) == sorted(fixed),
        "size_mismatches": size_mismatches,
        "mean_abs_diff_max": round(max(differences), 3) if differences else None,
        "mean_abs_diff_mean": round(sum(differences) / len(differences), 3)
        if differences
        else None,
    }


def measure(paths: list[Path]) -> dict:
    with tempfile.TemporaryDirectory(prefix="thumbnail-quality-") as work:
        work = Path(work)
        os.environ.update(
            DJANGO_SETTINGS_MODULE="et_issue_example.settings",
            PHOTO_STORAGE="filesystem",
            DATABASE_URL=f"sqlite:///{work / 'db.sqlite3'}",
            DEBUG_TOOLBAR="0",
            THUMBNAIL_FIX="0",
        )
        import django

        django.setup()
        from django.conf import settings
        from django.core.files.storage import default_storage
        from django.core.management import call_command

        from photos.thumbnail_deletion import delete_all_thumbnails

        settings.MEDIA_ROOT = str(work / "media")
        staged = work / "photos"
        staged.mkdir()
        for path in paths:
            (staged / path.name).symlink_to(path.resolve())
        call_command("migrate", verbosity=0)
        call_command("load_photos", str(staged), verbosity=0)
        generate_all(fix=False)
        stock = thumbnails(default_storage)
        delete_all_thumbnails()
        generate_all(fix=True)
        return compare(stock, thumbnails(default_storage))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m measurement.thumbnail_quality",
        description=__doc__.split("\n")[0],
    )
    parser.add_argument("directory", type=Path, help="A folder of photos.")
    parser.add_argument("--photos", type=int, help="Use only the first N photos.")
    args = parser.parse_args(argv)
    paths = photo_paths(args.directory)[: args.photos]
    if not paths:
        parser.error(f"{args.directory} has no photos.")
    print(json.dumps(measure(paths)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
