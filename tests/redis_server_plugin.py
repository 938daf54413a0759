"""A Redis server of the tests' own, the task queue's broker, started before
Django reads its settings.

Like the S3 plugin beside it: every test and every worker or command a test
starts gets CELERY_BROKER_URL pointing here, never at the site's Redis.
Without Debian's redis-server (`make test` installs it) the URL points at a
port where nothing answers, and the tests that need a broker skip (fail in CI).
Under pytest-xdist each worker has a server of its own, as tests flush it;
the controller, which runs no test, starts none.
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from local_services import RedisServer, ServiceError
from local_services.ports import free_port
from tests.xdist_roles import hands_out_tests

# Short, so that a task whose worker was killed is delivered again within a
# test (the production default is an hour: see README).
TEST_VISIBILITY_TIMEOUT_SECONDS = 3


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests(early_config, parser, args):
    if hands_out_tests(early_config):
        return (yield)
    server = RedisServer(Path(tempfile.mkdtemp(prefix="et-test-redis-")), free_port())
    early_config.stash[_server_key] = server
    # Also when the run stops before pytest_unconfigure.
    atexit.register(stop, server)
    url = server.url
    try:
        server.start()
    except ServiceError as error:
        early_config.stash[_missing_key] = str(error)
        # Its port may be the program's that kept it from starting: point at
        # one where nothing answers.
        url = f"redis://127.0.0.1:{free_port()}/0"
    os.environ.update(
        CELERY_BROKER_URL=url,
        CELERY_VISIBILITY_TIMEOUT=str(TEST_VISIBILITY_TIMEOUT_SECONDS),
    )
    return (yield)


def redis_missing_reason(config) -> str | None:
    """Why the tests' Redis did not start, or None if it runs."""
    return config.stash.get(_missing_key, None)


def pytest_unconfigure(config):
    server = config.stash.get(_server_key, None)
    if server is not None:
        stop(server)


def stop(server: RedisServer) -> None:
    server.stop()
    shutil.rmtree(server.data_dir, ignore_errors=True)


_server_key = pytest.StashKey[RedisServer]()
_missing_key = pytest.StashKey[str]()
