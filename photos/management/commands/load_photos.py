import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from photos import progress
from photos.database_check import tells_unmigrated_database
from photos.loading import load_photo
from photos.photo_files import PHOTO_SUFFIXES, photo_files
from photos.queueing import queue_on_commit, queues_on_upload
from photos.refused_writes import DatabaseFailed
from photos.storage_check import StorageUnavailable, check_photo_storage


class Command(BaseCommand):
    help = (
        "Load every .jpg, .jpeg, .png, .gif and .webp file (any case) in each DIR into "
        "the photo storage and the database. A photo already loaded is skipped, so a "
        "run after a failure loads only what is missing. With THUMBNAIL_ON_UPLOAD=queue "
        "each new photo's thumbnails are sent to the task queue."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "directories",
            nargs="+",
            type=Path,
            metavar="DIR",
            help="Folder of photos, e.g. test_photos/",
        )

    @tells_unmigrated_database
    def handle(self, *args, directories: list[Path], verbosity: int, **options):
        for directory in directories:
            if not directory.exists():
                raise CommandError(f"{directory} does not exist.")
            if not directory.is_dir():
                raise CommandError(f"{directory} is not a folder of photos.")
        paths = [path for directory in directories for path in photo_files(directory)]
        if not paths:
            suffixes = ", ".join(sorted(PHOTO_SUFFIXES))
            folders = " and ".join(str(directory) for directory in directories)
            raise CommandError(f"{folders} has no photo files ({suffixes}).")
        try:
            check_photo_storage()
        except StorageUnavailable as error:
            raise CommandError(str(error)) from None

        def label(path: Path) -> str:
            # The folder is named only when it tells two files apart.
            return path.name if len(directories) == 1 else str(path)

        started = time.perf_counter()
        counts = {"loaded": 0, "skipped": 0, "failed": 0}
        stopped = None
        broker_down = []

        def on_broker_down(message: str) -> None:
            # Said once: the broker is not asked again for the photos after.
            self.stderr.write(message)
            broker_down.append(message)

        for number, path in enumerate(paths, start=1):
            try:
                result = load_photo(path)
            except (StorageUnavailable, DatabaseFailed) as error:
                stopped = f"Stopped at {label(path)} ({number}/{len(paths)}): {error}"
                break
            counts[result.status] += 1
            if result.status == "loaded" and queues_on_upload() and not broker_down:
                queue_on_commit(result.photo.pk, on_broker_down)
            line = progress.file_line(
                number, len(paths), label(path), result.status, result.detail
            )
            if result.status == "failed":
                self.stderr.write(line)
            elif verbosity >= 1:
                self.stdout.write(line)
        seconds = time.perf_counter() - started
        summary = (
            f"{counts['loaded']} loaded, {counts['skipped']} already loaded, "
            f"{counts['failed']} failed, in {seconds:.1f} s."
        )
        if stopped:
            # One line: what stopped it, what was done, what to do.
            raise CommandError(
                f"{stopped} {counts['loaded']} loaded, {counts['skipped']} already "
                f"loaded, {counts['failed']} failed, {len(paths) - number + 1} not "
                f"tried, in {seconds:.1f} s. Then run load_photos again: it loads "
                "only what is missing.",
                returncode=1,
            )
        if counts["failed"]:
            raise CommandError(summary, returncode=1)
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(summary))
