"""generate_all_thumbnail_aliases --verify, after objects went missing from
the bucket or were left in it behind the site's back: it lists the bucket
once, makes again what was lost, removes what has no row, and the page
shows only objects that are stored; stock and with THUMBNAIL_FIX on alike
(photos/verification.py)."""

import io
import math

import pytest
from django.core.management import CommandError, call_command
from easy_thumbnails.models import Thumbnail

from photos.models import Photo
from tests.conftest import run_manage

ALIASES_COUNT = 9
PHOTOS_COUNT = 3
THUMBNAILS_COUNT = PHOTOS_COUNT * ALIASES_COUNT


@pytest.fixture(params=["stock", "fix"])
def mode(request, settings):
    settings.THUMBNAIL_FIX = request.param == "fix"
    return request.param


@pytest.fixture
def photos(db, bucket, photo_dir, mode):
    """Three photos with every thumbnail made; the server's counters at zero."""
    call_command("load_photos", str(photo_dir), verbosity=0)
    call_command("generate_all_thumbnail_aliases", stdout=io.StringIO())
    assert len(bucket.object_keys()) == PHOTOS_COUNT + THUMBNAILS_COUNT
    bucket.reset_request_counts()
    return list(Photo.objects.order_by("pk"))


def verify(*args) -> list[str]:
    """generate_all_thumbnail_aliases --verify; the lines it printed."""
    out = io.StringIO()
    call_command("generate_all_thumbnail_aliases", "--verify", *args, stdout=out)
    return out.getvalue().splitlines()


def thumbnail_keys_of(bucket, photo) -> list[str]:
    return [
        key for key in bucket.object_keys(photo.photo.name) if key != photo.photo.name
    ]


def delete_behind_the_sites_back(bucket, keys) -> None:
    for key in keys:
        bucket.client.delete_object(Bucket=bucket.name, Key=key)
    bucket.reset_request_counts()


def put_behind_the_sites_back(bucket, keys) -> None:
    for key in keys:
        bucket.client.put_object(Bucket=bucket.name, Key=key, Body=b"stray")
    bucket.reset_request_counts()


def test_lost_thumbnails_are_made_again_from_one_listing(photos, bucket):
    everything = bucket.object_keys()
    lost = [
        *thumbnail_keys_of(bucket, photos[0])[:2],
        thumbnail_keys_of(bucket, photos[2])[0],
    ]
    delete_behind_the_sites_back(bucket, lost)

    lines = verify()
    counts = bucket.request_counts()

    assert lines[-1] == (
        f"Verified {THUMBNAILS_COUNT} thumbnails: 3 lost, made again; "
        "0 objects without a row."
    )
    assert lines[-2].startswith(f"Generated all aliases of {PHOTOS_COUNT} photos in ")
    assert bucket.object_keys() == everything
    assert counts["LIST"] == 1
    assert counts["PUT"] == len(lost)
    assert Thumbnail.objects.count() == THUMBNAILS_COUNT


def test_objects_without_a_row_are_removed_and_every_other_kept(photos, bucket):
    everything = bucket.object_keys()
    stray = [
        "photos/never-loaded-0badf00d.jpg",
        f"{photos[1].photo.name}.9x9_q85.jpg",
    ]
    put_behind_the_sites_back(bucket, [*stray, "elsewhere/not-a-photo.txt"])

    lines = verify()
    counts = bucket.request_counts()

    assert lines[-1] == (
        f"Verified {THUMBNAILS_COUNT} thumbnails: none lost; "
        "2 objects without a row, removed."
    )
    assert bucket.object_keys() == sorted([*everything, "elsewhere/not-a-photo.txt"])
    assert counts["LIST"] == 1


def test_verbosity_2_names_each_object_lost_or_removed(photos, bucket):
    lost = thumbnail_keys_of(bucket, photos[0])[0]
    delete_behind_the_sites_back(bucket, [lost])
    put_behind_the_sites_back(bucket, ["photos/stray-0badf00d.jpg"])

    lines = verify("--verbosity", "2")

    assert f"lost: {lost}" in lines
    assert "without a row, removed: photos/stray-0badf00d.jpg" in lines


