"""Start a server in the background and wait until it answers.

The server writes its output to ``server.log`` and its pid to ``server.pid``
in its data folder, which is how it is found again to be stopped.
"""

import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import psutil

LOG_NAME = "server.log"
PID_NAME = "server.pid"


def spawn(argv: list[str], data_dir: Path, env: dict) -> psutil.Process:
    """Start argv in a session of its own, output to data_dir/server.log."""
    # posix_spawn rather than Popen: the server is not this process's to wait
    # for (it outlives it), and a dropped Popen of a live child warns.
    pid = os.posix_spawn(
        argv[0],
        argv,
        env,
        file_actions=[
            (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
            (
                os.POSIX_SPAWN_OPEN,
                1,
                str(data_dir / LOG_NAME),
                os.O_WRONLY | os.O_CREAT | os.O_APPEND,
                0o644,
            ),
            (os.POSIX_SPAWN_DUP2, 1, 2),
        ],
        # Its own session: the server outlives the shell that started it.
        setsid=True,
    )
    (data_dir / PID_NAME).write_text(f"{pid}\n")
    return psutil.Process(pid)


def wait_until_answers(
    process: psutil.Process | subprocess.Popen,
    answers: Callable[[], bool],
    *,
    name: str,
    where: str,
    log_path: Path,
    port: int,
    timeout_seconds: float,
    error: type[Exception],
) -> None:
    """Return once answers() is true; raise error, naming the server and its
    log, if the process exits first or nothing answers within timeout_seconds.

    process is the server's, started here (a Popen) or by spawn().
    """
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        if has_exited(process):
            raise error(
                f"The {name} exited at start; see {log_path}"
                f" (is port {port} taken by another program?)."
            )
        if answers():
            return
        time.sleep(0.05)
    raise error(f"The {name} did not answer on {where}; see {log_path}.")


def has_exited(process: psutil.Process | subprocess.Popen) -> bool:
    """Whether process has ended (and is reaped, when it is this process's child)."""
    if isinstance(process, subprocess.Popen):
        return process.poll() is not None
    if process.is_running() and process.status() != psutil.STATUS_ZOMBIE:
        return False
    process.wait(1)
    return True


def running_process(
    data_dir: Path, is_ours: Callable[[psutil.Process], bool]
) -> psutil.Process | None:
    """The server whose pid data_dir holds, if it still runs. A pid now used
    by another program (is_ours false) counts as no server."""
    try:
        process = psutil.Process(int((data_dir / PID_NAME).read_text()))
    except (OSError, ValueError, psutil.Error):
        return None
    return process if is_ours(process) else None


def stop(
    data_dir: Path,
    is_ours: Callable[[psutil.Process], bool],
    *,
    name: str,
    timeout_seconds: float,
    error: type[Exception],
) -> bool:
    """SIGTERM the server whose pid data_dir holds, and wait for it to exit;
    return whether one ran (as running_process tells)."""
    pid_file = data_dir / PID_NAME
    process = running_process(data_dir, is_ours)
    if process is None:
        pid_file.unlink(missing_ok=True)  # stale, if there is one
        return False
    try:
        process.send_signal(signal.SIGTERM)
        # psutil's wait also reaps the server when this process started it.
        process.wait(timeout_seconds)
    except psutil.NoSuchProcess:
        pid_file.unlink(missing_ok=True)
        return False
    except psutil.TimeoutExpired:
        raise error(f"The {name} (pid {process.pid}) did not stop.") from None
    pid_file.unlink(missing_ok=True)
    return True
