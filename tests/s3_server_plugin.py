"""A local S3 server of the tests' own, started before Django reads its settings.

The settings take the S3 endpoint from the environment at import, and
pytest-django imports them while loading the first conftest. A hook wrapper
runs before that, so the whole run, and every subprocess a test starts, talks
to this server and its bucket, never to the site's.

Under pytest-xdist each worker has a server of its own: tests empty the
bucket and count the server's requests. The controller, which runs no test,
starts none.
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from local_services import S3Server
from local_services.ports import free_port
from tests.xdist_roles import hands_out_tests

TEST_BUCKET = "et-issue-example-tests"


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests(early_config, parser, args):
    if hands_out_tests(early_config):
        return (yield)
    server = S3Server(Path(tempfile.mkdtemp(prefix="et-test-s3-")), free_port())
    early_config.stash[_server_key] = server
    # Also when the run stops before pytest_unconfigure.
    atexit.register(stop, server)
    server.start()
    os.environ.update(
        AWS_S3_ENDPOINT_URL=server.url,
        AWS_STORAGE_BUCKET_NAME=TEST_BUCKET,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        PHOTO_STORAGE="s3",
        DJANGO_DEBUG="1",
    )
    server.ensure_bucket(TEST_BUCKET)
    return (yield)


def pytest_unconfigure(config):
    server = config.stash.get(_server_key, None)
    if server is not None:
        stop(server)


def stop(server: S3Server) -> None:
    server.stop()
    shutil.rmtree(server.data_dir, ignore_errors=True)


_server_key = pytest.StashKey[S3Server]()
