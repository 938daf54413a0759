"""`reproduce --scenario load`: clients on the warm page served by gunicorn,
then while a Celery worker makes a new batch. Behaviour and counts, not speed."""

import json
import os

import pytest
from django.conf import settings

from tests.integration.measurement.studies.reproduction.test_run import reproduce
from tests.redis_server_plugin import redis_missing_reason

# reproduce starts servers and workers of its own.
pytestmark = pytest.mark.server

ALIASES_COUNT = len(settings.THUMBNAIL_ALIASES[""])
WINDOW_FIGURES = {
    "requests_count",
    "responses_count",
    "errors_count",
    "errors",
    "status_counts",
    "status_5xx_count",
    "seconds",
    "requests_per_second",
    "latency_p50_seconds",
    "latency_p99_seconds",
    "latency_max_seconds",
    "server_requests_count",
    "queries_per_request_p50_count",
    "queries_per_request_max_count",
    "thumbnails_made_in_requests_count",
    "rss_start_bytes",
    "rss_peak_bytes",
    "rss_end_bytes",
}


def test_two_clients_for_two_seconds_get_answers_and_no_5xx(pytestconfig, tmp_path):
    reason = redis_missing_reason(pytestconfig)
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"Redis must run in CI: {reason}")
        pytest.skip(reason)
    from tests.conftest import small_photo_bytes

    photos = tmp_path / "photos"
    photos.mkdir()
    for seed in range(1, 3):
        (photos / f"landscape-{seed}.jpg").write_bytes(small_photo_bytes(seed))

    result = reproduce(
        "--scenario", "load", "--photos", "1", "--clients", "2", "--seconds", "2",
        "--queue-workers", "1", "--photo-dir", str(photos), "--out", "out",
        cwd=tmp_path,
    )  # fmt: skip

    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads((tmp_path / "out" / "latest" / "report.json").read_text())
    assert report["metadata"]["switches"]["server"] == "gunicorn"
    under_load = report["scenarios"]["under_load"]
    assert (under_load["clients"], under_load["seconds"]) == (2, 2)
    warm, during = under_load["warm"], under_load["during_batch"]
    for figures in (warm, during):
        assert set(figures) >= WINDOW_FIGURES
        assert figures["requests_count"] > 0
        assert figures["errors_count"] == figures["status_5xx_count"] == 0
        assert set(figures["status_counts"]) == {"200"}
        # Every request the clients made, the server counted.
        assert figures["server_requests_count"] == figures["requests_count"]
    # The warm page: the photo's Source row and a row per alias, stock.
    assert warm["queries_per_request_p50_count"] == 1 + 1 + ALIASES_COUNT
    assert warm["thumbnails_made_in_requests_count"] == 0
    batch = during["batch"]
    assert (batch["photos_count"], batch["tasks_done_count"]) == (1, 1)
    # The new photo's original, then each of its thumbnails at least once.
    # Stock takes no lock across processes: a request that finds the photo
    # before the worker's rows stand makes the same thumbnails again, so each
    # PUT past one per alias is one a request made.
    puts = batch["s3_requests"]["PUT"]
    made_in_requests = during["thumbnails_made_in_requests_count"]
    assert 1 + ALIASES_COUNT <= puts <= 1 + ALIASES_COUNT + made_in_requests
    assert batch["s3_bytes"]["put"] > 0
    markdown = (tmp_path / "out" / "latest" / "report.md").read_text()
    assert " MB (GET " in markdown and " of bodies." in markdown
    assert "| warm page | " in markdown
    assert "Target: no 5xx answer: **met**." in markdown
