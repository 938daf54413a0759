import os

from django.core.files.base import ContentFile
from storages.backends.s3 import S3Storage

from counting.s3_bytes import get_and_put
from counting.s3_operations import all_operations
from counting.s3_requests import S3RequestCounter
from local_services.s3 import body_bytes


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


def test_the_servers_body_bytes_equal_the_bodies_and_botocores_count(bucket):
    """Known bodies up and down through django-storages: the server counts each
    byte it received and sent, and botocore counts the same."""
    photo, thumbnail = os.urandom(3 * 1024 * 1024 + 7), os.urandom(40_000)
    counter = S3RequestCounter()
    uninstall = counter.install_on_every_client()
    try:
        storage = S3Storage()
        photo_name = storage.save("counted/photo.jpg", ContentFile(photo))
        storage.save("counted/thumbnail.jpg", ContentFile(thumbnail))
        for _ in range(2):
            with storage.open(photo_name) as f:
                assert f.read() == photo
        assert storage.exists(photo_name)
    finally:
        uninstall()

    served = body_bytes(bucket.endpoint)
    expected = {"get": 2 * len(photo), "put": len(photo) + len(thumbnail)}
    assert get_and_put(served["received"], served["sent"]) == expected
    assert counter.body_bytes.snapshot() == expected
    # A HEAD's body is none, whatever its Content-Length says.
    assert served["sent"].get("HEAD", 0) == 0


def test_resetting_the_request_counts_resets_their_bytes(bucket):
    bucket.client.put_object(Bucket=bucket.name, Key="counted/a", Body=b"a" * 100)
    assert body_bytes(bucket.endpoint)["received"] == {"PUT": 100}

    bucket.reset_request_counts()

    assert body_bytes(bucket.endpoint) == {"received": {}, "sent": {}}


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
