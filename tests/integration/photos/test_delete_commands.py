"""The delete commands run in fresh processes, as a user runs them.

A fresh process is the case where easy-thumbnails' own delete_thumbnails()
finds nothing: the storage hash of the lazy default storage differs there.
"""

import pytest

from tests.conftest import run_manage


@pytest.fixture
def generated(site_env, bucket, photo_dir):
    for command in (
        ["load_photos", str(photo_dir)],
        ["generate_all_thumbnail_aliases"],
    ):
        _, err, code = run_manage(*command, env=site_env)
        assert code == 0, err
    assert len(bucket.object_keys()) == 3 + 3 * 9
    return site_env


def row_counts(env):
    out, err, code = run_manage(
        "shell",
        "--verbosity",
        "0",
        "-c",
        "from photos.models import Photo;"
        "from easy_thumbnails.models import Source, Thumbnail;"
        "print(Photo.objects.count(), Source.objects.count(), Thumbnail.objects.count())",
        env=env,
    )
    assert code == 0, err
    return tuple(int(n) for n in out.split())


def test_delete_photo_thumbnails_leaves_only_the_originals(generated, bucket):
    out, err, code = run_manage("delete_photo_thumbnails", "--noinput", env=generated)

    assert code == 0, err
    assert "Deleted 27 thumbnail objects, 27 thumbnail rows and 3 source rows." in out
    assert [key.count(".") for key in bucket.object_keys()] == [1, 1, 1]
    assert row_counts(generated) == (3, 0, 0)


def test_delete_all_photos_empties_the_bucket_and_the_tables(generated, bucket):
    out, err, code = run_manage("delete_all_photos", "--noinput", env=generated)

    assert code == 0, err
    assert "Deleted 3 photos: 30 objects, 27 thumbnail rows and 3 source rows." in out
    assert bucket.object_keys() == []
    assert row_counts(generated) == (0, 0, 0)


def test_the_delete_commands_ask_first_and_keep_everything_on_no(generated, bucket):
    keys = bucket.object_keys()
    for command in ("delete_photo_thumbnails", "delete_all_photos"):
        _, err, code = run_manage(command, env=generated, input="n\n")

        assert code == 1
        assert "Cancelled; nothing was deleted." in err
    assert bucket.object_keys() == keys
    assert row_counts(generated) == (3, 3, 27)


def test_thumbnails_deleted_on_yes(generated, bucket):
    _, err, code = run_manage("delete_photo_thumbnails", env=generated, input="y\n")

    assert code == 0, err
    assert len(bucket.object_keys()) == 3
