import contextlib
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from photos import progress
from photos.database_check import tells_unmigrated_database
from photos.generation import all_photos, generate_photo_aliases, photos_in_chunks
from photos.queueing import BrokerUnavailable, broker_url_shown, queue_photo_thumbnails
from photos.refused_writes import DatabaseFailed
from photos.storage_check import StorageUnavailable, check_photo_storage
from photos.verification import (
    Verification,
    made_again_count,
    verified_line,
    verify_stored_objects,
)


class Command(BaseCommand):
    help = (
        "Generate every thumbnail alias of every photo, printing for each photo its "
        "seconds, the process RSS and the SQL queries it took, and the total time. "
        "Thumbnails that exist are not made again, so a re-run after a failure "
        "finishes the job; with --verify, first the bucket is checked against the "
        "rows, so that thumbnails lost from it are made again too."
    )

    def generate(self, photos):
        """Each photo's PhotoGeneration, as its aliases are made."""
        return generate_photo_aliases(photos)

    def add_arguments(self, parser):
        modes = parser.add_mutually_exclusive_group()
        modes.add_argument(
            "--verify",
            action="store_true",
            help="List the bucket once first: a thumbnail whose row stands "
            "without its object is made again, and an object that is no "
            "photo's original and no thumbnail's row is removed. Run it while "
            "nothing else makes thumbnails: an object stored at that moment, "
            "its row not yet written, would be removed.",
        )
        modes.add_argument(
            "--queue",
            action="store_true",
            help="Send one task per photo to the task queue and return; the "
            "workers (celery -A et_issue_example worker) make the thumbnails.",
        )

    @tells_unmigrated_database
    def handle(self, *args, queue: bool, verify: bool, verbosity: int, **options):
        if queue:
            self.queue_all()
            return
        try:
            check_photo_storage()
        except StorageUnavailable as error:
            raise CommandError(str(error)) from None
        verification = verify_stored_objects() if verify else None
        try:
            self.generate_all()
        finally:
            if verification is not None:
                # A database that failed the run is named by its own line.
                with contextlib.suppress(DatabaseError):
                    self.report_verification(verification, verbosity)

    def generate_all(self):
        photos = all_photos()
        total = photos.count()
        if total == 0:
            raise CommandError(
                "There are no photos. Load some with: manage.py load_photos test_photos/"
            )

        started = time.perf_counter()
        failed = 0
        number = 0
        try:
            for result in self.generate(photos_in_chunks(photos)):
                number = result.number
                if result.error:
                    failed += 1
                    self.stderr.write(
                        progress.photo_failed_line(
                            number,
                            total,
                            result.photo.pk,
                            result.photo.photo.name,
                            result.error,
                        )
                    )
                    continue
                self.stdout.write(
                    progress.photo_done_line(
                        number,
                        total,
                        result.photo.pk,
                        result.seconds,
                        result.rss_bytes,
                        result.queries_count,
                    )
                )
        except (StorageUnavailable, DatabaseFailed) as error:
            raise CommandError(
                f"Stopped at photo {number + 1}/{total}: {error} Then run "
                "generate_all_thumbnail_aliases again: it makes only the "
                "thumbnails that are missing.",
                returncode=1,
            ) from None
        seconds = time.perf_counter() - started
        if failed:
            raise CommandError(
                f"Generated all aliases of {total - failed} photos in {seconds:.2f} s; "
                f"{failed} failed.",
                returncode=1,
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated all aliases of {total} photos in {seconds:.2f} s."
            )
        )

    def report_verification(self, verification: Verification, verbosity: int):
        if verbosity >= 2:
            for name in verification.lost_names:
                self.stdout.write(f"lost: {name}")
            for name in verification.removed_names:
                self.stdout.write(f"without a row, removed: {name}")
        self.stdout.write(
            verified_line(verification, made_again_count(verification.lost_names))
        )

    def queue_all(self):
        photo_ids = list(all_photos().values_list("pk", flat=True))
        if not photo_ids:
            raise CommandError(
                "There are no photos. Load some with: manage.py load_photos test_photos/"
            )
        try:
            queued_count = queue_photo_thumbnails(photo_ids)
        except BrokerUnavailable as error:
            if error.queued_count:
                raise CommandError(
                    f"{error} {error.queued_count} of {len(photo_ids)} photos were "
                    "queued: run the command again; thumbnails made are not made again."
                ) from None
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(progress.queued_line(queued_count, broker_url_shown()))
        )
