from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand

from gallery.models import Picture


class Command(BaseCommand):
    help = "Store each file named as a Picture."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="Image files.")

    def handle(self, *args, paths, **options):
        for path in paths:
            with path.open("rb") as file:
                Picture.objects.create(image=File(file, name=path.name))
