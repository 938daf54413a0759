"""What the local servers share: a real server on this machine, with a data
folder of its own, started in the background where it outlives its starter.

A server is found again by its data folder: its pid is kept there, so one
server serves one folder, and a folder's server can be stopped from any
shell. A port answers for whatever listens on it, which may be another
folder's server or another program; start tells them apart.
"""

import contextlib
import os
import signal
from pathlib import Path

import psutil

from . import background

DEFAULT_HOST = "127.0.0.1"


class ServiceError(Exception):
    """A local server cannot be started, stopped or reached: the message says
    which, and what to do."""


class LocalServer:
    """A server of the project's own on host:port, keeping its data in data_dir.

    A subclass names the server and says how it is run (command), how it is
    told from other processes (is_ours) and whether it answers (is_running).
    """

    NAME: str  # as messages name it, e.g. "local S3 server"
    DEFAULT_PORT: int
    DEFAULT_DATA_DIR: str
    STOP_COMMAND: str  # as messages name what stops it, e.g. "make s3-stop"
    # The make variable that chooses the port, named when the server runs on another.
    PORT_VARIABLE: str | None = None
    START_TIMEOUT_SECONDS = 20
    STOP_TIMEOUT_SECONDS = 20

    def __init__(self, data_dir: Path, port: int, host: str = DEFAULT_HOST):
        self.data_dir = Path(data_dir)
        self.port = port
        self.host = host

    @property
    def url(self) -> str:
        raise NotImplementedError

    @property
    def log_path(self) -> Path:
        return self.data_dir / background.LOG_NAME

    def is_running(self) -> bool:
        """Whether a server of this kind answers on host:port."""
        raise NotImplementedError

    def command(self) -> list[str]:
        """The server's argv, run in the foreground of a session of its own."""
        raise NotImplementedError

    def environment(self) -> dict:
        return dict(os.environ)

    def is_ours(self, process: psutil.Process) -> bool:
        """Whether process is this server, not a program that reuses its pid."""
        raise NotImplementedError

    def start(self) -> bool:
        """Start the server in the background unless it runs; return whether
        it was started now. Raises ServiceError when it cannot start."""
        if self.already_runs():
            return False
        command = self.command()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        process = background.spawn(command, self.data_dir, self.environment())
        background.wait_until_answers(
            process,
            self.is_running,
            name=self.NAME,
            where=self.url,
            log_path=self.log_path,
            port=self.port,
            timeout_seconds=self.START_TIMEOUT_SECONDS,
            error=ServiceError,
        )
        return True

    def already_runs(self) -> bool:
        """Whether this server answers already.

        Raises ServiceError when the data folder's server runs but does not
        answer on this port (on another one, or stuck): two servers writing
        one folder would overwrite each other's data. A port taken by another
        program shows when the new server exits at start, which start says.
        """
        if self.is_running():
            return True
        process = background.running_process(self.data_dir, self.is_ours)
        if process is None:
            return False
        port = listening_port(process)
        if port is not None and port != self.port:
            variable = f" ({self.PORT_VARIABLE}={port})" if self.PORT_VARIABLE else ""
            raise ServiceError(
                f"The {self.NAME} of {self.data_dir} already runs (pid "
                f"{process.pid}) on port {port}, not {self.port}: use port {port}"
                f"{variable}, or stop it with `{self.STOP_COMMAND}` and start it "
                "again."
            )
        raise ServiceError(
            f"The {self.NAME} of {self.data_dir} already runs (pid {process.pid}) "
            f"but does not answer on port {self.port}: stop it with "
            f"`{self.STOP_COMMAND}`, then start it again."
        )

    def running_pid(self) -> int | None:
        """The pid of the server started on this data folder, if it still runs."""
        process = background.running_process(self.data_dir, self.is_ours)
        return None if process is None else process.pid

    def tell_to_stop(self) -> None:
        """Signal the server of this data folder to stop, without waiting
        (stop then waits for it): for a run that stops all its servers at once."""
        process = background.running_process(self.data_dir, self.is_ours)
        if process is not None:
            with contextlib.suppress(psutil.Error):
                process.send_signal(signal.SIGTERM)

    def stop(self) -> bool:
        """Stop the server of this data folder; return whether one ran."""
        return background.stop(
            self.data_dir,
            self.is_ours,
            name=self.NAME,
            timeout_seconds=self.STOP_TIMEOUT_SECONDS,
            error=ServiceError,
        )


def listening_port(process: psutil.Process) -> int | None:
    """The one TCP port process listens on, or None (none, several, or unreadable)."""
    try:
        ports = {
            connection.laddr.port
            for connection in process.net_connections("inet")
            if connection.status == psutil.CONN_LISTEN
        }
    except psutil.Error:
        return None
    return ports.pop() if len(ports) == 1 else None
