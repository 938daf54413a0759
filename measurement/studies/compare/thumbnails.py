"""Stock's thumbnails and the fix's, made for the same photos in this process.

The body of `python -m measurement quality DIR [--photos N] [--fix PARTS]`,
which compare's run starts in a process of its own: on local disk and a
throwaway database, it loads the photos, makes every alias with stock
easy-thumbnails, then again with THUMBNAIL_FIX on, and returns the
comparison (compare.quality), naming every photo and alias where they differ.
"""

import contextlib
import io
import os
import tempfile
from io import BytesIO
from pathlib import Path

from measurement.studies.compare.quality import compare_thumbnails, summary


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


def generate_all(fix) -> dict:
    """Every alias of every photo, with THUMBNAIL_FIX = fix (False, True or a
    list of parts); {photo: reason} of the photos that failed."""
    from django.test import override_settings

    from photos.generation import all_photos, generate_photo_aliases

    with override_settings(THUMBNAIL_FIX=fix):
        return {
            result.photo.original_name: result.error
            for result in generate_photo_aliases(all_photos())
            if result.error
        }


def stock_and_fixed(fix=True) -> list[dict]:
    """Generate with stock, then with the fix (fix: THUMBNAIL_FIX's value),
    and compare: rows as compare_thumbnails gives them. The thumbnails are
    left as the fix made them."""
    from photos.generation import all_photos
    from photos.thumbnail_deletion import delete_all_thumbnails

    stock_errors = generate_all(fix=False)
    stock = made_thumbnails(all_photos())
    delete_all_thumbnails()
    fixed_errors = generate_all(fix=fix)
    fixed = made_thumbnails(all_photos())
    return compare_thumbnails(stock, fixed, stock_errors, fixed_errors)


def measure_quality(paths: list[Path], fix=True) -> dict:
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
        return summary(stock_and_fixed(fix))
