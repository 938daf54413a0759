"""A photo whose original is gone or corrupt breaks neither the page nor the
command, with stock easy-thumbnails and with THUMBNAIL_FIX alike."""

import io
import logging
import re

import pytest
from django.core.management import CommandError, call_command
from easy_thumbnails.models import Thumbnail

from photos.models import Photo


@pytest.fixture(autouse=True, params=[False, True], ids=["stock", "fix"])
def thumbnail_fix(request, settings):
    settings.THUMBNAIL_FIX = request.param
    return request.param


def break_missing(bucket, key):
    bucket.client.delete_object(Bucket=bucket.name, Key=key)


def break_corrupt(bucket, key):
    bucket.client.put_object(Bucket=bucket.name, Key=key, Body=b"not a JPEG any more")


@pytest.mark.parametrize(
    ("breakage", "reason"),
    [
        (break_missing, "its original is missing from the photo storage"),
        (break_corrupt, "its original is not a readable image"),
    ],
    ids=["missing", "corrupt"],
)
def test_a_broken_photo_is_marked_and_logged_once_and_the_others_render(
    breakage, reason, client, db, bucket, photo_dir, caplog
):
    call_command("load_photos", str(photo_dir), verbosity=0)
    broken = Photo.objects.get(original_name="landscape-2.jpg")
    breakage(bucket, broken.photo.name)

    with caplog.at_level(logging.ERROR, logger="photos"):
        response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    sections = dict(
        re.findall(
            r'<section class="photo" id="photo-(\d+)">(.*?)</section>', html, re.S
        )
    )
    for photo in Photo.objects.exclude(pk=broken.pk):
        assert sections[str(photo.pk)].count("<img ") == 9
        assert 'class="broken"' not in sections[str(photo.pk)]
    assert "<img " not in sections[str(broken.pk)]
    assert (
        f'<p class="broken" role="alert">This photo cannot be shown: {reason}.</p>'
        in sections[str(broken.pk)]
    )
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert (
        errors[0]
        .getMessage()
        .startswith(
            f"Photo #{broken.pk} ({broken.photo.name}) cannot be shown: {reason} ("
        )
    )


def test_generate_all_thumbnail_aliases_names_a_broken_photo_and_makes_the_rest(
    db, bucket, photo_dir
):
    call_command("load_photos", str(photo_dir), verbosity=0)
    broken = Photo.objects.get(original_name="landscape-2.jpg")
    break_missing(bucket, broken.photo.name)
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError) as raised:
        call_command("generate_all_thumbnail_aliases", stdout=out, stderr=err)

    assert raised.value.returncode == 1
    assert str(raised.value).startswith("Generated all aliases of 2 photos in ")
    assert str(raised.value).endswith(" s; 1 failed.")
    assert err.getvalue() == (
        f"photo 2/3 (#{broken.pk}) {broken.photo.name}: failed, "
        "its original is missing from the photo storage\n"
    )
    assert "photo 1/3" in out.getvalue()
    assert "photo 3/3" in out.getvalue()
    assert Thumbnail.objects.filter(source__name=broken.photo.name).count() == 0
    assert Thumbnail.objects.count() == 2 * 9
