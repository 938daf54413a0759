"""The local Redis server: its own process, port and data folder; the queue
kept across restarts."""

import socket
import subprocess
import sys

import pytest
import redis

from local_redis import control
from local_servers.ports import free_port
from tests.conftest import REPO_ROOT


@pytest.fixture
def server(tmp_path, broker):
    """A port and a data folder; whatever is started there is stopped after.

    (broker: only to skip, or fail in CI, where redis-server is missing.)"""
    port = free_port()
    data_dir = tmp_path / "redis"
    yield port, data_dir
    control.stop(data_dir)


def local_redis(*args, port, data_dir):
    return subprocess.run(
        [sys.executable, "-m", "local_redis", *args]
        + ["--port", str(port), "--data-dir", str(data_dir)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_start_status_stop(server):
    port, data_dir = server
    url = f"redis://127.0.0.1:{port}/0"

    started = local_redis("start", port=port, data_dir=data_dir)
    again = local_redis("start", port=port, data_dir=data_dir)
    running = local_redis("status", port=port, data_dir=data_dir)
    stopped = local_redis("stop", port=port, data_dir=data_dir)
    not_running = local_redis("status", port=port, data_dir=data_dir)

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
    control.start("127.0.0.1", port, data_dir)
    with redis.Redis(port=port) as client:
        client.lpush("celery", b"task-1", b"task-2")
    control.stop(data_dir)

    control.start("127.0.0.1", port, data_dir)

    with redis.Redis(port=port) as client:
        assert client.lrange("celery", 0, -1) == [b"task-2", b"task-1"]


def test_a_port_taken_by_another_program_is_named(server, tmp_path):
    port, data_dir = server
    with socket.socket() as other:
        other.bind(("127.0.0.1", port))
        other.listen()

        result = local_redis("start", port=port, data_dir=data_dir)

    assert result.returncode == 1
    assert result.stderr == (
        "The local Redis server exited at start; see "
        f"{data_dir.resolve() / 'server.log'} (is port {port} taken by another program?).\n"
    )


def test_without_redis_server_start_says_how_to_install_it(server, monkeypatch):
    port, data_dir = server
    monkeypatch.setenv("PATH", str(data_dir))

    with pytest.raises(control.LocalRedisError) as error:
        control.start("127.0.0.1", port, data_dir)

    assert str(error.value) == (
        "redis-server is not installed: `make redis` installs Debian's "
        "redis-server package (or run: apt-get install redis-server)."
    )
