"""`pytest --database postgres`: the tests' databases on a PostgreSQL server of their own.

The server is started before Django reads its settings, on a free port with a
data folder of its own, and stopped at the end; DATABASE_URL points at it, so
pytest-django makes its test database there. Without the option the tests
run on SQLite, as the site does by default. Under pytest-xdist each worker
has a server of its own, and the controller, which runs no test, none.
"""

import atexit
import contextlib
import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest

from local_services import PostgresServer, ServiceError
from local_services.ports import free_port
from tests.xdist_roles import hands_out_tests

# pytest-django's test database is this name with "test_" before it.
DATABASE = "et_issue_example_tests"


def pytest_addoption(parser):
    parser.addoption(
        "--database",
        choices=["sqlite", "postgres"],
        default="sqlite",
        help="Run the tests on SQLite (default) or on a PostgreSQL server they "
        "start themselves (Debian's postgresql; make postgresql installs it).",
    )


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests(early_config, parser, args):
    options = early_config.known_args_namespace
    if options.database == "postgres" and not hands_out_tests(early_config):
        # The server lives for this session only: fsync buys nothing.
        server = PostgresServer(
            Path(tempfile.mkdtemp(prefix="et-test-postgres-")),
            free_port(),
            durable=False,
        )
        early_config.stash[_server_key] = server
        # Also when the run stops before pytest_unconfigure.
        atexit.register(stop, server)
        try:
            server.start()
        except ServiceError as error:
            shutil.rmtree(server.data_dir, ignore_errors=True)
            raise pytest.UsageError(str(error)) from None
        os.environ["DATABASE_URL"] = server.database_url(DATABASE)
    return (yield)


def pytest_report_header(config):
    server = config.stash.get(_server_key, None)
    if server is not None:
        return f"database: PostgreSQL on 127.0.0.1:{server.port} ({server.data_dir})"
    return "database: SQLite"


def pytest_unconfigure(config):
    server = config.stash.get(_server_key, None)
    if server is not None:
        stop(server)


def stop(server: PostgresServer) -> None:
    # A server that will not stop is ended by the stopping plugin.
    with contextlib.suppress(ServiceError):
        server.discard()


@pytest.fixture
def site_database_url(request, tmp_path):
    """The DATABASE_URL of a new, empty database of the test's own: a SQLite
    file in its folder, or with --database postgres a database on the tests'
    server."""
    server = request.config.stash.get(_server_key, None)
    if server is None:
        return f"sqlite:///{tmp_path / 'db.sqlite3'}"
    name = f"site_{uuid.uuid4().hex[:12]}"
    server.create_database(name)
    return server.database_url(name)


_server_key = pytest.StashKey[PostgresServer]()
