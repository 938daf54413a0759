import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from photos.loading import IMAGE_SUFFIXES, load_photo, photo_files
from photos.storage_check import StorageUnavailable, check_photo_storage


class Command(BaseCommand):
    help = (
        "Load every .jpg, .jpeg, .png, .gif and .webp file (any case) in DIR into the "
        "photo storage and the database. A photo already loaded is skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "directory", type=Path, help="Folder of photos, e.g. test_photos/"
        )

    def handle(self, *args, directory: Path, **options):
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a folder of photos.")
        paths = photo_files(directory)
        if not paths:
            suffixes = ", ".join(sorted(IMAGE_SUFFIXES))
            raise CommandError(f"{directory} has no photo files ({suffixes}).")
        try:
            check_photo_storage()
        except StorageUnavailable as error:
            raise CommandError(str(error)) from None

        started = time.perf_counter()
        counts = {"loaded": 0, "skipped": 0, "failed": 0}
        for number, path in enumerate(paths, start=1):
            result = load_photo(path)
            counts[result.status] += 1
            self.stdout.write(
                f"[{number}/{len(paths)}] {path.name}: {result.status}, {result.detail}"
            )
        seconds = time.perf_counter() - started
        summary = (
            f"{counts['loaded']} loaded, {counts['skipped']} already loaded, "
            f"{counts['failed']} failed, in {seconds:.1f} s."
        )
        if counts["failed"]:
            raise CommandError(summary, returncode=1)
        self.stdout.write(self.style.SUCCESS(summary))
