"""`reproduce --peers` on two small photos: the table's rows and each peer's exact counts."""

import json

import pytest
from django.conf import settings

from tests.integration.measurement.studies.reproduction.test_run import reproduce

# reproduce starts servers of its own.
pytestmark = pytest.mark.server

ALIASES_COUNT = len(settings.THUMBNAIL_ALIASES[""])
THUMBNAILS_COUNT = 2 * ALIASES_COUNT
NO_S3 = dict.fromkeys(["HEAD", "GET", "PUT", "DELETE", "LIST", "POST"], 0)


@pytest.fixture(scope="module")
def peers_run(tmp_path_factory):
    """One --peers run of two small photos, shared by the tests below."""
    from tests.conftest import small_photo_bytes

    photos = tmp_path_factory.mktemp("my photos")
    for seed in range(1, 3):
        (photos / f"landscape-{seed}.jpg").write_bytes(small_photo_bytes(seed))
    cwd = tmp_path_factory.mktemp("peers")
    result = reproduce(
        "--peers", "--photos", "2", "--photo-dir", str(photos), "--out", "out",
        cwd=cwd, timeout=900,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    latest = cwd / "out" / "latest-peers"
    return result, json.loads((latest / "report.json").read_text()), latest


def test_one_row_per_library_and_mode(peers_run):
    _, report, _ = peers_run
    assert {key: row["title"] for key, row in report["rows"].items()} == {
        "stock": "easy-thumbnails, stock",
        "fixed": "easy-thumbnails, THUMBNAIL_FIX=1",
        "sorl": "sorl-thumbnail (cached_db key-value store)",
        "imagekit": "django-imagekit (JustInTime)",
        "imagekit-optimistic": "django-imagekit (Optimistic)",
    }
    assert report["metadata"]["versions"]["sorl_thumbnail"] == "13.4.0"
    assert report["metadata"]["versions"]["django_imagekit"] == "6.1.1"


def test_sorl_counts(peers_run):
    """sorl: the cold page reads each original once and stores every alias; its
    key-value store, warm in the server's cache, makes the reload one query,
    but not a new process's."""
    sorl = peers_run[1]["rows"]["sorl"]
    assert sorl["index_cold_s3_requests"]["PUT"] == THUMBNAILS_COUNT
    assert sorl["index_cold_s3_requests"]["GET"] == 2
    assert sorl["index_warm_queries_count"] == 1
    assert sorl["index_warm_s3_requests"] == NO_S3
    # A new process starts with an empty cache: a key-value row per alias.
    assert sorl["index_restarted_queries_count"] == 1 + THUMBNAILS_COUNT
    assert sorl["index_restarted_s3_requests"] == NO_S3


def test_imagekit_just_in_time_counts(peers_run):
    """JustInTime: one query for the page, every alias stored on the cold page,
    the state cache answers the reload without S3, but not a new process's."""
    imagekit = peers_run[1]["rows"]["imagekit"]
    assert imagekit["index_cold_queries_count"] == 1
    assert imagekit["index_cold_s3_requests"]["PUT"] == THUMBNAILS_COUNT
    assert imagekit["index_warm_queries_count"] == 1
    assert imagekit["index_warm_s3_requests"] == NO_S3
    # A new process starts with an empty state cache: a HEAD per alias.
    assert imagekit["index_restarted_queries_count"] == 1
    assert imagekit["index_restarted_s3_requests"] == {
        **NO_S3,
        "HEAD": THUMBNAILS_COUNT,
    }


def test_imagekit_optimistic_makes_the_thumbnails_when_the_photos_are_saved(peers_run):
    _, report, _ = peers_run
    optimistic = report["rows"]["imagekit-optimistic"]
    assert optimistic["load_s3_requests"]["PUT"] == 2 + THUMBNAILS_COUNT
    assert optimistic["index_cold_queries_count"] == 1
    assert optimistic["index_cold_s3_requests"] == NO_S3
    assert optimistic["index_warm_queries_count"] == 1
    assert optimistic["index_warm_s3_requests"] == NO_S3
    assert optimistic["index_restarted_queries_count"] == 1
    assert optimistic["index_restarted_s3_requests"] == NO_S3
    assert [row["row"] for row in report["made_before_the_page"]] == [
        "imagekit-optimistic"
    ]


def test_every_row_generates_every_alias_once(peers_run):
    for key, row in peers_run[1]["rows"].items():
        assert row["generate_s3_requests"]["PUT"] == THUMBNAILS_COUNT, key
        assert row["photos_count"] == 2, key


def test_the_report_says_where_the_fix_is_not_the_best(peers_run):
    result, report, latest = peers_run
    markdown = (latest / "report.md").read_text()
    assert "| Library and mode |" in markdown
    for row in report["rows"].values():
        assert f"| {row['title']} |" in markdown
    # Which columns those are is the fix's own business (tested on made-up
    # figures in tests/unit/measurement/studies/peers/test_figures.py); here, each is said.
    for item in report["fix_not_best"]:
        line = f"- {item['title']}: the fix "
        assert line in markdown
        assert line in result.stdout
    if not report["fix_not_best"]:
        assert "The fix is the best, or level with the best, on every column." in (
            markdown
        )
    assert (latest / "peers.png").read_bytes().startswith(b"\x89PNG")
    assert report["pillow_floor"]["photos_count"] == 2
    assert report["vips_floor"]["photos_count"] == 2


@pytest.mark.slow
def test_five_photos_give_every_row_its_memory_growth(tmp_path):
    """Enough photos for a slope: every row's RSS growth per photo is measured."""
    from tests.conftest import small_photo_bytes

    photos = tmp_path / "photos"
    photos.mkdir()
    for seed in range(1, 6):
        (photos / f"landscape-{seed}.jpg").write_bytes(small_photo_bytes(seed))
    result = reproduce(
        "--peers", "--photos", "5", "--photo-dir", str(photos), "--out", "out",
        cwd=tmp_path, timeout=3600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads((tmp_path / "out" / "latest-peers" / "report.json").read_text())
    for key, row in report["rows"].items():
        assert row["generate_rss_growth_bytes_per_photo"] is not None, key
        assert row["generate_s3_requests"]["PUT"] == 5 * ALIASES_COUNT, key
