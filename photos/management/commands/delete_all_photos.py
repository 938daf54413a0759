from photos.thumbnail_deletion import delete_all_photos

from ._deleting import DeletingCommand


class Command(DeletingCommand):
    help = (
        "Delete every photo: its thumbnails and original from the storage, and its "
        "Photo, Source and Thumbnail rows."
    )
    question = "Delete all photos and their thumbnails?"

    def delete(self):
        return delete_all_photos()

    def summary(self, deleted) -> str:
        return (
            f"Deleted {deleted.photo_rows} photos: {deleted.objects} objects, "
            f"{deleted.thumbnail_rows} thumbnail rows and {deleted.source_rows} source rows."
        )
