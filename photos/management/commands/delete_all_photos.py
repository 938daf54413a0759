from django.core.management.base import BaseCommand, CommandError

from photos.storage_check import StorageUnavailable, check_photo_storage
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
        deleted = delete_all_photos()
        self.stdout.write(
            self.style.SUCCESS(
                f"Deleted {deleted.photo_rows} photos: {deleted.objects} objects, "
                f"{deleted.thumbnail_rows} thumbnail rows and {deleted.source_rows} source rows."
            )
        )
