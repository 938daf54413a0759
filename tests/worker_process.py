"""Celery workers of a test's own: real processes on the tests' Redis."""

import os
import re
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, run_manage

WORKER_START_SECONDS = 60
WAIT_SECONDS = 120


def worker_command(*, concurrency: int | None = 1, include=None) -> list[str]:
    """The worker's command line; concurrency None leaves it to the environment."""
    command = [sys.executable, "-m", "celery", "-A", "et_issue_example", "worker"]
    command += ["--pool", "prefork"]
    if concurrency is not None:
        command += ["--concurrency", str(concurrency)]
    # Events and worker-to-worker chatter only slow a test's start.
    command += ["--loglevel", "INFO", "--without-gossip", "--without-mingle"]
    if include:
        command += ["--include", include]
    return command


@contextmanager
def running_worker(env, log_path: Path, *, replace_env=False, **options):
    """Yield a worker process (its own session) once it is ready for tasks.

    env is added to the tests' environment, or with replace_env is the
    whole of it. The worker's output goes to log_path. At the end it is
    asked to stop (warm shutdown: its task is finished first).
    """
    with log_path.open("a") as log:
        process = subprocess.Popen(
            worker_command(**options),
            cwd=REPO_ROOT,
            env=env if replace_env else {**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for_log(log_path, r"celery@\S+ ready\.", process=process)
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)


def wait_for_log(log_path: Path, pattern: str, count=1, process=None) -> list[str]:
    """The lines of log_path matching pattern, once there are count of them."""
    deadline = time.monotonic() + (WORKER_START_SECONDS if process else WAIT_SECONDS)
    while True:
        text = log_path.read_text() if log_path.exists() else ""
        lines = [line for line in text.splitlines() if re.search(pattern, line)]
        if len(lines) >= count:
            return lines
        if process is not None and process.poll() is not None:
            pytest.fail(f"The worker exited:\n{text}")
        if time.monotonic() > deadline:
            pytest.fail(f"Waited for {count} x {pattern!r} in the worker log:\n{text}")
        time.sleep(0.1)


def wait_for_file(path: Path) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)


def queued_count(client) -> int:
    """Tasks waiting in the queue plus those delivered but not yet acknowledged."""
    return client.llen("celery") + client.hlen("unacked")


def thumbnail_rows(env) -> list[tuple[str, str]]:
    """(photo name, thumbnail name) of every Thumbnail row in the site's database."""
    out, err, code = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from easy_thumbnails.models import Thumbnail\n"
        "for row in Thumbnail.objects.values_list('source__name', 'name'):\n"
        "    print(*row)",
        env=env,
    )
    assert code == 0, err
    return sorted(tuple(line.split(" ")) for line in out.splitlines())
