"""Nothing lost: workers killed or replaced, the broker down, photos deleted.

Real worker processes on the tests' own Redis. Its visibility timeout is
TEST_VISIBILITY_TIMEOUT_SECONDS, so a task whose worker vanished is
delivered again within a test.
"""

import io
import os
import re
import signal
import time

import psutil
import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.core.management import call_command
from easy_thumbnails.models import Thumbnail

from local_services.ports import free_port
from photos.models import Photo
from tests.conftest import run_manage, small_photo_bytes
from tests.redis_server_plugin import TEST_VISIBILITY_TIMEOUT_SECONDS
from tests.refusing_database import (
    GIVES_UP_SOON,
    database_failure,
    database_refusing_writes,
)
from tests.worker_process import (
    queued_count,
    running_worker,
    thumbnail_rows,
    wait_for_file,
    wait_for_log,
)

ALIASES_COUNT = len(settings.THUMBNAIL_ALIASES[""])
DONE = r"Photo #\d+ \(.*\): done\."
MAKING = r"Photo #\d+ \(.*\): making its thumbnails in process (\d+)\."


@pytest.fixture(params=["stock", "fix"])
def mode_env(request, site_env):
    return {**site_env, "THUMBNAIL_FIX": "1" if request.param == "fix" else "0"}


@pytest.fixture
def one_photo_dir(photo_dir):
    """A folder of one small photo."""
    for path in sorted(photo_dir.iterdir())[1:]:
        path.unlink()
    return photo_dir


@pytest.fixture
def one_photo(mode_env, one_photo_dir):
    """One photo loaded, its thumbnails not made."""
    _, err, code = run_manage("load_photos", str(one_photo_dir), env=mode_env)
    assert code == 0, err


def thumbnail_keys(bucket) -> list[str]:
    return [key for key in bucket.object_keys() if key.count(".") >= 2]


def assert_one_photo_finished(bucket, env):
    """All its thumbnails: one object and one row each."""
    rows = thumbnail_rows(env)
    assert len(rows) == len(set(rows)) == ALIASES_COUNT
    assert sorted(name for _, name in rows) == thumbnail_keys(bucket)


def assert_mid_photo(bucket, env):
    """Some of the photo's thumbnails are stored, and it is not done."""
    assert thumbnail_keys(bucket), "no thumbnail was stored before the kill"
    assert len(thumbnail_rows(env)) < ALIASES_COUNT, (
        "the photo was done before the kill"
    )


def paused_worker_env(env, tmp_path):
    """The worker stops for good after storing its first thumbnail (tests/worker_pause.py)."""
    return {**env, "WORKER_PAUSE_FILE": str(tmp_path / "paused")}


def test_a_pool_process_killed_mid_photo_loses_nothing(
    broker, bucket, mode_env, one_photo, tmp_path
):
    """SIGKILL of the process making the photo: the task is delivered again at
    once, and the photo ends with every thumbnail, each stored once."""
    env = paused_worker_env(mode_env, tmp_path)
    log = tmp_path / "worker.log"
    with running_worker(env, log, include="tests.worker_pause"):
        run_manage("generate_all_thumbnail_aliases", "--queue", env=env)
        wait_for_file(tmp_path / "paused")
        assert_mid_photo(bucket, env)
        os.kill(int((tmp_path / "paused").read_text()), signal.SIGKILL)
        wait_for_log(log, DONE)

    assert "WorkerLostError" in log.read_text()
    assert_one_photo_finished(bucket, env)
    assert queued_count(broker) == 0


@pytest.mark.parametrize("mode_env", ["fix"], indirect=True)
def test_a_worker_killed_whole_mid_photo_loses_nothing(
    broker, bucket, mode_env, one_photo, tmp_path
):
    """SIGKILL of the worker and its pool, as when its machine dies: the task
    stays unacknowledged in Redis, and a worker started after the visibility
    timeout gets it again and finishes the photo. (With the fix, whose rows
    wait for the photo's end; how a half-made photo is finished in each mode
    is the test above.)"""
    env = paused_worker_env(mode_env, tmp_path)
    with running_worker(env, tmp_path / "first.log", include="tests.worker_pause") as w:
        run_manage("generate_all_thumbnail_aliases", "--queue", env=env)
        wait_for_file(tmp_path / "paused")
        assert_mid_photo(bucket, env)
        os.killpg(w.pid, signal.SIGKILL)
        w.wait(10)
    assert broker.hlen("unacked") == 1
    paused_at = (tmp_path / "paused").stat().st_mtime
    time.sleep(
        max(0.0, paused_at + TEST_VISIBILITY_TIMEOUT_SECONDS + 0.5 - time.time())
    )

    with running_worker(env, tmp_path / "second.log"):
        wait_for_log(tmp_path / "second.log", DONE)

    assert_one_photo_finished(bucket, env)
    assert queued_count(broker) == 0


