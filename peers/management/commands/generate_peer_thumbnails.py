from peers import library
from photos.generation import generate_photo_aliases
from photos.management.commands import generate_all_thumbnail_aliases


class Command(generate_all_thumbnail_aliases.Command):
    help = (
        "Make every alias of every photo with the peer library PEER names, "
        "printing for each photo its seconds, the process RSS and the SQL queries "
        "it took, and the total time, as generate_all_thumbnail_aliases does."
    )

    def generate(self, photos):
        return generate_photo_aliases(photos, make_aliases=library().make_thumbnails)

    def add_arguments(self, parser):
        # Peers are measured made in the process; the task queue makes, and
        # --verify checks, easy-thumbnails' aliases only.
        pass

    def handle(self, *args, **options):
        return super().handle(*args, queue=False, verify=False, **options)
