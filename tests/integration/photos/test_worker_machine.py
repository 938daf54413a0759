"""A worker on a second machine needs the broker, the database and the S3
bucket, and nothing else (docs/queue.md, "Workers on other machines")."""

import os

from django.conf import settings

from tests.conftest import run_manage
from tests.worker_process import (
    queued_count,
    running_worker,
    thumbnail_rows,
    wait_for_log,
)

ALIASES_COUNT = len(settings.THUMBNAIL_ALIASES[""])


def test_a_worker_with_only_the_documented_variables_makes_the_thumbnails(
    broker, bucket, site_env, photo_dir, tmp_path
):
    """Its environment is PATH and the six variables: no settings module, no
    HOME, nothing the project's tests or make set."""
    run_manage("load_photos", str(photo_dir), env=site_env)
    worker_env = {
        "PATH": os.environ["PATH"],
        "CELERY_BROKER_URL": os.environ["CELERY_BROKER_URL"],
        "DATABASE_URL": site_env["DATABASE_URL"],
        "AWS_S3_ENDPOINT_URL": bucket.endpoint,
        "AWS_STORAGE_BUCKET_NAME": bucket.name,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }
    log = tmp_path / "worker.log"

    with running_worker(worker_env, log, replace_env=True):
        run_manage("generate_all_thumbnail_aliases", "--queue", env=site_env)
        wait_for_log(log, r"Photo #\d+ \(.*\): done\.", count=3)

    rows = thumbnail_rows(site_env)
    assert len(rows) == len(set(rows)) == 3 * ALIASES_COUNT
    assert len(bucket.object_keys()) == 3 + 3 * ALIASES_COUNT
    assert queued_count(broker) == 0
