"""The task queue: Celery workers on the tests' own Redis make photos' thumbnails.

Every worker here is a real `celery -A et_issue_example worker` process, with
a prefork pool, on a real Redis server; the site's database is a SQLite file
the test's commands, worker and server share.
"""

import json
import os
import time

import pytest
from django.conf import settings
from django.contrib.auth.models import User

from photos.models import Photo
from tests.conftest import run_manage, small_photo_bytes
from tests.site_process import get, running_site
from tests.worker_process import running_worker, thumbnail_rows, wait_for_log

ALIASES_COUNT = len(settings.THUMBNAIL_ALIASES[""])
DONE = r"Photo #\d+ \(.*\): done\."


def queued_tasks(broker) -> list[tuple[str, str]]:
    """(task name, its arguments) of each task waiting in the queue, oldest first."""
    messages = [json.loads(raw) for raw in reversed(broker.lrange("celery", 0, -1))]
    return [(m["headers"]["task"], m["headers"]["argsrepr"]) for m in messages]


def photo_ids(env) -> list[int]:
    out, err, code = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from photos.models import Photo\n"
        "print(*Photo.objects.order_by('pk').values_list('pk', flat=True))",
        env=env,
    )
    assert code == 0, err
    return [int(pk) for pk in out.split()]


def test_the_site_and_the_commands_load_celery_only_to_queue(site_env):
    """Celery and kombu add about 13 MB to a process: the measured ones
    (the site, load_photos, generate_all_thumbnail_aliases) do without."""
    out, err, code = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "import sys\n"
        "import et_issue_example.urls, photos.admin, photos.views\n"
        "import photos.management.commands.generate_all_thumbnail_aliases\n"
        "import photos.management.commands.load_photos\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'celery', 'kombu'}))",
        env=site_env,
    )

    assert (out, err, code) == ("[]\n", "", 0)


def test_queue_sends_one_task_per_photo_and_returns(broker, site_env, photo_dir):
    """No worker runs: the command only queues, and says how many."""
    run_manage("load_photos", str(photo_dir), env=site_env)

    out, err, code = run_manage(
        "generate_all_thumbnail_aliases", "--queue", env=site_env
    )

    assert (code, err) == (0, "")
    url = os.environ["CELERY_BROKER_URL"]
    assert out == (
        f"Queued 3 photos on {url}: the workers make their thumbnails "
        "(celery -A et_issue_example worker).\n"
    )
    assert queued_tasks(broker) == [
        ("photos.make_photo_thumbnails", f"({pk},)") for pk in photo_ids(site_env)
    ]


def first_page_view(env, tmp_path) -> tuple[str, dict]:
    """(HTML, counts) of the index page's first view, served by runserver with
    its queries and S3 requests counted in its own process."""
    counts_path = tmp_path / "counts.jsonl"
    with running_site(env, tmp_path / "site.log", counts_path=counts_path) as url:
        status, html = get(f"{url}/")
        assert status == 200, html
        # The counts are written once the response is closed, after the client
        # has read it.
        deadline = time.monotonic() + 30
        while not (pages := page_counts(counts_path)):
            assert time.monotonic() < deadline, counts_path.read_text()
            time.sleep(0.05)
    (counts,) = pages
    return html, counts


def page_counts(counts_path) -> list[dict]:
    entries = [json.loads(line) for line in counts_path.read_text().splitlines()]
    return [e for e in entries if e["event"] == "request" and e["path"] == "/"]


@pytest.mark.parametrize(
    ("fix", "shared_cache", "warm_queries_count"),
    [
        # Stock: the photos, then per photo its Source row and a row per alias.
        ("0", False, 1 + 3 * (1 + ALIASES_COUNT)),
        # The fix: the photos, their Source rows, their Thumbnail rows; with a
        # cache the worker shares (CACHE_URL), the photos alone: the worker
        # kept the rows it wrote there.
        ("1", False, 3),
        ("1", True, 1),
    ],
    ids=["stock", "fix", "fix-shared-cache"],
)
def test_photos_queued_on_upload_give_a_warm_first_page_once_drained(
    broker,
    bucket,
    site_env,
    photo_dir,
    tmp_path,
    fix,
    shared_cache,
    warm_queries_count,
):
    """THUMBNAIL_ON_UPLOAD=queue: load_photos queues each new photo, a worker
    makes each thumbnail once (one object, one row), and the first view of
    the page then makes nothing and asks S3 for nothing."""
    env = {**site_env, "THUMBNAIL_FIX": fix, "THUMBNAIL_ON_UPLOAD": "queue"}
    if shared_cache:
        env["CACHE_URL"] = os.environ["CELERY_BROKER_URL"]
    with running_worker(env, tmp_path / "worker.log"):
        out, err, code = run_manage("load_photos", str(photo_dir), env=env)
        assert (code, err) == (0, ""), out
        wait_for_log(tmp_path / "worker.log", DONE, count=3)
    rows = thumbnail_rows(env)
    assert len(rows) == len(set(rows)) == 3 * ALIASES_COUNT
    assert len(bucket.object_keys()) == 3 + 3 * ALIASES_COUNT
    assert broker.llen("celery") == broker.hlen("unacked") == 0
    bucket.reset_request_counts()

    html, counts = first_page_view(env, tmp_path)

    assert html.count(" data-alias=") == 3 * ALIASES_COUNT
    assert 'class="broken"' not in html
    assert counts["queries_count"] == warm_queries_count
    assert counts["s3_requests"] == {}
    assert bucket.request_counts() == {}


@pytest.fixture
def admin_client(client, db):
    """An admin logged in. The test's transaction never commits: its on-commit
    callbacks run only when the test runs them."""
    User.objects.create_superuser("admin", "admin@example.com", "a-long-password")
    client.login(username="admin", password="a-long-password")
    return client


def upload(admin_client, tmp_path, seed=7):
    path = tmp_path / f"upload-{seed}.jpg"
    path.write_bytes(small_photo_bytes(seed))
    with path.open("rb") as file:
        return admin_client.post("/admin/photos/photo/add/", {"photo": file})


def test_an_admin_upload_queues_its_photo_once_its_transaction_commits(
    admin_client, broker, bucket, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.THUMBNAIL_ON_UPLOAD = "queue"

    with django_capture_on_commit_callbacks() as callbacks:
        response = upload(admin_client, tmp_path)
        assert queued_tasks(broker) == []
    for callback in callbacks:
        callback()

    assert response.status_code == 302, response.content
    photo = Photo.objects.get()
    assert queued_tasks(broker) == [("photos.make_photo_thumbnails", f"({photo.pk},)")]


def test_an_admin_upload_queues_nothing_unless_asked(
    admin_client, broker, bucket, tmp_path, django_capture_on_commit_callbacks
):
    """THUMBNAIL_ON_UPLOAD unset: the first page that shows the photo makes them."""
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(admin_client, tmp_path)

    assert response.status_code == 302, response.content
    assert queued_tasks(broker) == []
