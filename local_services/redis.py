"""The task queue's local Redis server: Debian's redis-server, as its own
process, its queue kept on disk."""

import re
import shutil
import socket
import subprocess
from pathlib import Path

import psutil

from .server import DEFAULT_HOST, LocalServer, ServiceError

PING_TIMEOUT_SECONDS = 2


class RedisServer(LocalServer):
    """The Redis server of a data folder, on host:port."""

    NAME = "local Redis server"
    # Not Redis's own 6379: a system Redis there (Debian's package starts one
    # where it may) is left alone.
    DEFAULT_PORT = 6380
    DEFAULT_DATA_DIR = "var/redis"
    STOP_COMMAND = "make redis-stop"

    def __init__(self, data_dir: Path, port: int, host: str = DEFAULT_HOST):
        # Absolute: redis-server runs in its data folder (--dir).
        super().__init__(Path(data_dir).resolve(), port, host)

    @property
    def url(self) -> str:
        return f"redis://{self.host}:{self.port}/0"

    def is_running(self) -> bool:
        """Whether a Redis server answers PING on host:port."""
        try:
            with socket.create_connection(
                (self.host, self.port), timeout=PING_TIMEOUT_SECONDS
            ) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(64).startswith(b"+PONG")
        except OSError:
            return False

    def command(self) -> list[str]:
        return [
            redis_server_binary(),
            "--bind", self.host,
            "--port", str(self.port),
            "--dir", str(self.data_dir),
            # Every queued task is written to the append-only file before
            # Redis answers, and stop's SIGTERM flushes it before Redis
            # exits, so a restart of the server loses none.
            "--appendonly", "yes",
            "--appendfsync", "everysec",
            "--save", "",
            "--daemonize", "no",
            "--logfile", "",
        ]  # fmt: skip

    def is_ours(self, process: psutil.Process) -> bool:
        # redis-server rewrites its command line, but works in its --dir.
        try:
            name, folder = process.name(), process.cwd()
        except psutil.Error:
            return False
        return name == "redis-server" and folder == str(self.data_dir)

    def version(self) -> str | None:
        """The version redis-server says it is (its v=), None without one."""
        try:
            out = subprocess.run(
                [redis_server_binary(), "--version"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        except (ServiceError, OSError, subprocess.CalledProcessError):
            return None
        match = re.search(r"v=(\S+)", out)
        return match[1] if match else out.strip()


def redis_server_binary() -> str:
    binary = shutil.which("redis-server")
    if binary is None:
        raise ServiceError(
            "redis-server is not installed: `make redis` installs Debian's "
            "redis-server package (or run: apt-get install redis-server)."
        )
    return binary