def test_a_worker_past_its_memory_cap_finishes_each_photo_before_it_is_replaced(
    broker, bucket, site_env, photo_dir, tmp_path
):
    """A cap of 1 KiB: the pool process is replaced after every photo (Celery
    logs nothing of it; the tasks per process stay at their default, 100),
    and every photo is made in full, each by a process of its own."""
    env = {**site_env, "CELERY_WORKER_MAX_MEMORY_PER_CHILD": "1"}
    log = tmp_path / "worker.log"
    run_manage("load_photos", str(photo_dir), env=env)
    with running_worker(env, log):
        run_manage("generate_all_thumbnail_aliases", "--queue", env=env)
        wait_for_log(log, DONE, count=3)

    pids = [re.search(MAKING, line)[1] for line in wait_for_log(log, MAKING, count=3)]
    assert len(set(pids)) == 3
    rows = thumbnail_rows(env)
    assert len(rows) == len(set(rows)) == 3 * ALIASES_COUNT
    assert queued_count(broker) == 0


def test_the_worker_limits_come_from_the_environment(
    broker, bucket, site_env, photo_dir, tmp_path
):
    """CELERY_WORKER_CONCURRENCY pool processes; each makes
    CELERY_WORKER_MAX_TASKS_PER_CHILD photos, then is replaced."""
    env = {
        **site_env,
        "CELERY_WORKER_CONCURRENCY": "2",
        "CELERY_WORKER_MAX_TASKS_PER_CHILD": "1",
    }
    log = tmp_path / "worker.log"
    run_manage("load_photos", str(photo_dir), env=env)
    with running_worker(env, log, concurrency=None) as worker:
        assert len(psutil.Process(worker.pid).children()) == 2
        run_manage("generate_all_thumbnail_aliases", "--queue", env=env)
        wait_for_log(log, DONE, count=3)

    assert "concurrency: 2 (prefork)" in log.read_text()
    pids = [re.search(MAKING, line)[1] for line in wait_for_log(log, MAKING, count=3)]
    assert len(set(pids)) == 3


def test_a_task_whose_photo_was_deleted_ends_quietly(
    broker, bucket, site_env, one_photo_dir, tmp_path
):
    run_manage("load_photos", str(one_photo_dir), env=site_env)
    run_manage("generate_all_thumbnail_aliases", "--queue", env=site_env)
    _, err, code = run_manage("delete_all_photos", "--noinput", env=site_env)
    assert code == 0, err
    log = tmp_path / "worker.log"

    with running_worker(site_env, log):
        wait_for_log(log, r"Photo #1 was deleted: no thumbnails to make\.")

    text = log.read_text()
    assert re.search(r"Task photos\.make_photo_thumbnails\[\S+\] succeeded", text)
    assert "ERROR" not in text and "Traceback" not in text
    assert queued_count(broker) == 0
    assert bucket.object_keys() == []


def dead_broker_env(env) -> tuple[dict, str]:
    url = f"redis://127.0.0.1:{free_port()}/0"
    return {**env, "CELERY_BROKER_URL": url}, url


def test_queue_with_the_broker_down_says_so_in_one_line(site_env, photo_dir):
    run_manage("load_photos", str(photo_dir), env=site_env)
    env, url = dead_broker_env(site_env)

    out, err, code = run_manage("generate_all_thumbnail_aliases", "--queue", env=env)

    assert (out, code) == ("", 1)
    assert err == (
        f"CommandError: The task queue's broker at {url} did not answer "
        "(OperationalError): start it with `make redis`, or set CELERY_BROKER_URL.\n"
    )


