from photos.thumbnail_deletion import delete_all_thumbnails

from ._deleting import DeletingCommand


class Command(DeletingCommand):
    help = (
        "Delete every thumbnail of every photo from the storage and easy-thumbnails' "
        "Source and Thumbnail rows. The photos themselves stay."
    )
    question = "Delete all thumbnails of all photos?"

    def delete(self):
        return delete_all_thumbnails()

    def summary(self, deleted) -> str:
        return (
            f"Deleted {deleted.objects} thumbnail objects, "
            f"{deleted.thumbnail_rows} thumbnail rows and {deleted.source_rows} source rows."
        )
