from peers import library
from photos.management.commands._deleting import DeletingCommand


class Command(DeletingCommand):
    help = (
        "Delete every thumbnail the peer library PEER names has made, from the "
        "storage and from what that library keeps of them. The photos stay."
    )
    question = "Delete all thumbnails the peer library made?"

    def delete(self):
        return library().delete_thumbnails()

    def summary(self, deleted) -> str:
        return f"Deleted {deleted} thumbnail objects."
