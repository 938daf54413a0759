"""Listing and removing a storage's objects under a prefix, on local disk."""

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

from photos.stored_objects import delete_names, describe_storage, stored_names


def storage_with(tmp_path, names) -> FileSystemStorage:
    storage = FileSystemStorage(location=tmp_path)
    for name in names:
        storage.save(name, ContentFile(b"x"))
    return storage


def test_the_names_under_a_prefix_are_listed_and_no_other(tmp_path):
    storage = storage_with(
        tmp_path,
        ["photos/a.jpg", "photos/a.jpg.50x50_q85.jpg", "photos/b.jpg", "other/a.jpg"],
    )

    assert stored_names(storage, "photos/a.jpg") == {
        "photos/a.jpg",
        "photos/a.jpg.50x50_q85.jpg",
    }
    assert stored_names(storage, "photos/") == {
        "photos/a.jpg",
        "photos/a.jpg.50x50_q85.jpg",
        "photos/b.jpg",
    }


def test_a_prefix_whose_folder_does_not_exist_lists_nothing(tmp_path):
    assert stored_names(FileSystemStorage(location=tmp_path), "photos/") == set()


def test_the_names_given_are_removed_and_the_others_kept(tmp_path):
    storage = storage_with(tmp_path, ["photos/a.jpg", "photos/b.jpg"])

    delete_names(storage, {"photos/a.jpg"})

    assert stored_names(storage, "photos/") == {"photos/b.jpg"}


def test_a_folder_is_described_by_its_location(tmp_path):
    assert describe_storage(FileSystemStorage(location=tmp_path)) == (
        f"the folder {tmp_path}"
    )
