"""Stock's thumbnails beside the fix's, for the same photos: names, sizes, pixels.

    python -m measurement quality [--photos N] DIR
    (or python -m measurement.thumbnail_quality [--photos N] DIR)

Runs in a process of its own, on local disk and a throwaway database: loads
the photos, makes every alias with stock easy-thumbnails, then again with
THUMBNAIL_FIX on, and prints one JSON dict comparing the two sets, naming
every photo and alias where they differ.

The comparison itself (made_thumbnails, compare_thumbnails, summary) is the
one the tests hold the fix to.
"""

import contextlib
import io
import os
import sys
import tempfile
from io import BytesIO
from pathlib import Path

# A thumbnail of the fix's differs from stock's when any channel (R, G, B,
# A) differs by this much on average, of 255.
MEAN_ABS_DIFF_MAX = 3


def made_thumbnails(photos) -> dict:
    """{(photo's file name, alias): image in RGBA, or None if not made}.

    Each alias's thumbnail is looked up under the names easy-thumbnails gives
    it (opaque and transparent) among the stored Thumbnail rows.
    """
    from easy_thumbnails.alias import aliases
    from easy_thumbnails.files import get_thumbnailer
    from easy_thumbnails.models import Thumbnail
    from PIL import Image

    stored = set(Thumbnail.objects.values_list("name", flat=True))
    images = {}
    for photo in photos:
        thumbnailer = get_thumbnailer(photo.photo)
        for alias, options in aliases.all(thumbnailer, include_global=True).items():
            options = thumbnailer.get_options(options)
            names = [
                thumbnailer.get_thumbnail_name(options, transparent=transparent)
                for transparent in (False, True)
            ]
            name = next((name for name in names if name in stored), None)
            image = None
            if name is not None:
                with thumbnailer.thumbnail_storage.open(name) as file:
                    image = Image.open(BytesIO(file.read())).convert("RGBA")
            images[photo.original_name, alias] = image
    return images


def compare_thumbnails(
    stock: dict, fixed: dict, stock_errors: dict, fixed_errors: dict
) -> list[dict]:
    """One row per (photo, alias) stock was asked for: what each made, how far
    apart, and why they differ (None when they do not).

    stock and fixed are made_thumbnails() of each run; the errors map a
    photo's file name to the reason its thumbnails failed in that run. A
    photo stock cannot thumbnail may fail with the fix too, for the same reason.
    """
    from PIL import ImageChops, ImageStat

    rows = []
    for photo, alias in stock:
        stock_image, fixed_image = stock[photo, alias], fixed.get((photo, alias))
        row = {
            "photo": photo,
            "alias": alias,
            "stock_size": stock_image and list(stock_image.size),
            "fixed_size": fixed_image and list(fixed_image.size),
            "stock_error": stock_errors.get(photo),
            "fixed_error": fixed_errors.get(photo),
            "mean_abs_diff": None,
            "differs": None,
        }
        made = {"stock": _made(row, "stock"), "the fix": _made(row, "fixed")}
        if stock_image is None:
            if (row["fixed_error"], fixed_image) != (row["stock_error"], None):
                row["differs"] = f"stock {made['stock']}, the fix {made['the fix']}"
        elif fixed_image is None:
            row["differs"] = f"the fix {made['the fix']}"
        elif fixed_image.size != stock_image.size:
            row["differs"] = f"the fix made {made['the fix']}, stock {made['stock']}"
        else:
            means = ImageStat.Stat(ImageChops.difference(stock_image, fixed_image)).mean
            row["mean_abs_diff"] = round(max(means), 3)
            if row["mean_abs_diff"] >= MEAN_ABS_DIFF_MAX:
                channel = "RGBA"[means.index(max(means))]
                row["differs"] = (
                    f"mean absolute difference {row['mean_abs_diff']} of 255 in "
                    f"{channel}, {MEAN_ABS_DIFF_MAX} or more"
                )
        rows.append(row)
    return rows


def _made(row: dict, run: str) -> str:
    if row[f"{run}_error"]:
        return f"failed: {row[f'{run}_error']}"
    if row[f"{run}_size"] is None:
        return "made no thumbnail"
    return "{}x{}".format(*row[f"{run}_size"])


def summary(rows: list[dict]) -> dict:
    """The comparison in figures, and every thumbnail that differs, named."""
    made = [row for row in rows if row["stock_size"]]
    both = [row for row in made if row["fixed_size"]]
    differences = [
        row["mean_abs_diff"] for row in both if row["mean_abs_diff"] is not None
    ]
    return {
        "thumbnails_count": len(made),
        "same_names": len(both) == len(made),
        "size_mismatches": [
            f"{row['photo']} {row['alias']}"
            for row in both
            if row["fixed_size"] != row["stock_size"]
        ],
        "mean_abs_diff_max": round(max(differences), 3) if differences else None,
        "mean_abs_diff_mean": round(sum(differences) / len(differences), 3)
        if differences
        else None,
        "differing": [
            {"photo": row["photo"], "alias": row["alias"], "reason": row["differs"]}
            for row in rows
            if row["differs"]
        ],
    }


def generate_all(fix: bool) -> dict:
    """Every alias of every photo, with or without the fix; {photo: reason}
    of the photos that failed."""
    from django.test import override_settings

    from photos.generation import all_photos, generate_photo_aliases

    with override_settings(THUMBNAIL_FIX=fix):
        return {
            result.photo.original_name: result.error
            for result in generate_photo_aliases(all_photos())
            if result.error
        }


def stock_and_fixed() -> list[dict]:
    """Generate with stock, then with the fix, and compare: rows as
    compare_thumbnails gives them. The thumbnails are left as the fix made them."""
    from photos.generation import all_photos
    from photos.thumbnail_deletion import delete_all_thumbnails

    stock_errors = generate_all(fix=False)
    stock = made_thumbnails(all_photos())
    delete_all_thumbnails()
    fixed_errors = generate_all(fix=True)
    fixed = made_thumbnails(all_photos())
    return compare_thumbnails(stock, fixed, stock_errors, fixed_errors)


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
        from django.core.management import CommandError, call_command

        settings.MEDIA_ROOT = str(work / "media")
        staged = work / "photos"
        staged.mkdir()
        for path in paths:
            (staged / path.name).symlink_to(path.resolve())
        call_command("migrate", verbosity=0)
        # reproduce's load step names the files load_photos refuses: compare the rest.
        with contextlib.suppress(CommandError):
            call_command("load_photos", str(staged), verbosity=0, stderr=io.StringIO())
        return summary(stock_and_fixed())


def main(argv: list[str] | None = None) -> int:
    """`python -m measurement.thumbnail_quality`, as `python -m measurement quality`."""
    from measurement.commands import main

    return main(["quality", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
