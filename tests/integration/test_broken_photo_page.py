"""A photo whose original is gone or corrupt does not break the page."""

import logging
import re

import pytest
from django.core.management import call_command

from photos.models import Photo


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
