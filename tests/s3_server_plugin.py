"""A local S3 server of the tests' own, started before Django reads its settings.

The settings take the S3 endpoint from the environment at import, and
pytest-django imports them while loading the first conftest. A hook wrapper
runs before that, so the whole run, and every subprocess a test starts, talks
to this server and its bucket, never to the site's.
"""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from local_s3 import control
from local_servers.ports import free_port

TEST_BUCKET = "et-issue-example-tests"


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests(early_config, parser, args):
    data_dir = Path(tempfile.mkdtemp(prefix="et-test-s3-"))
    endpoint, _ = control.start("127.0.0.1", free_port(), data_dir)
    early_config.stash[_server_key] = data_dir
    os.environ.update(
        AWS_S3_ENDPOINT_URL=endpoint,
        AWS_STORAGE_BUCKET_NAME=TEST_BUCKET,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        PHOTO_STORAGE="s3",
        DJANGO_DEBUG="1",
    )
    control.ensure_bucket(endpoint, TEST_BUCKET, "testing", "testing")
    return (yield)


def pytest_unconfigure(config):
    data_dir = config.stash.get(_server_key, None)
    if data_dir is not None:
        control.stop(data_dir)
        shutil.rmtree(data_dir, ignore_errors=True)


_server_key = pytest.StashKey[Path]()
