"""`reproduce --scenario queue`: the photos made by a real Celery worker on a
Redis server the run starts itself, each pool process watched from outside."""

import json
import os
import re

import psutil
import pytest
from django.conf import settings

from tests.integration.measurement.studies.reproduction.test_run import reproduce
from tests.redis_server_plugin import redis_missing_reason

# reproduce starts servers and workers of its own.
pytestmark = pytest.mark.server

ALIASES_COUNT = len(settings.THUMBNAIL_ALIASES[""])


@pytest.fixture(scope="module")
def queue_run(pytestconfig, tmp_path_factory):
    """Three small photos made by one worker whose memory cap (1 KiB) every
    pool process passes: each photo is made by a new pool process."""
    reason = redis_missing_reason(pytestconfig)
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"Redis must run in CI: {reason}")
        pytest.skip(reason)
    from tests.conftest import small_photo_bytes

    cwd = tmp_path_factory.mktemp("reproduce-queue")
    photos = cwd / "photos"
    photos.mkdir()
    for seed in range(1, 4):
        (photos / f"landscape-{seed}.jpg").write_bytes(small_photo_bytes(seed))
    os.environ["CELERY_WORKER_MAX_MEMORY_PER_CHILD"] = "1"
    try:
        result = reproduce(
            "--scenario", "queue", "--queue-workers", "1", "--photos", "3",
            "--photo-dir", str(photos), "--out", "out", cwd=cwd,
        )  # fmt: skip
    finally:
        del os.environ["CELERY_WORKER_MAX_MEMORY_PER_CHILD"]
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads((cwd / "out" / "latest" / "report.json").read_text())
    return result, report, cwd / "out" / "latest"


def test_one_worker_makes_each_photo_once_and_every_thumbnail_is_stored_once(
    queue_run,
):
    _, report, latest = queue_run
    queue = report["scenarios"]["queue"]
    (run,) = queue["runs"]
    assert (run["workers_count"], run["tasks_queued_count"]) == (1, 3)
    assert (run["tasks_done_count"], run["tasks_failed_count"]) == (3, 0)
    # Stock: per alias a HEAD and a GET of the original, a DELETE and a PUT;
    # the HEADs beyond are each photo's source looked up.
    assert run["s3_requests"]["PUT"] == 3 * ALIASES_COUNT
    assert run["s3_requests"]["GET"] == 3 * ALIASES_COUNT
    # Counted by the S3 server: each alias's GET downloads the whole original.
    photos_dir = latest.parents[1] / "photos"
    originals_bytes = sum(p.stat().st_size for p in photos_dir.iterdir())
    assert run["s3_bytes"]["get"] == ALIASES_COUNT * originals_bytes
    assert run["s3_bytes"]["put"] > 0
    assert run["photos_per_second"] > 0
    assert queue["speedup"] is None


def test_the_memory_cap_replaces_the_pool_process_after_each_photo(queue_run):
    """Counted from the process each photo was made in, and watched: three
    processes, the first two replaced by the cap (the third's replacement
    comes after the last photo)."""
    _, report, _ = queue_run
    queue = report["scenarios"]["queue"]
    assert queue["max_memory_per_child_kib"] == 1
    assert queue["max_memory_per_child_is_default"] is False
    (worker,) = queue["runs"][0]["workers"]
    assert worker["photos_count"] == 3
    assert worker["pool_processes_count"] == 3
    assert worker["replacements_count"] == worker["replaced_by_memory_cap_count"] == 2
    assert worker["replaced_by_task_limit_count"] == 0
    assert [p["replaced_by"] for p in worker["pool_processes"]] == [
        "memory cap",
        "memory cap",
        None,
    ]
    assert len({photo["pid"] for photo in worker["per_photo"]}) == 3
    for process in worker["pool_processes"]:
        assert process["rss_peak_bytes"] > 0
    assert 0 < worker["rss_peak_bytes"] < worker["rss_total_peak_bytes"]


def test_the_report_gives_the_cap_check_and_the_run_stops_what_it_started(queue_run):
    result, report, latest = queue_run
    check = report["scenarios"]["queue"]["cap_check"]
    assert check["cap_bytes"] == 1024
    assert check["working_set_bytes"] > 0
    assert check["limit_bytes"] == 1024 + check["working_set_bytes"]
    markdown = (latest / "report.md").read_text()
    assert "## Photos per second" in markdown
    assert "One count of workers: no speedup to give" in markdown
    assert "No pool process's peak RSS above the cap plus one photo's working set" in (
        markdown
    )
    assert (latest / "rss-queue-1w-worker1.csv").exists()
    redis_port = re.search(r"Redis server of its own on port (\d+)", result.stdout)[1]
    listening = {c.laddr.port for c in psutil.net_connections() if c.status == "LISTEN"}
    assert int(redis_port) not in listening
    # Only this run's workers, those on its own S3 server: the stopped-run
    # test may be running the same command in a clone at the same moment.
    s3_port = re.search(r"S3 server of its own on port (\d+)", result.stdout)[1]
    assert not [
        p.info["cmdline"]
        for p in psutil.process_iter(["cmdline", "environ"])
        if "queue-1w-worker1@%h" in (p.info["cmdline"] or [])
        and (p.info["environ"] or {})
        .get("AWS_S3_ENDPOINT_URL", "")
        .endswith(f":{s3_port}")
    ]