def test_a_bucket_that_matches_its_rows_costs_one_list_and_no_object_request(
    photos, bucket
):
    lines = verify()

    assert lines[-1] == (
        f"Verified {THUMBNAILS_COUNT} thumbnails: none lost; 0 objects without a row."
    )
    # The HEAD is the bucket's, asked once before anything is made.
    assert bucket.request_counts() == {"HEAD": 1, "LIST": 1}


def test_the_bucket_is_listed_with_one_list_per_1000_keys(photos, bucket):
    stray = [f"photos/stray-{number:04d}-0badf00d.jpg" for number in range(1001)]
    put_behind_the_sites_back(bucket, stray)
    keys_count = PHOTOS_COUNT + THUMBNAILS_COUNT + len(stray)

    lines = verify()
    counts = bucket.request_counts()

    assert lines[-1].endswith("none lost; 1001 objects without a row, removed.")
    assert len(bucket.object_keys()) == PHOTOS_COUNT + THUMBNAILS_COUNT
    assert counts["LIST"] == math.ceil(keys_count / 1000) == 2
    # Removed 1000 keys to a request, not a DELETE each.
    assert counts["POST"] == 2
    assert "DELETE" not in counts


def test_a_page_after_verify_shows_every_thumbnail_and_only_stored_objects(
    photos, bucket, client
):
    lost = thumbnail_keys_of(bucket, photos[1])
    delete_behind_the_sites_back(bucket, lost)
    verify()

    html = client.get("/").content.decode()

    shown = bucket.keys_shown(html)
    assert len(shown) == THUMBNAILS_COUNT
    assert set(shown) <= set(bucket.object_keys())
    assert set(lost) <= set(shown)


@pytest.mark.parametrize("mode", ["stock", "fix"])
def test_a_fresh_process_finds_the_lost_and_the_left_over_alike(
    mode, site_env, bucket, photo_dir
):
    """In a process of its own, where stock's rows carry another storage hash."""
    env = {**site_env, "THUMBNAIL_FIX": "1" if mode == "fix" else "0"}
    for command in (
        ["load_photos", str(photo_dir)],
        ["generate_all_thumbnail_aliases"],
    ):
        _, err, code = run_manage(*command, env=env)
        assert code == 0, err
    everything = bucket.object_keys()
    thumbnails = [key for key in everything if key.count(".") > 1]
    delete_behind_the_sites_back(bucket, thumbnails[:4])
    put_behind_the_sites_back(bucket, ["photos/left-over-0badf00d.jpg"])

    out, err, code = run_manage("generate_all_thumbnail_aliases", "--verify", env=env)
    counts = bucket.request_counts()

    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == (
        f"Verified {THUMBNAILS_COUNT} thumbnails: 4 lost, made again; "
        "1 object without a row, removed."
    )
    assert counts["LIST"] == 1
    assert counts["PUT"] == 4
    assert bucket.object_keys() == everything


def test_a_lost_original_is_named_and_its_thumbnails_kept(photos, bucket):
    gone = photos[0]
    thumbnails = thumbnail_keys_of(bucket, gone)
    delete_behind_the_sites_back(bucket, [gone.photo.name])

    lines = verify()

    assert lines[-1] == (
        f"Verified {THUMBNAILS_COUNT} thumbnails: none lost; 0 objects without a "
        f"row; originals missing from the bucket: #{gone.pk} {gone.photo.name} "
        "(load them again, or delete the photos)."
    )
    assert thumbnail_keys_of(bucket, gone) == thumbnails


def test_verify_and_queue_are_one_or_the_other(db):
    with pytest.raises(CommandError, match="not allowed with argument --verify"):
        call_command("generate_all_thumbnail_aliases", "--verify", "--queue")
