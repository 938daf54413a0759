import io
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import boto3
import pytest
import redis
from django.conf import settings
from django.core.management import call_command
from PIL import Image

from local_services.s3 import request_counts, reset_request_counts
from photos.sample_photos import make_photo
from tests.redis_server_plugin import redis_missing_reason

REPO_ROOT = Path(__file__).resolve().parent.parent
# A fixture of these scopes is made once for the tests that share it, as long
# as they run in one process.
SHARED_SCOPES = {"module", "class", "package"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """The tests of a module that share a module-scoped fixture (a run of
    `reproduce`, a corpus generated) run on one xdist worker (--dist
    loadgroup), so that the fixture is made once; the others go wherever a
    worker is free. Before xdist's own hook, which reads the groups."""
    for item in items:
        if any(
            # A plugin's (baseid "") is pytest-django's, per unittest class.
            defs[-1].scope in SHARED_SCOPES and defs[-1].baseid
            for defs in item._fixtureinfo.name2fixturedefs.values()
        ):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))


class Bucket:
    """The tests' bucket on the real local S3 server, seen through boto3."""

    def __init__(self):
        self.name = settings.AWS_STORAGE_BUCKET_NAME
        self.endpoint = settings.AWS_S3_ENDPOINT_URL
        self.client = boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            region_name="us-east-1",
        )

    def object_keys(self, prefix: str = "") -> list[str]:
        paginator = self.client.get_paginator("list_objects_v2")
        return sorted(
            item["Key"]
            for page in paginator.paginate(Bucket=self.name, Prefix=prefix)
            for item in page.get("Contents", [])
        )

    def empty(self) -> None:
        for key in self.object_keys():
            self.client.delete_object(Bucket=self.name, Key=key)

    def request_counts(self) -> dict:
        return request_counts(self.endpoint)

    def keys_shown(self, html: str) -> list[str]:
        """The key of every thumbnail on a page (its images with data-alias)."""
        keys = []
        for src in re.findall(r'<img src="([^"]+)"[^>]* data-alias=', html):
            path = unquote(urlsplit(src.replace("&amp;", "&")).path)
            assert path.startswith(f"/{self.name}/"), src
            keys.append(path[len(self.name) + 2 :])
        return keys

    def reset_request_counts(self) -> None:
        reset_request_counts(self.endpoint)


@pytest.fixture
def bucket():
    """An empty bucket, its request counters at zero."""
    bucket = Bucket()
    bucket.empty()
    bucket.reset_request_counts()
    yield bucket
    bucket.client.close()


@pytest.fixture
def broker(pytestconfig):
    """The tests' Redis, emptied: a redis-py client on CELERY_BROKER_URL."""
    reason = redis_missing_reason(pytestconfig)
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"Redis must run in CI: {reason}")
        pytest.skip(reason)
    client = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])
    client.flushdb()
    yield client
    client.close()


def small_photo_bytes(seed: int, size=(640, 480)) -> bytes:
    """A landscape like the test photos, small enough to keep tests quick."""
    buffer = io.BytesIO()
    make_photo(seed, *size).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def write_small_photos(directory: Path, count: int) -> Path:
    """count small landscapes written to directory, made if missing."""
    directory.mkdir(exist_ok=True)
    for seed in range(1, count + 1):
        (directory / f"landscape-{seed}.jpg").write_bytes(small_photo_bytes(seed))
    return directory


def load_small_photos(directory: Path, count: int) -> None:
    """count small landscapes written to directory and loaded as photos."""
    call_command("load_photos", str(write_small_photos(directory, count)), verbosity=0)


@pytest.fixture
def photo_dir(tmp_path):
    """A folder of three small JPEG photographs."""
    return write_small_photos(tmp_path / "photos", 3)


def run_manage(*args, env=None, input=None, timeout=120, cwd=REPO_ROOT):
    """Run manage.py in a subprocess; return (stdout, stderr, returncode)."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return result.stdout, result.stderr, result.returncode


def image_size(data: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(data)).size


@pytest.fixture
def site_env(site_database_url, bucket):
    """Environment for manage.py subprocesses: a migrated database of their own,
    on the tests' database vendor (tests/postgres_server_plugin.py)."""
    env = {"DATABASE_URL": site_database_url}
    _, err, code = run_manage("migrate", "--verbosity", "0", env=env)
    assert code == 0, err
    return env


# The admin user of the superuser fixture, for tests that log in.
SUPERUSER = "admin"
SUPERUSER_PASSWORD = "a-long-password"


@pytest.fixture
def superuser(site_env):
    """An admin user in the site's database, made by createsuperuser."""
    env = {**site_env, "DJANGO_SUPERUSER_PASSWORD": SUPERUSER_PASSWORD}
    _, err, code = run_manage(
        "createsuperuser", "--noinput", "--username", SUPERUSER,
        "--email", "admin@example.com", env=env,
    )  # fmt: skip
    assert code == 0, err


@pytest.fixture
def site_server(site_env, tmp_path):
    """The site served by a real `manage.py runserver` process (threaded)."""
    from tests.site_process import running_site

    with running_site(site_env, tmp_path / "runserver.log") as url:
        yield url
