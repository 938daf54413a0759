from django.core.management.base import BaseCommand, CommandError

from photos.storage_check import (
    StorageUnavailable,
    check_photo_storage,
    storage_failures_explained,
)
from photos.thumbnail_deletion import delete_all_photos

from ._confirm import confirm


class Command(BaseCommand):
    help = (
        "Delete every photo: its thumbnails and original from the storage, and its "
        "Photo, Source and Thumbnail rows."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, interactive: bool, **options):
        try:
            check_photo_storage()
        except StorageUnavailable as error:
            raise CommandError(str(error)) from None
        confirm("Delete all photos and their thumbnails?", noinput=not interactive)
        try:
            with storage_failures_explained():
                deleted = delete_all_photos()
        except StorageUnavailable as error:
            # Deleting what is already gone is no error: a re-run finishes.
            raise CommandError(
                f"{error} Then run this command again to finish."
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Deleted {deleted.photo_rows} photos: {deleted.objects} objects, "
                f"{deleted.thumbnail_rows} thumbnail rows and {deleted.source_rows} source rows."
            )
        )
