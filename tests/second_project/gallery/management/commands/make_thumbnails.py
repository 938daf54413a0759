from django.core.management.base import BaseCommand
from easy_thumbnails.files import generate_all_aliases

from gallery.models import Picture


class Command(BaseCommand):
    help = "Make every alias of every picture that lacks one."

    def handle(self, *args, **options):
        for picture in Picture.objects.order_by("pk"):
            generate_all_aliases(picture.image, include_global=True)
