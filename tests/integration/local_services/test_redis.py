"""The local Redis server: its own process, port and data folder; the queue
kept across restarts."""

import socket
import subprocess
import sys

import pytest
import redis

from local_services import RedisServer, ServiceError
from local_services.ports import free_port
from tests.conftest import REPO_ROOT

# The tests start real Redis servers of their own.
pytestmark = pytest.mark.server


@pytest.fixture
def server(tmp_path, broker):
    """A port and a data folder; whatever is started there is stopped after.

    (broker: only to skip, or fail in CI, where redis-server is missing.)"""
    port = free_port()
    data_dir = tmp_path / "redis"
    yield port, data_dir
    RedisServer(data_dir, port).stop()


def redis_command(*args, port, data_dir):
    return subprocess.run(
        [sys.executable, "-m", "local_services", "redis", *args]
        + ["--port", str(port), "--data-dir", str(data_dir)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_start_status_stop(server):
    port, data_dir = server
    url = f"redis://127.0.0.1:{port}/0"

    started = redis_command("start", port=port, data_dir=data_dir)
    again = redis_command("start", port=port, data_dir=data_dir)
    running = redis_command("status", port=port, data_dir=data_dir)
    stopped = redis_command("stop", port=port, data_dir=data_dir)
    not_running = redis_command("status", port=port, data_dir=data_dir)

    assert started.stdout == f"Started local Redis server on {url}.\n"
    assert again.stdout == f"Already running: local Redis server on {url}.\n"
    assert (running.stdout, running.returncode) == (
        f"Local Redis server on {url}: running.\n",
        0,
    )
    assert stopped.stdout == (
        f"Stopped the local Redis server; its queue kept in {data_dir}.\n"
    )
    assert (not_running.stdout, not_running.returncode) == (
        f"Local Redis server on {url}: not running.\n",
        1,
    )


def test_queued_tasks_survive_a_restart_of_the_server(server):
    """Redis writes each change to its append-only file in the data folder."""
    port, data_dir = server
    redis_server = RedisServer(data_dir, port)
    redis_server.start()
    with redis.Redis(port=port) as client:
        client.lpush("celery", b"task-1", b"task-2")
    redis_server.stop()

    redis_server.start()

    with redis.Redis(port=port) as client:
        assert client.lrange("celery", 0, -1) == [b"task-2", b"task-1"]


def test_a_port_taken_by_another_program_is_named(server, tmp_path):
    port, data_dir = server
    with socket.socket() as other:
        other.bind(("127.0.0.1", port))
        other.listen()

        result = redis_command("start", port=port, data_dir=data_dir)

    assert result.returncode == 1
    assert result.stderr == (
        "The local Redis server exited at start; see "
        f"{data_dir.resolve() / 'server.log'} (is port {port} taken by another program?).\n"
    )


def test_one_data_folder_is_served_by_one_server_only(server):
    """A second redis-server on the same append-only file would overwrite the first's."""
    port, data_dir = server
    redis_command("start", port=port, data_dir=data_dir)
    pid = int((data_dir / "server.pid").read_text())
    other_port = free_port()

    refused = redis_command("start", port=other_port, data_dir=data_dir)

    assert refused.returncode == 1
    assert refused.stderr == (
        f"The local Redis server of {data_dir.resolve()} already runs (pid {pid}) "
        f"on port {port}, not {other_port}: use port {port}, or stop it with "
        "`make redis-stop` and start it again.\n"
    )
    assert int((data_dir / "server.pid").read_text()) == pid
    assert not RedisServer(data_dir, other_port).is_running()


def test_a_pid_file_of_another_redis_server_is_not_its_server(server, tmp_path):
    """Its pid is a redis-server's of another data folder: start and stop leave it be."""
    port, data_dir = server
    other = RedisServer(tmp_path / "other-redis", free_port())
    other.start()
    try:
        data_dir.mkdir()
        (data_dir / "server.pid").write_text(f"{other.running_pid()}\n")

        stopped = redis_command("stop", port=port, data_dir=data_dir)
        started = redis_command("start", port=port, data_dir=data_dir)

        assert stopped.stdout == "The local Redis server was not running.\n"
        assert (
            started.stdout
            == f"Started local Redis server on redis://127.0.0.1:{port}/0.\n"
        )
        assert other.is_running()
    finally:
        other.stop()


def test_without_redis_server_start_says_how_to_install_it(server, monkeypatch):
    port, data_dir = server
    monkeypatch.setenv("PATH", str(data_dir))

    with pytest.raises(ServiceError) as error:
        RedisServer(data_dir, port).start()

    assert str(error.value) == (
        "redis-server is not installed: `make redis` installs Debian's "
        "redis-server package (or run: apt-get install redis-server)."
    )
