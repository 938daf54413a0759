"""The commands the index page names for loading photos into the site."""

from photos.views import load_photos_command


def test_a_local_s3_server_on_the_default_port_is_loaded_with_make_load_photos(
    settings,
):
    settings.PHOTO_STORAGE = "s3"
    settings.AWS_S3_ENDPOINT_URL = "http://127.0.0.1:5000"

    assert load_photos_command() == "make load-photos"
    assert load_photos_command("your/photos/") == "make load-photos DIR=your/photos/"


def test_a_local_s3_server_on_another_port_is_named_by_its_s3_port(settings):
    settings.PHOTO_STORAGE = "s3"
    settings.AWS_S3_ENDPOINT_URL = "http://127.0.0.1:5061"

    assert load_photos_command() == "make load-photos S3_PORT=5061"
    assert load_photos_command("your/photos/") == (
        "make load-photos DIR=your/photos/ S3_PORT=5061"
    )


def test_other_storage_is_loaded_with_manage_py_in_the_sites_environment(settings):
    settings.PHOTO_STORAGE = "s3"
    settings.AWS_S3_ENDPOINT_URL = None

    assert load_photos_command() == (
        ".venv/bin/python manage.py load_photos test_photos/"
    )

    settings.PHOTO_STORAGE = "filesystem"
    assert load_photos_command() == (
        ".venv/bin/python manage.py load_photos test_photos/"
    )