def test_load_photos_with_the_broker_down_loads_them_and_leaves_thumbnails_for_later(
    bucket, site_env, photo_dir
):
    """THUMBNAIL_ON_UPLOAD=queue: one line names the broker; every photo is
    loaded; generate_all_thumbnail_aliases makes their thumbnails after."""
    env, url = dead_broker_env({**site_env, "THUMBNAIL_ON_UPLOAD": "queue"})

    out, err, code = run_manage("load_photos", str(photo_dir), env=env)

    assert code == 0
    assert err == (
        f"The task queue's broker at {url} did not answer (OperationalError): "
        "start it with `make redis`, or set CELERY_BROKER_URL. The photo is saved; "
        "make its thumbnails later with generate_all_thumbnail_aliases.\n"
    )
    assert "3 loaded, 0 already loaded, 0 failed" in out
    _, err, code = run_manage("generate_all_thumbnail_aliases", env=env)
    assert code == 0, err
    assert len(thumbnail_rows(env)) == 3 * ALIASES_COUNT


def test_an_admin_upload_with_the_broker_down_is_saved_and_says_so(
    client, db, bucket, settings, tmp_path, django_capture_on_commit_callbacks
):
    """The photo is saved, one warning names the broker, and the next
    generate_all_thumbnail_aliases makes its thumbnails."""
    User.objects.create_superuser("admin", "admin@example.com", "a-long-password")
    client.login(username="admin", password="a-long-password")
    settings.THUMBNAIL_ON_UPLOAD = "queue"
    settings.CELERY_BROKER_URL = url = f"redis://127.0.0.1:{free_port()}/0"
    path = tmp_path / "lake.jpg"
    path.write_bytes(small_photo_bytes(8))

    with django_capture_on_commit_callbacks(execute=True), path.open("rb") as file:
        response = client.post("/admin/photos/photo/add/", {"photo": file})

    assert response.status_code == 302, response.content
    photo = Photo.objects.get()
    added, warning = get_messages(response.wsgi_request)
    assert added.level_tag == "success"
    assert (warning.level_tag, warning.message) == (
        "warning",
        f"The task queue's broker at {url} did not answer (OperationalError): "
        "start it with `make redis`, or set CELERY_BROKER_URL. The photo is "
        "saved; make its thumbnails later with generate_all_thumbnail_aliases.",
    )
    call_command("generate_all_thumbnail_aliases", stdout=io.StringIO())
    assert Thumbnail.objects.filter(source__name=photo.photo.name).count() == (
        ALIASES_COUNT
    )


def test_a_task_whose_storage_does_not_answer_is_tried_again_later(
    broker, bucket, site_env, one_photo_dir, tmp_path
):
    """The worker's S3 endpoint is down: the task is put back with a delay,
    not lost; stopped meanwhile, the worker leaves it queued, and a worker
    that reaches S3 makes the photo."""
    run_manage("load_photos", str(one_photo_dir), env=site_env)
    no_s3 = {**site_env, "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}"}
    with running_worker(no_s3, tmp_path / "first.log"):
        run_manage("generate_all_thumbnail_aliases", "--queue", env=site_env)
        (line,) = wait_for_log(tmp_path / "first.log", r"Retry in 10s")
    assert "Cannot reach the S3 server at http://127.0.0.1:" in line
    assert queued_count(broker) == 1

    with running_worker(site_env, tmp_path / "second.log"):
        wait_for_log(tmp_path / "second.log", DONE)

    assert len(thumbnail_rows(site_env)) == ALIASES_COUNT
    assert queued_count(broker) == 0


def test_a_task_whose_database_refuses_writes_is_tried_again_later(
    broker, bucket, site_env, one_photo_dir, tmp_path
):
    """The database refuses the photo's rows: the task is put back with a
    delay, naming the database, not marked failed; once the database takes
    writes again, the same worker makes the photo, each object with its row."""
    run_manage("load_photos", str(one_photo_dir), env=site_env)
    log = tmp_path / "worker.log"
    with running_worker({**site_env, **GIVES_UP_SOON}, log):
        with database_refusing_writes(site_env["DATABASE_URL"]):
            run_manage("generate_all_thumbnail_aliases", "--queue", env=site_env)
            (line,) = wait_for_log(log, r"Retry in 10s")
        assert database_failure(site_env["DATABASE_URL"]) in line
        wait_for_log(log, DONE)

    assert_one_photo_finished(bucket, site_env)
    assert queued_count(broker) == 0
