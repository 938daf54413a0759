import time

from django.core.management.base import BaseCommand, CommandError

from photos.generation import all_photos, generate_photo_aliases
from photos.storage_check import StorageUnavailable, check_photo_storage

MB = 1024 * 1024


class Command(BaseCommand):
    help = (
        "Generate every thumbnail alias of every photo, printing for each photo its "
        "seconds, the process RSS and the SQL queries it took, and the total time."
    )

    def handle(self, *args, **options):
        try:
            check_photo_storage()
        except StorageUnavailable as error:
            raise CommandError(str(error)) from None
        photos = all_photos()
        total = photos.count()
        if total == 0:
            raise CommandError(
                "There are no photos. Load some with: manage.py load_photos test_photos/"
            )

        started = time.perf_counter()
        for result in generate_photo_aliases(photos.iterator()):
            self.stdout.write(
                f"photo {result.number}/{total} (#{result.photo.pk}): "
                f"{result.seconds:.2f} s, RSS {result.rss_bytes / MB:.1f} MB, "
                f"{result.queries_count} queries"
            )
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated all aliases of {total} photos in {seconds:.2f} s."
            )
        )
