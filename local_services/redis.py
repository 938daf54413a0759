"""Start, stop and look at the local Redis server running in the background."""

import os
import shutil
import socket
from pathlib import Path

from local_servers import background

START_TIMEOUT_SECONDS = 20
STOP_TIMEOUT_SECONDS = 20
PING_TIMEOUT_SECONDS = 2


class LocalRedisError(Exception):
    pass


def broker_url(host: str, port: int) -> str:
    return f"redis://{host}:{port}/0"


def is_running(host: str, port: int) -> bool:
    """Whether a Redis server answers PING on host:port."""
    try:
        with socket.create_connection((host, port), timeout=PING_TIMEOUT_SECONDS) as s:
            s.sendall(b"PING\r\n")
            return s.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def redis_server_binary() -> str:
    binary = shutil.which("redis-server")
    if binary is None:
        raise LocalRedisError(
            "redis-server is not installed: `make redis` installs Debian's "
            "redis-server package (or run: apt-get install redis-server)."
        )
    return binary


def start(host: str, port: int, data_dir: Path) -> tuple[str, bool]:
    """Start the server unless it runs; return its URL and whether it was started."""
    url = broker_url(host, port)
    if is_running(host, port):
        return url, False
    binary = redis_server_binary()
    data_dir = data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    process = background.spawn(
        [
            binary,
            "--bind",
            host,
            "--port",
            str(port),
            "--dir",
            str(data_dir),
            # Every queued task is written to the append-only file before
            # Redis answers, so a restart of the server loses none.
            "--appendonly",
            "yes",
            "--appendfsync",
            "everysec",
            "--save",
            "",
            "--daemonize",
            "no",
            "--logfile",
            "",
        ],
        data_dir,
        dict(os.environ),
    )
    background.wait_until_answers(
        process,
        lambda: is_running(host, port),
        name="local Redis server",
        where=url,
        log_path=data_dir / background.LOG_NAME,
        port=port,
        timeout_seconds=START_TIMEOUT_SECONDS,
        error=LocalRedisError,
    )
    return url, True


def stop(data_dir: Path) -> bool:
    """Stop the server started with this data directory; return whether one ran.

    On SIGTERM Redis flushes its append-only file, then exits.
    """
    return background.stop(
        data_dir,
        lambda process: "redis-server" in process.name(),
        name="local Redis server",
        timeout_seconds=STOP_TIMEOUT_SECONDS,
        error=LocalRedisError,
    )
