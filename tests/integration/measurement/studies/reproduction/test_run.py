"""The whole reproduction on two small photos: the CI smoke test of `make reproduce`."""

import json
import os
import re
import socket
import sqlite3
import subprocess
import sys

import pytest
from django.conf import settings

from measurement.harness.measured_command import read_counts
from photos.page_costs import stock_queries
from tests.conftest import REPO_ROOT

# reproduce starts servers of its own.
pytestmark = pytest.mark.server

FIGURES = {
    "seconds",
    "queries_count",
    "queries_by_kind",
    "s3_requests",
    "s3_bytes",
    "rss_start_bytes",
    "rss_peak_bytes",
    "rss_end_bytes",
    "checks",
    "phases",
}
S3_OPERATIONS = {"HEAD", "GET", "PUT", "DELETE", "LIST", "POST"}


def reproduce(*args, cwd, timeout=300):
    return subprocess.run(
        [sys.executable, "-m", "measurement", "reproduce", *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="module")
def small_photos(tmp_path_factory):
    """Three small photographs; the runs below take the first two."""
    from tests.conftest import small_photo_bytes

    photos = tmp_path_factory.mktemp("my photos")
    for seed in range(1, 4):
        (photos / f"landscape-{seed}.jpg").write_bytes(small_photo_bytes(seed))
    return photos


def reproduce_two_photos(photos, cwd):
    result = reproduce(
        "--photos", "2", "--photo-dir", str(photos), "--out", "out", cwd=cwd
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads((cwd / "out" / "latest" / "report.json").read_text())
    return result, report, cwd / "out"


@pytest.fixture(scope="module")
def two_photo_run(small_photos, tmp_path_factory):
    """One reproduction of two small photos, shared by the tests below."""
    return reproduce_two_photos(small_photos, tmp_path_factory.mktemp("reproduce"))


def scenario_figures(report):
    scenarios = report["scenarios"]
    return {
        "load": scenarios["load"],
        "index.cold": scenarios["index"]["cold"],
        "index.warm": scenarios["index"]["warm"],
        "generate": scenarios["generate"],
    }


def test_report_has_every_figure_of_the_issue(two_photo_run):
    _, report, _ = two_photo_run
    metadata = report["metadata"]
    assert set(metadata["versions"]) >= {
        "python",
        "django",
        "easy_thumbnails",
        "django_storages",
        "boto3",
        "pillow",
        "moto",
    }
    assert metadata["switches"]["photos"] == 2
    assert metadata["switches"]["storage"] == "s3"
    assert metadata["switches"]["debug"] is True
    assert metadata["switches"]["database"] == "sqlite"
    assert metadata["database"] == {
        "vendor": "sqlite",
        "version": sqlite3.sqlite_version,
    }
    assert metadata["photos"]["count"] == 2
    assert metadata["photos"]["dimensions"] == [
        {"width_pixels": 640, "height_pixels": 480, "count": 2}
    ]
    assert set(metadata["machine"]) >= {"cores", "memory_bytes"}
    for name, figures in scenario_figures(report).items():
        assert set(figures) >= FIGURES, name
        assert set(figures["s3_requests"]) == S3_OPERATIONS, name
        assert 0 < figures["rss_start_bytes"] <= figures["rss_peak_bytes"], name
        assert figures["rss_end_bytes"] <= figures["rss_peak_bytes"], name
    generate = report["scenarios"]["generate"]
    assert [p["photo_number"] for p in generate["per_photo"]] == [1, 2]
    assert set(generate["per_photo"][0]) == {
        "photo_number",
        "seconds",
        "rss_bytes",
        "rss_peak_bytes",
        "rss_high_water_bytes",
        "queries_count",
        "line",
    }
    # What the console printed for the photo, measured inside the command,
    # stands beside the figures measured from outside.
    assert set(generate["per_photo"][0]["line"]) == {
        "seconds",
        "rss_bytes",
        "queries_count",
    }
    if sys.platform.startswith("linux"):
        # The kernel's high-water mark holds what the samples may miss.
        for photo in generate["per_photo"]:
            assert photo["rss_high_water_bytes"] >= 0.99 * photo["rss_peak_bytes"]
        assert generate["rss_growth_fitted_to"] == "rss_high_water_bytes"
    assert "rss_growth_bytes_per_photo" in generate


def test_counts_equal_the_independent_counts(two_photo_run):
    """Server and botocore agree on S3 requests and their body bytes; execute
    wrappers and Django's log on SQL."""
    _, report, _ = two_photo_run
    for name, figures in scenario_figures(report).items():
        assert figures["s3_requests"] == figures["checks"]["s3_requests_client"], name
        assert figures["s3_bytes"] == figures["checks"]["s3_bytes_client"], name
        assert figures["queries_count"] == figures["checks"]["debug_queries_count"], (
            name
        )


def test_stock_pages_cost_what_the_index_page_says_they_cost(
    two_photo_run, postgres_run
):
    """The line under the index page's figures states stock's cold and warm
    queries from photos.page_costs: the reproduction measures exactly those."""
    aliases = len(settings.THUMBNAIL_ALIASES[""])
    for (_, report, _), vendor in (
        (two_photo_run, "sqlite"),
        (postgres_run, "postgresql"),
    ):
        index = report["scenarios"]["index"]
        expected = stock_queries(2, aliases, vendor)
        assert index["cold"]["queries_count"] == expected["cold"], vendor
        assert index["warm"]["queries_count"] == expected["warm"], vendor


def test_queries_by_kind_add_up_and_count_sqlites_begins(two_photo_run):
    """Every query has one kind; on SQLite each transaction begun is a BEGIN
    statement, as Django's own query log has it."""
    _, report, out = two_photo_run
    for name, figures in scenario_figures(report).items():
        kinds = figures["queries_by_kind"]
        assert sum(kinds.values()) == figures["queries_count"], name
        assert kinds["BEGIN"] == figures["checks"]["debug_transactions_count"], name
    cold = report["scenarios"]["index"]["cold"]["queries_by_kind"]
    assert cold["BEGIN"] > 0
    markdown = (out / "latest" / "report.md").read_text()
    assert "## SQL statements by kind" in markdown
    assert f"(BEGIN {cold['BEGIN']}" in markdown


def test_each_alias_is_generated_once_per_photo(two_photo_run):
    """Cold page and generate each PUT every alias of both photos; warm PUTs nothing."""
    _, report, _ = two_photo_run
    thumbnails_count = 2 * len(settings.THUMBNAIL_ALIASES[""])
    scenarios = report["scenarios"]
    assert scenarios["load"]["s3_requests"]["PUT"] == 2
    assert scenarios["index"]["cold"]["s3_requests"]["PUT"] == thumbnails_count
    assert scenarios["index"]["warm"]["s3_requests"] == dict.fromkeys(S3_OPERATIONS, 0)
    assert scenarios["generate"]["s3_requests"]["PUT"] == thumbnails_count
    # Stock downloads the whole original once per alias.
    originals_bytes = report["metadata"]["photos"]["total_bytes"]
    assert scenarios["load"]["s3_bytes"] == {"get": 0, "put": originals_bytes}
    aliases_count = len(settings.THUMBNAIL_ALIASES[""])
    assert (
        scenarios["index"]["cold"]["s3_bytes"]["get"] == aliases_count * originals_bytes
    )
    assert scenarios["index"]["warm"]["s3_bytes"] == {"get": 0, "put": 0}
    assert scenarios["index"]["cold"]["http_status"] == 200


def test_progress_is_shown_and_files_are_written(two_photo_run):
    result, _, out = two_photo_run
    for line in ("1/3 load", "2/3 index", "3/3 generate", "    photo 2/2 ", "Done in "):
        assert line in result.stdout
    latest = sorted(p.name for p in (out / "latest").iterdir())
    assert latest == [
        "memory.png",
        "report.json",
        "report.md",
        "rss-generate.csv",
        "rss-index.csv",
        "rss-load.csv",
    ]
    runs = [p for p in out.iterdir() if p.name != "latest"]
    assert len(runs) == 1
    assert (runs[0] / "report.md").read_text() == (
        out / "latest" / "report.md"
    ).read_text()


def test_two_runs_agree(two_photo_run, small_photos, tmp_path):
    """A second run counts the same queries and S3 requests, and RSS within 10%."""
    _, first, _ = two_photo_run
    _, second, _ = reproduce_two_photos(small_photos, tmp_path)
    for (name, a), b in zip(
        scenario_figures(first).items(), scenario_figures(second).values(), strict=True
    ):
        assert a["queries_count"] == b["queries_count"], name
        assert a["s3_requests"] == b["s3_requests"], name
        for key in ("rss_start_bytes", "rss_peak_bytes", "rss_end_bytes"):
            assert abs(a[key] - b[key]) <= 0.1 * a[key], (name, key)


@pytest.fixture(scope="module")
def postgres_run(small_photos, tmp_path_factory):
    """The same two photos on a PostgreSQL server the run starts itself."""
    cwd = tmp_path_factory.mktemp("reproduce-postgres")
    result = reproduce(
        "--photos", "2", "--photo-dir", str(small_photos),
        "--database", "postgres", "--out", "out", cwd=cwd,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads((cwd / "out" / "latest" / "report.json").read_text())
    return result, report, cwd / "out"


def test_a_postgres_run_records_its_server_and_stops_it(postgres_run):
    result, report, out = postgres_run
    metadata = report["metadata"]
    assert metadata["switches"]["database"] == "postgres"
    assert metadata["database"]["vendor"] == "postgresql"
    assert re.fullmatch(r"\d+\.\d+", metadata["database"]["version"])
    markdown = (out / "latest" / "report.md").read_text()
    assert f"database PostgreSQL {metadata['database']['version']}, " in markdown
    port = int(
        re.search(r"PostgreSQL server of its own on port (\d+)", result.stdout)[1]
    )
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=5).close()


def test_postgres_counts_sqlites_queries_less_the_begins_it_sends_no_cursor(
    two_photo_run, postgres_run
):
    """Django begins a PostgreSQL transaction by turning autocommit off (no
    statement through a cursor); SQLite's BEGIN is a statement and is counted.
    Stock takes no lock of its own, so each scenario's count plus its
    transactions begun is SQLite's count."""
    _, sqlite_report, _ = two_photo_run
    _, postgres_report, out = postgres_run
    sqlite, postgres = (
        scenario_figures(sqlite_report),
        scenario_figures(postgres_report),
    )
    for name, figures in postgres.items():
        checks = figures["checks"]
        assert figures["queries_count"] == checks["debug_queries_count"], name
        assert (
            checks["debug_transactions_count"]
            == (sqlite[name]["checks"]["debug_transactions_count"])
        ), name
        assert (
            figures["queries_count"] + checks["debug_transactions_count"]
            == sqlite[name]["queries_count"]
        ), name
        assert checks["debug_lock_queries_count"] == 0, name
        assert sqlite[name]["checks"]["debug_lock_queries_count"] == 0, name
        assert figures["s3_requests"] == sqlite[name]["s3_requests"], name
    # Stock writes each Thumbnail row in a transaction of its own; generate
    # also writes each photo's Source row again (delete_photo_thumbnails
    # removed it; load_photos wrote the first).
    assert postgres["index.cold"]["checks"]["debug_transactions_count"] == 2 * 9
    assert postgres["generate"]["checks"]["debug_transactions_count"] == 2 * (9 + 1)
    markdown = (out / "latest" / "report.md").read_text()
    assert "the SQL query counts leave out each transaction's BEGIN" in markdown


@pytest.mark.parametrize(
    ("make_dir", "message"),
    [
        (False, "is not a folder of photos."),
        (True, "has no .jpg, .jpeg, .png, .gif or .webp files."),
    ],
)
def test_a_photo_dir_without_photos_is_one_clear_message(tmp_path, make_dir, message):
    """One line, and a run folder named -failed, not one that looks like a report's."""
    if make_dir:
        (tmp_path / "empty").mkdir()
    result = reproduce(
        "--photo-dir", str(tmp_path / "empty"), "--out", "out", cwd=tmp_path
    )
    assert result.returncode == 1
    assert message in result.stderr
    assert result.stderr.startswith("Reproduction failed: ")
    assert "Traceback" not in result.stderr
    # Nothing under out/ looks like a report.
    (folder,) = (tmp_path / "out").iterdir()
    assert folder.name.endswith("-failed")
    assert "stopped by an error" in (folder / "README.txt").read_text()


def test_a_photo_load_photos_refuses_is_named_and_the_rest_are_measured(tmp_path):
    from tests.conftest import small_photo_bytes

    photos = tmp_path / "mine"
    photos.mkdir()
    (photos / "a-notes.jpg").write_text("not an image")
    (photos / "b-lake.jpg").write_bytes(small_photo_bytes(4))

    result = reproduce(
        "--photos", "2", "--photo-dir", str(photos), "--out", "out", cwd=tmp_path
    )

    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads((tmp_path / "out" / "latest" / "report.json").read_text())
    assert report["scenarios"]["load"]["refused_files"] == [
        "[1/2] a-notes.jpg: failed, it is not a JPEG, PNG, GIF or WebP image"
    ]
    assert len(report["scenarios"]["generate"]["per_photo"]) == 1
    markdown = (tmp_path / "out" / "latest" / "report.md").read_text()
    assert (
        "load_photos refused 1 of the photos; the figures are of the rest:" in markdown
    )


def test_gunicorn_workers_serve_the_index_page_each_request_counted(
    small_photos, tmp_path
):
    """--server gunicorn: the pages are counted in the worker that served
    them, server and botocore agree, and the fix keeps its targets: a cold
    page of 3 queries, a BEGIN and the INSERTs of its rows and their sizes on
    SQLite, whatever its photo count; a warm one of 1 in the worker that cached the page's rows (in its
    own memory: Django's default cache), 3 in another."""
    result = reproduce(
        "--photos", "2", "--photo-dir", str(small_photos), "--out", "out",
        "--server", "gunicorn", "--workers", "2", "--fix",
        cwd=tmp_path,
    )  # fmt: skip

    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads((tmp_path / "out" / "latest" / "report.json").read_text())
    assert report["metadata"]["switches"]["server"] == "gunicorn"
    assert report["metadata"]["switches"]["workers"] == 2
    assert "2/3 index: gunicorn (2 workers)" in result.stdout
    cold, warm = (
        report["scenarios"]["index"]["cold"],
        report["scenarios"]["index"]["warm"],
    )
    counts_path = next((tmp_path / "out").glob("*/counts-index.jsonl"))
    served_by = [r["pid"] for r in read_counts(counts_path) if r["event"] == "request"]
    warm_queries_count = 1 if served_by[0] == served_by[1] else 3
    assert (cold["queries_count"], warm["queries_count"]) == (6, warm_queries_count)
    assert cold["s3_requests"] == cold["checks"]["s3_requests_client"]
    assert cold["s3_requests"]["GET"] == 2
    assert cold["s3_requests"]["PUT"] == 2 * len(settings.THUMBNAIL_ALIASES[""])
    markdown = (tmp_path / "out" / "latest" / "report.md").read_text()
    assert "index page served by gunicorn with 2 workers" in markdown
