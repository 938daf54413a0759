"""The admin takes only whole images of the allowed types within the limits,
and says which limit a refused upload broke."""

import io
import warnings

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from local_services import S3Server
from local_services.ports import free_port
from photos.models import Photo
from tests import odd_images
from tests.conftest import small_photo_bytes


@pytest.fixture
def admin_client(client, db):
    User.objects.create_superuser("admin", "admin@example.com", "a-long-password")
    client.login(username="admin", password="a-long-password")
    return client


def bmp_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(buffer, "BMP")
    return buffer.getvalue()


def webp_bytes(width, height):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "green").save(buffer, "WEBP")
    return buffer.getvalue()


def upload(admin_client, name, data):
    return admin_client.post(
        "/admin/photos/photo/add/", {"photo": SimpleUploadedFile(name, data)}
    )


@pytest.mark.parametrize(
    ("name", "make", "limits", "message"),
    [
        (
            "wide.jpg",
            lambda: small_photo_bytes(1),
            {"PHOTO_MAX_PIXELS": 100_000},
            "wide.jpg: it is 640x480 pixels (0.3 megapixels), over the limit of "
            "0.1 megapixels (PHOTO_MAX_PIXELS).",
        ),
        (
            "wide.webp",
            lambda: webp_bytes(800, 800),
            {"PHOTO_MAX_PIXELS": 1_000_000},
            "wide.webp: it is 800x800 pixels (0.6 megapixels), over the limit of "
            "0.4 megapixels for a WEBP image (PHOTO_MAX_PIXELS / 2.5).",
        ),
        (
            "bomb.png",
            lambda: odd_images.png_header_only(100_000, 100_000),
            {},
            "bomb.png: it has more than twice the limit of 52.0 megapixels "
            "(PHOTO_MAX_PIXELS): refused as a possible decompression bomb.",
        ),
        (
            "notes.jpg",
            lambda: b"Shopping list: milk, eggs\n",
            {},
            "notes.jpg: it is not a JPEG, PNG, GIF or WebP image.",
        ),
        (
            "drawing.bmp",
            bmp_bytes,
            {},
            "drawing.bmp: it is not a JPEG, PNG, GIF or WebP image.",
        ),
        (
            "cut.jpg",
            odd_images.truncated_jpeg,
            {},
            "cut.jpg: it is truncated or corrupt (image file is truncated",
        ),
        ("empty.jpg", lambda: b"", {}, "The submitted file is empty."),
    ],
    ids=["pixels", "webp pixels", "bomb", "text", "bmp", "truncated", "empty"],
)
def test_a_refused_upload_says_why_and_stores_nothing(
    name, make, limits, message, admin_client, bucket, settings
):
    for setting, value in limits.items():
        setattr(settings, setting, value)

    response = upload(admin_client, name, make())

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["photo"]
    assert len(errors) == 1
    assert errors[0].startswith(message)
    assert Photo.objects.count() == 0
    assert bucket.object_keys() == []


def test_a_file_over_the_size_limit_is_cut_off_and_answered_413(
    admin_client, bucket, settings
):
    """Counted as it arrives (photos/upload_handlers.py): the rest is not read."""
    settings.PHOTO_MAX_BYTES = 10_000

    response = upload(admin_client, "big.jpg", small_photo_bytes(1))

    assert response.status_code == 413
    assert response.content.decode() == (
        "big.jpg: the file is over the limit of 9.8 KB (PHOTO_MAX_BYTES)."
    )
    assert Photo.objects.count() == 0
    assert bucket.object_keys() == []


def test_a_webp_within_its_share_of_the_pixel_limit_uploads(
    admin_client, bucket, settings
):
    settings.PHOTO_MAX_PIXELS = 1_000_000

    # 0.40 megapixels: the share is PHOTO_MAX_PIXELS / 2.5.
    response = upload(admin_client, "square.webp", webp_bytes(632, 632))

    assert response.status_code == 302
    assert bucket.object_keys() == [Photo.objects.get().photo.name]


def test_an_allowed_image_uploads(admin_client, bucket):
    response = upload(admin_client, "moving.gif", odd_images.animated_gif())

    assert response.status_code == 302
    assert bucket.object_keys() == [Photo.objects.get().photo.name]


def test_only_staff_get_into_the_admin(client, db):
    User.objects.create_user("visitor", "visitor@example.com", "a-long-password")
    client.login(username="visitor", password="a-long-password")

    for path in ("/admin/", "/admin/photos/photo/add/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    response = client.post(
        "/admin/photos/photo/add/",
        {"photo": SimpleUploadedFile("a.jpg", small_photo_bytes(1))},
    )
    assert response.status_code == 302
    assert Photo.objects.count() == 0


def test_an_upload_while_the_storage_is_down_says_so_and_stores_nothing(
    admin_client, bucket, settings, tmp_path
):
    port = free_port()
    server = S3Server(tmp_path / "s3", port)
    with warnings.catch_warnings():
        # start leaves the server running on purpose; its Popen object,
        # dropped on return, would warn that it is.
        warnings.simplefilter("ignore", ResourceWarning)
        server.start()
    server.stop()
    endpoint = settings.AWS_S3_ENDPOINT_URL = server.url

    response = upload(admin_client, "lake.jpg", small_photo_bytes(1))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["photo"] == [
        f"Cannot reach the S3 server at {endpoint} (AWS_S3_ENDPOINT_URL): start it "
        f"with `.venv/bin/python -m local_services s3 start --port {port} "
        f"--data-dir {server.data_dir.resolve()}`, its data in "
        f"{server.data_dir.resolve()}."
    ]
    assert Photo.objects.count() == 0


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(buffer, "PNG")
    return buffer.getvalue()


def mpo_bytes():
    """A phone camera's JPEG with a second image: Pillow's format MPO."""
    buffer = io.BytesIO()
    first, second = Image.new("RGB", (64, 48), "red"), Image.new("RGB", (64, 48))
    first.save(buffer, "MPO", save_all=True, append_images=[second])
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "make", "suffix", "content_type"),
    [
        ("lake.jpg", png_bytes, ".png", "image/png"),
        ("lake.html", lambda: small_photo_bytes(1), ".jpg", "image/jpeg"),
        ("lake", lambda: small_photo_bytes(1), ".jpg", "image/jpeg"),
        ("lake.JPEG", lambda: small_photo_bytes(1), ".jpeg", "image/jpeg"),
        ("lake.png", odd_images.animated_gif, ".gif", "image/gif"),
        ("lake.mpo", mpo_bytes, ".jpg", "image/jpeg"),
    ],
    ids=[
        "PNG named .jpg",
        "JPEG named .html",
        "no suffix",
        "JPEG named .JPEG",
        "GIF named .png",
        "MPO",
    ],
)
def test_an_upload_is_stored_under_the_suffix_of_its_format(
    name, make, suffix, content_type, admin_client, bucket
):
    """The suffix and the content type S3 serves follow what Pillow found in
    the file, not the name the user typed; the typed name is kept."""
    response = upload(admin_client, name, make())

    assert response.status_code == 302
    photo = Photo.objects.get()
    assert photo.photo.name.startswith("photos/lake-")
    assert photo.photo.name.endswith(suffix)
    assert photo.original_name == name
    stored = bucket.client.head_object(Bucket=bucket.name, Key=photo.photo.name)
    assert stored["ContentType"] == content_type
