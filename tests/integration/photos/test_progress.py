"""Each progress line the commands and the task print is read back by the
pattern the measuring code reads it with (photos.progress)."""

import logging
import os

import pytest
from django.core.management import CommandError, call_command

from photos import progress
from photos.models import Photo
from photos.tasks import make_photo_thumbnails


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line]


def test_load_photos_says_each_files_status_as_read_back(db, bucket, photo_dir, capsys):
    (photo_dir / "notes.jpg").write_text("not a photo")
    with pytest.raises(CommandError):
        call_command("load_photos", str(photo_dir))
    out, err = capsys.readouterr()
    assert [progress.read_file_status(line) for line in lines(out)[:3]] == [
        "loaded",
        "loaded",
        "loaded",
    ]
    assert [progress.read_file_status(line) for line in lines(err)[:1]] == ["failed"]

    (photo_dir / "notes.jpg").unlink()
    call_command("load_photos", str(photo_dir))
    out = lines(capsys.readouterr().out)
    assert [progress.read_file_status(line) for line in out] == [
        "skipped",
        "skipped",
        "skipped",
        None,  # the summary
    ]


def test_generate_says_each_photo_done_as_read_back(db, bucket, photo_dir, capsys):
    call_command("load_photos", str(photo_dir))
    capsys.readouterr()

    call_command("generate_all_thumbnail_aliases")

    out = lines(capsys.readouterr().out)
    pks = list(Photo.objects.order_by("pk").values_list("pk", flat=True))
    assert [progress.read_photo_done(line) for line in out[:3]] == [
        progress.PhotoDone(number, 3, pk) for number, pk in enumerate(pks, start=1)
    ]
    assert progress.read_photo_done(out[-1]) is None  # "Generated all aliases ..."


def test_generate_says_a_photo_failed_as_read_back(db, bucket, photo_dir, capsys):
    call_command("load_photos", str(photo_dir))
    broken = Photo.objects.order_by("pk").first()
    bucket.client.put_object(Bucket=bucket.name, Key=broken.photo.name, Body=b"x")
    capsys.readouterr()

    with pytest.raises(CommandError):
        call_command("generate_all_thumbnail_aliases")

    out, err = capsys.readouterr()
    assert progress.read_photo_failed(lines(err)[0]) == progress.PhotoDone(
        1, 3, broken.pk
    )
    assert progress.read_photo_done(lines(err)[0]) is None
    assert [progress.read_photo_done(line).number for line in lines(out)[:2]] == [2, 3]


def test_generate_queue_says_how_many_it_queued_as_read_back(
    db, bucket, broker, photo_dir, capsys
):
    call_command("load_photos", str(photo_dir))
    capsys.readouterr()

    call_command("generate_all_thumbnail_aliases", "--queue")

    assert progress.read_queued(capsys.readouterr().out) == 3


def test_the_task_says_where_it_makes_a_photo_and_that_it_is_done(
    db, bucket, photo_dir, caplog
):
    call_command("load_photos", str(photo_dir), verbosity=0)
    photo = Photo.objects.order_by("pk").first()

    with caplog.at_level(logging.INFO, logger="photos.tasks"):
        make_photo_thumbnails(photo.pk)

    said = [progress.read_task_line(record.getMessage()) for record in caplog.records]
    assert said == [
        progress.TaskLine(photo.pk, "making", os.getpid()),
        progress.TaskLine(photo.pk, "done"),
    ]


def test_the_task_says_a_photo_failed_as_read_back(db, bucket, photo_dir, caplog):
    call_command("load_photos", str(photo_dir), verbosity=0)
    photo = Photo.objects.order_by("pk").first()
    bucket.client.put_object(Bucket=bucket.name, Key=photo.photo.name, Body=b"x")

    with caplog.at_level(logging.INFO, logger="photos.tasks"):
        make_photo_thumbnails(photo.pk)

    events = [progress.read_task_line(r.getMessage()).event for r in caplog.records]
    assert events == ["making", "failed"]
