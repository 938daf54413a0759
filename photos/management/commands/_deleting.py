from django.core.management.base import BaseCommand, CommandError

from photos.database_check import tells_unmigrated_database
from photos.storage_check import (
    StorageUnavailable,
    check_photo_storage,
    storage_failures_explained,
)

from ._confirm import confirm


class DeletingCommand(BaseCommand):
    """Asks first (unless --noinput), checks the storage, deletes, reports."""

    question = ""

    def delete(self):
        raise NotImplementedError

    def summary(self, deleted) -> str:
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    @tells_unmigrated_database
    def handle(self, *args, interactive: bool, **options):
        try:
            check_photo_storage()
        except StorageUnavailable as error:
            raise CommandError(str(error)) from None
        confirm(self.question, noinput=not interactive)
        try:
            with storage_failures_explained():
                deleted = self.delete()
        except StorageUnavailable as error:
            # Deleting what is already gone is no error: a re-run finishes.
            raise CommandError(
                f"{error} Then run this command again to finish."
            ) from None
        self.stdout.write(self.style.SUCCESS(self.summary(deleted)))
