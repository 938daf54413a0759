"""A database or a bucket that refuses writes stops load_photos and
generate_all_thumbnail_aliases at once, in one line that names it, exit
code 1, with no object left without its row; once it takes writes again, a
re-run finishes the job. Stock and with THUMBNAIL_FIX on alike
(photos/refused_writes.py).

The database refuses as it does for real (tests/refusing_database.py).
"""

from contextlib import contextmanager

import pytest

from local_services import s3
from tests.conftest import run_manage
from tests.refusing_database import (
    GIVES_UP_SOON,
    database_failure,
    database_refusing_writes,
)

ALIASES_COUNT = 9
PHOTOS_COUNT = 3
RERUN = {
    "load_photos": "Then run load_photos again: it loads only what is missing.",
    "generate_all_thumbnail_aliases": (
        "Then run generate_all_thumbnail_aliases again: it makes only the "
        "thumbnails that are missing."
    ),
}


@pytest.fixture(params=["stock", "fix"])
def env(request, site_env):
    mode = "1" if request.param == "fix" else "0"
    return {**site_env, **GIVES_UP_SOON, "THUMBNAIL_FIX": mode}


@pytest.fixture
def loaded(env, photo_dir):
    _, err, code = run_manage("load_photos", str(photo_dir), env=env)
    assert code == 0, err
    return env


@contextmanager
def bucket_refusing_writes(bucket):
    """The tests' bucket answers every PUT with 403 AccessDenied meanwhile,
    as a bucket policy denying s3:PutObject does."""
    s3.fail_puts(bucket.endpoint, "", status=403)
    try:
        yield
    finally:
        s3.clear_failing_puts(bucket.endpoint)


def bucket_failure(bucket) -> str:
    return (
        f"Bucket {bucket.name!r} on {bucket.endpoint} refused a write "
        "(AccessDenied: Access Denied): check its policy and that "
        "AWS_ACCESS_KEY_ID may write to it (s3:PutObject)."
    )


def thumbnail_names(env) -> list[str]:
    out, err, code = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from easy_thumbnails.models import Thumbnail;"
        "print('\\n'.join(sorted(Thumbnail.objects.values_list('name', flat=True))))",
        env=env,
    )
    assert code == 0, err
    return out.split()


def thumbnail_keys(bucket) -> list[str]:
    return [key for key in bucket.object_keys() if key.count(".") > 1]


@pytest.mark.every_database
def test_generate_stops_at_a_database_that_refuses_writes_naming_it(loaded, bucket):
    bucket.reset_request_counts()
    with database_refusing_writes(loaded["DATABASE_URL"]):
        out, err, code = run_manage("generate_all_thumbnail_aliases", env=loaded)
    counts = bucket.request_counts()

    assert code == 1
    assert err == (
        f"CommandError: Stopped at photo 1/{PHOTOS_COUNT}: "
        f"{database_failure(loaded['DATABASE_URL'])} "
        f"{RERUN['generate_all_thumbnail_aliases']}\n"
    )
    # What was stored before the write failed went with it.
    assert counts["PUT"] >= 1
    assert thumbnail_keys(bucket) == thumbnail_names(loaded) == []

    out, err, code = run_manage("generate_all_thumbnail_aliases", env=loaded)

    assert (code, err) == (0, "")
    assert thumbnail_keys(bucket) == thumbnail_names(loaded)
    assert len(thumbnail_names(loaded)) == PHOTOS_COUNT * ALIASES_COUNT


@pytest.mark.every_database
def test_load_photos_stops_at_a_database_that_refuses_writes_naming_it(
    env, bucket, photo_dir
):
    with database_refusing_writes(env["DATABASE_URL"]):
        out, err, code = run_manage("load_photos", str(photo_dir), env=env)

    assert code == 1
    (line,) = err.splitlines()
    assert line.startswith(
        f"CommandError: Stopped at landscape-1.jpg (1/{PHOTOS_COUNT}): "
        f"{database_failure(env['DATABASE_URL'])} 0 loaded, 0 already loaded, "
        f"0 failed, {PHOTOS_COUNT} not tried, in "
    )
    assert line.endswith(RERUN["load_photos"])
    assert bucket.object_keys() == []

    out, err, code = run_manage("load_photos", str(photo_dir), env=env)

    assert (code, err) == (0, "")
    assert len(bucket.object_keys()) == PHOTOS_COUNT


def test_generate_stops_at_a_bucket_that_refuses_writes_naming_it(loaded, bucket):
    originals = bucket.object_keys()
    bucket.reset_request_counts()

    with bucket_refusing_writes(bucket):
        out, err, code = run_manage("generate_all_thumbnail_aliases", env=loaded)
        puts_count = bucket.request_counts()["PUT"]

    assert code == 1
    assert err == (
        f"CommandError: Stopped at photo 1/{PHOTOS_COUNT}: {bucket_failure(bucket)} "
        f"{RERUN['generate_all_thumbnail_aliases']}\n"
    )
    # The first photo's thumbnails were tried, no other photo's.
    assert 1 <= puts_count <= ALIASES_COUNT
    assert bucket.object_keys() == originals
    assert thumbnail_names(loaded) == []

    out, err, code = run_manage("generate_all_thumbnail_aliases", env=loaded)

    assert (code, err) == (0, "")
    assert len(thumbnail_keys(bucket)) == PHOTOS_COUNT * ALIASES_COUNT


def test_load_photos_stops_at_a_bucket_that_refuses_writes_naming_it(
    env, bucket, photo_dir
):
    with bucket_refusing_writes(bucket):
        out, err, code = run_manage("load_photos", str(photo_dir), env=env)

    assert code == 1
    (line,) = err.splitlines()
    assert line.startswith(
        f"CommandError: Stopped at landscape-1.jpg (1/{PHOTOS_COUNT}): "
        f"{bucket_failure(bucket)} 0 loaded, 0 already loaded, 0 failed, "
        f"{PHOTOS_COUNT} not tried, in "
    )
    assert line.endswith(RERUN["load_photos"])
    assert bucket.request_counts()["PUT"] == 1
    assert bucket.object_keys() == []
