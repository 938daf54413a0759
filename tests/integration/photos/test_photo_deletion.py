"""A photo deleted or replaced anywhere takes its original, its thumbnails'
objects and their rows with it, stock and with THUMBNAIL_FIX alike: nothing
is left in the bucket or the tables (photos/signals.py)."""

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from easy_thumbnails.models import Source, Thumbnail

from photos.generation import all_photos, generate_photo_aliases
from photos.loading import load_photo
from photos.models import Photo
from tests.conftest import small_photo_bytes

ALIASES_COUNT = 9


@pytest.fixture(params=["stock", "fix"])
def photos(request, settings, transactional_db, bucket, tmp_path):
    """Two photos with every thumbnail made, in the mode of the test.

    transactional_db: the clean-up runs once a deletion is committed, as it
    is on the site, so the tests commit theirs for real."""
    settings.THUMBNAIL_FIX = request.param == "fix"
    for seed in (1, 2):
        path = tmp_path / f"photo-{seed}.jpg"
        path.write_bytes(small_photo_bytes(seed))
        assert load_photo(path).status == "loaded"
    assert not [r.error for r in generate_photo_aliases(all_photos()) if r.error]
    assert len(bucket.object_keys()) == 2 * (1 + ALIASES_COUNT)
    assert Thumbnail.objects.count() == 2 * ALIASES_COUNT
    return list(Photo.objects.order_by("pk"))


def admin_client(client):
    User.objects.create_superuser("admin", "admin@example.com", "a-long-password")
    client.login(username="admin", password="a-long-password")
    return client


def left_of(bucket, photo) -> tuple[list, int, int]:
    """What stands of photo: its objects, its Source rows, its Thumbnail rows."""
    name = photo.photo.name
    return (
        [key for key in bucket.object_keys() if key.startswith(name)],
        Source.objects.filter(name=name).count(),
        Thumbnail.objects.filter(source__name=name).count(),
    )


NOTHING = ([], 0, 0)


def test_an_instance_deleted_in_the_shell_leaves_nothing(photos, bucket):
    first, second = photos
    first.delete()

    assert left_of(bucket, first) == NOTHING
    assert left_of(bucket, second)[1:] == (1, ALIASES_COUNT)


def test_a_querysets_delete_leaves_nothing(photos, bucket):
    Photo.objects.all().delete()

    assert bucket.object_keys() == []
    assert (Source.objects.count(), Thumbnail.objects.count()) == (0, 0)


def test_a_delete_rolled_back_keeps_every_file(photos, bucket):
    keys = bucket.object_keys()
    with pytest.raises(RuntimeError), transaction.atomic():
        Photo.objects.all().delete()
        raise RuntimeError("rolled back")

    assert Photo.objects.count() == 2
    assert bucket.object_keys() == keys


def test_the_admins_delete_leaves_nothing(photos, bucket, client):
    first, second = photos
    response = admin_client(client).post(
        f"/admin/photos/photo/{first.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 302
    assert left_of(bucket, first) == NOTHING
    assert left_of(bucket, second)[1:] == (1, ALIASES_COUNT)


def test_the_admins_delete_selected_leaves_nothing(photos, bucket, client):
    response = admin_client(client).post(
        "/admin/photos/photo/",
        {
            "action": "delete_selected",
            "_selected_action": [photo.pk for photo in photos],
            "post": "yes",
        },
    )

    assert response.status_code == 302
    assert bucket.object_keys() == []
    assert (Photo.objects.count(), Source.objects.count()) == (0, 0)
    assert Thumbnail.objects.count() == 0


def test_a_file_replaced_in_the_shell_takes_the_old_files_with_it(photos, bucket):
    from django.core.files.base import ContentFile

    first, _ = photos
    old = Photo.objects.get(pk=first.pk)
    first.photo.save("replacement.jpg", ContentFile(small_photo_bytes(3)))

    assert left_of(bucket, old) == NOTHING
    assert first.photo.name in bucket.object_keys()
