"""The reproduction's switches change what they name, and the report says so."""

import json

import pytest

from tests.integration.measurement.studies.reproduction.test_run import reproduce

# reproduce starts servers of its own.
pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def one_photo(tmp_path_factory):
    from tests.conftest import small_photo_bytes

    photos = tmp_path_factory.mktemp("one photo")
    (photos / "landscape-1.jpg").write_bytes(small_photo_bytes(1))
    return photos


def run(photos, cwd, *switches):
    result = reproduce(
        "--photos", "1", "--photo-dir", str(photos), "--out", "out", *switches, cwd=cwd
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    out = cwd / "out" / "latest"
    return json.loads((out / "report.json").read_text()), (
        out / "report.md"
    ).read_text()


@pytest.fixture(scope="module")
def on_disk_without_debug(one_photo, tmp_path_factory):
    return run(
        one_photo, tmp_path_factory.mktemp("filesystem"), "--storage", "filesystem",
        "--no-debug",
    )  # fmt: skip


def test_filesystem_storage_makes_no_s3_request(on_disk_without_debug):
    report, markdown = on_disk_without_debug
    assert report["metadata"]["switches"]["storage"] == "filesystem"
    scenarios = report["scenarios"]
    for figures in (
        scenarios["load"],
        scenarios["index"]["cold"],
        scenarios["generate"],
    ):
        assert figures["s3_requests"] is None
        # botocore, inside the process, saw no request either.
        assert set(figures["checks"]["s3_requests_client"].values()) == {0}
    assert scenarios["index"]["cold"]["http_status"] == 200
    assert "- load_photos: no S3 in this run;" in markdown
    assert "storage filesystem" in markdown


def test_debug_off_keeps_no_query_log_and_the_report_says_so(on_disk_without_debug):
    report, markdown = on_disk_without_debug
    assert report["metadata"]["switches"]["debug"] is False
    cold = report["scenarios"]["index"]["cold"]
    assert cold["checks"]["debug_queries_count"] is None
    assert cold["queries_count"] > 0
    assert "no second query count (DEBUG off)" in markdown
    assert "DEBUG off" in markdown


def test_the_debug_toolbar_is_on_the_page_only_when_asked(one_photo, tmp_path):
    (tmp_path / "toolbar").mkdir()
    (tmp_path / "plain").mkdir()
    with_toolbar, _ = run(one_photo, tmp_path / "toolbar", "--debug-toolbar")
    without, _ = run(one_photo, tmp_path / "plain")
    assert with_toolbar["metadata"]["switches"]["debug_toolbar"] is True
    assert without["metadata"]["switches"]["debug_toolbar"] is False
    toolbar_page = with_toolbar["scenarios"]["index"]["warm"]["body_bytes"]
    plain_page = without["scenarios"]["index"]["warm"]["body_bytes"]
    # The toolbar's markup and panels ride on every page it is on.
    assert toolbar_page > plain_page + 2000
    # It adds no query of the site's own: the counts are the page's.
    assert (
        with_toolbar["scenarios"]["index"]["warm"]["queries_count"]
        == without["scenarios"]["index"]["warm"]["queries_count"]
    )


def test_a_network_profile_changes_the_times_and_no_count(one_photo, tmp_path):
    """Stock's cold page sends its S3 requests one after the other: on
    internet each waits the first-byte latency, while the queries, requests
    and bytes are those of loopback; the report names the simulated network."""
    (tmp_path / "internet").mkdir()
    (tmp_path / "loopback").mkdir()
    internet, markdown = run(one_photo, tmp_path / "internet", "--network", "internet")
    loopback, _ = run(one_photo, tmp_path / "loopback")

    network = internet["metadata"]["network"]
    assert (network["profile"], network["simulated"]) == ("internet", True)
    assert network["latency_seconds"] == 0.08
    assert network["download_bytes_per_second"] == 1_950_000
    assert network["upload_bytes_per_second"] == 250_000
    assert loopback["metadata"]["network"]["simulated"] is False
    assert internet["metadata"]["switches"]["network"] == "internet"
    for name in ("load", "generate"):
        shaped, plain = internet["scenarios"][name], loopback["scenarios"][name]
        for key in ("queries_count", "s3_requests", "s3_bytes"):
            assert shaped[key] == plain[key], (name, key)
    for load in ("cold", "warm"):
        shaped = internet["scenarios"]["index"][load]
        plain = loopback["scenarios"]["index"][load]
        for key in ("queries_count", "s3_requests", "s3_bytes"):
            assert shaped[key] == plain[key], (load, key)
    cold = internet["scenarios"]["index"]["cold"]
    requests_count = sum(cold["s3_requests"].values())
    assert cold["seconds"] >= network["latency_seconds"] * requests_count
    assert "Network: internet, simulated by the local S3 server" in markdown
