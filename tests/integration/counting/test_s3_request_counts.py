from django.core.files.base import ContentFile
from storages.backends.s3 import S3Storage

from counting.s3_operations import all_operations
from counting.s3_requests import S3RequestCounter


def test_botocore_count_equals_the_servers_count(bucket):
    """Each S3 request django-storages sends is counted once by each side."""
    counter = S3RequestCounter()
    uninstall = counter.install_on_every_client()
    try:
        # A storage of its own, so its client is created while counting.
        storage = S3Storage()
        name = storage.save("counted/photo.jpg", ContentFile(b"not really a jpeg"))
        assert storage.exists(name)
        with storage.open(name) as f:
            assert f.read() == b"not really a jpeg"
        assert storage.listdir("counted") == ([], ["photo.jpg"])
        storage.delete(name)
    finally:
        uninstall()

    client_counts = all_operations(counter.snapshot())
    assert client_counts == all_operations(bucket.request_counts())
    # Every kind of request was seen, so the equality above means something.
    assert all(client_counts[op] > 0 for op in ("HEAD", "GET", "PUT", "DELETE", "LIST"))


def test_the_sites_check_of_its_storage_is_counted_by_neither_side(bucket, settings):
    """The check every page's status comes from is not a request of any page."""
    from photos.storage_check import check_photo_storage

    counter = S3RequestCounter()
    uninstall = counter.install_on_every_client()
    try:
        check_photo_storage(counted=False)
        check_photo_storage()
    finally:
        uninstall()

    assert counter.snapshot() == {"HEAD": 1}
    assert bucket.request_counts() == {"HEAD": 1}
