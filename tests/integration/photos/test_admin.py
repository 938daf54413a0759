import pytest
from django.contrib.auth.models import User

from photos.models import Photo
from tests.conftest import small_photo_bytes


@pytest.fixture
def admin_client(client, db):
    User.objects.create_superuser("admin", "admin@example.com", "a-long-password")
    client.login(username="admin", password="a-long-password")
    return client


def test_admin_upload_stores_the_object_and_the_row(admin_client, bucket, tmp_path):
    path = tmp_path / "Mount Hood.jpg"
    path.write_bytes(small_photo_bytes(7))

    with path.open("rb") as upload:
        response = admin_client.post("/admin/photos/photo/add/", {"photo": upload})

    assert response.status_code == 302, response.content
    photo = Photo.objects.get()
    assert photo.original_name == "Mount Hood.jpg"
    assert bucket.object_keys() == [photo.photo.name]
    stored = bucket.client.get_object(Bucket=bucket.name, Key=photo.photo.name)
    assert stored["Body"].read() == path.read_bytes()


def test_the_change_list_shows_each_photo_small_thumbnail(
    admin_client, bucket, tmp_path
):
    path = tmp_path / "lake.jpg"
    path.write_bytes(small_photo_bytes(8))
    with path.open("rb") as upload:
        admin_client.post("/admin/photos/photo/add/", {"photo": upload})

    html = admin_client.get("/admin/photos/photo/").content.decode()

    photo = Photo.objects.get()
    assert (
        f'src="{bucket.endpoint}/{bucket.name}/{photo.photo.name}.50x50_q80_crop-scale.jpg'
        in html
    )
    assert f"{photo.photo.name}.50x50_q80_crop-scale.jpg" in bucket.object_keys()


def test_the_admin_requires_a_login(client, db):
    response = client.get("/admin/photos/photo/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
