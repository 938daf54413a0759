"""The local PostgreSQL server: the real one, its own data folder and port, data kept."""

import getpass
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace

import psutil
import psycopg
import pytest

from local_services import PostgresServer
from local_services.ports import free_port
from tests.conftest import REPO_ROOT, run_manage

# The tests start real PostgreSQL servers of their own.
pytestmark = pytest.mark.server


@pytest.fixture
def server():
    """A port and a data folder the server's account can reach (not tmp_path,
    which pytest keeps private to this user), stopped and removed after."""
    data_dir = Path(tempfile.mkdtemp(prefix="et-test-local-postgres-"))
    yield free_port(), data_dir
    PostgresServer(data_dir).stop()
    shutil.rmtree(data_dir, ignore_errors=True)


def postgres_command(*args, port, data_dir):
    return subprocess.run(
        [sys.executable, "-m", "local_services", "postgres", *args]
        + ["--port", str(port), "--data-dir", str(data_dir)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def database_url(output: str) -> str:
    return output.split("export DATABASE_URL=", 1)[1].strip()


def test_start_makes_a_server_the_site_migrates_onto_and_its_data_outlives_a_restart(
    server,
):
    port, data_dir = server
    started = postgres_command("start", port=port, data_dir=data_dir)
    assert started.returncode == 0, started.stderr
    assert started.stdout.startswith("Started PostgreSQL ")
    assert f"on 127.0.0.1:{port}, database et_issue_example created." in started.stdout
    url = database_url(started.stdout)
    assert url.startswith("postgres://postgres:")
    assert url.endswith(f"@127.0.0.1:{port}/et_issue_example")
    _, err, code = run_manage("migrate", "--verbosity", "0", env={"DATABASE_URL": url})
    assert code == 0, err

    stopped = postgres_command("stop", port=port, data_dir=data_dir)
    assert stopped.stdout == f"Stopped PostgreSQL; its data kept in {data_dir}.\n"
    status = postgres_command("status", port=port, data_dir=data_dir)
    assert (status.returncode, status.stdout) == (
        1,
        f"Local PostgreSQL of {data_dir}: not running.\n",
    )
    restarted = postgres_command("start", port=port, data_dir=data_dir)

    assert "database et_issue_example exists." in restarted.stdout
    assert database_url(restarted.stdout) == url
    with psycopg.connect(url) as connection:
        applied = connection.execute(
            "SELECT count(*) FROM django_migrations WHERE app = 'photos'"
        ).fetchone()[0]
    assert applied > 0


def test_the_server_runs_as_an_account_postgres_accepts_on_loopback_only(server):
    port, data_dir = server
    started = postgres_command("start", port=port, data_dir=data_dir)
    assert started.returncode == 0, started.stderr

    with psycopg.connect(database_url(started.stdout)) as connection:
        backend = psutil.Process(connection.info.backend_pid)
        owner = backend.username()
        listen = connection.execute("SHOW listen_addresses").fetchone()[0]
    assert owner == ("postgres" if os.geteuid() == 0 else getpass.getuser())
    assert listen == "127.0.0.1"
    # No password, no entry: the superuser's is in the data folder, not a default.
    with pytest.raises(psycopg.OperationalError, match="password authentication"):
        psycopg.connect(
            f"postgres://postgres:postgres@127.0.0.1:{port}/postgres"
        ).close()


def test_starting_a_running_server_says_so(server):
    port, data_dir = server
    postgres_command("start", port=port, data_dir=data_dir)

    again = postgres_command("start", port=port, data_dir=data_dir)

    assert again.returncode == 0
    assert again.stdout.startswith("Already running: PostgreSQL ")
    status = postgres_command("status", port=port, data_dir=data_dir)
    assert status.returncode == 0
    assert status.stdout.endswith(f" on 127.0.0.1:{port}: running.\n")


def test_createdb_adds_a_database_and_gives_its_url(server):
    port, data_dir = server
    postgres_command("start", port=port, data_dir=data_dir)

    created = postgres_command(
        "createdb", "--database", "second", port=port, data_dir=data_dir
    )
    again = postgres_command(
        "createdb", "--database", "second", port=port, data_dir=data_dir
    )

    assert created.returncode == 0, created.stderr
    assert created.stdout.startswith("Database second created: postgres://")
    url = created.stdout.split(": ", 1)[1].strip()
    with psycopg.connect(url) as connection:
        assert connection.execute("SELECT current_database()").fetchone()[0] == "second"
    assert again.stdout.startswith("Database second exists: ")


def test_createdb_without_a_server_says_how_to_start_one(server):
    port, data_dir = server

    result = postgres_command("createdb", port=port, data_dir=data_dir)

    assert result.returncode == 1
    assert result.stderr == (
        "The local PostgreSQL is not running: start it with make postgres "
        "(or python -m local_services postgres start).\n"
    )


def test_a_taken_port_is_one_message_naming_the_port_and_the_log(server):
    _, data_dir = server
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        result = postgres_command("start", port=port, data_dir=data_dir)

    assert result.returncode == 1
    assert result.stderr == (
        f"PostgreSQL did not start on port {port}; see {data_dir / 'server.log'} "
        "(is the port taken by another program?).\n"
    )
    assert "Address already in use" in (data_dir / "server.log").read_text()


@pytest.mark.skipif(os.geteuid() != 0, reason="only root runs the server as postgres")
def test_a_data_folder_the_postgres_account_cannot_reach_is_named(tmp_path):
    # pytest's tmp_path is private to root.
    data_dir = tmp_path / "postgres"

    result = postgres_command("start", port=free_port(), data_dir=data_dir)

    assert result.returncode == 1
    assert result.stderr.startswith(
        f"initdb could not make a cluster in {data_dir / 'pgdata'}: "
    )
    assert result.stderr.endswith("(postgres needs to reach that folder)\n")
    assert "Traceback" not in result.stderr


def test_a_discarded_server_stops_without_a_checkpoint_and_its_folder_goes(
    server, monkeypatch
):
    """discard(), for a server of one run: it stops at once, its log saying it
    shut down without writing its checkpoint, and its data folder is gone."""
    port, data_dir = server
    postgres = PostgresServer(data_dir, port)
    postgres.start()
    # The log is in the folder discarded: read it as the folder goes.
    logs = []
    remove = shutil.rmtree

    def read_log_then_remove(path, **options):
        logs.append(postgres.log_path.read_text())
        remove(path, **options)

    monkeypatch.setattr(
        "local_services.postgres.shutil",
        SimpleNamespace(rmtree=read_log_then_remove, which=shutil.which),
    )

    postgres.discard()

    assert not postgres.is_running()
    assert not data_dir.exists()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    (log,) = logs
    assert "received immediate shutdown request" in log
    # What stop(), a fast shutdown, writes first.
    assert "checkpoint starting: shutdown" not in log


def test_a_server_told_to_stop_shuts_down_at_once_without_being_waited_for(server):
    """tell_to_stop(), for a run stopping all its servers at once: it returns
    before the server is gone, which then stops as discard() would stop it,
    and discard() after finds it stopped and removes its folder."""
    port, data_dir = server
    postgres = PostgresServer(data_dir, port)
    postgres.start()
    postmaster = psutil.Process(
        int((postgres.cluster_dir / "postmaster.pid").read_text().split()[0])
    )

    postgres.tell_to_stop()
    postmaster.wait(timeout=30)
    log = postgres.log_path.read_text()
    postgres.discard()

    assert "received immediate shutdown request" in log
    assert not data_dir.exists()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_telling_a_server_that_does_not_run_to_stop_does_nothing(server):
    port, data_dir = server
    PostgresServer(data_dir, port).tell_to_stop()
    assert not data_dir.joinpath("pgdata").exists()
