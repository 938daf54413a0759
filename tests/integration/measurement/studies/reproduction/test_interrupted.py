"""Ctrl-C during a reproduction: it ends within two seconds, every process it
started stopped, and its folder is named -interrupted, with a README.txt
saying why, so that nothing under reports/ looks like a report that is not."""

import os
import re
import signal
import socket
import subprocess
import sys
import time

import psutil
import pytest

from tests.conftest import REPO_ROOT, small_photo_bytes

# reproduce starts servers of its own.
pytestmark = pytest.mark.server

STOPPED_WITHIN_SECONDS = 2
# What a loaded machine adds to the two seconds.
SLACK_SECONDS = 0.5


def descendants(pid: int) -> list[psutil.Process]:
    return psutil.Process(pid).children(recursive=True)


def is_running(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def answers(port: int) -> bool:
    with socket.socket() as connection:
        return connection.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.parametrize(
    ("during", "to_group", "options"),
    [
        ("load_photos", True, []),
        ("GET / (cold)", True, []),
        ("load_photos", False, []),
        ("GET / (cold)", True, ["--server", "gunicorn", "--workers", "2"]),
        ("GET / (cold)", True, ["--database", "postgres"]),
    ],
    ids=[
        "Ctrl-C during load",
        "Ctrl-C during the cold page",
        "SIGINT to it alone",
        "Ctrl-C during gunicorn's cold page",
        "Ctrl-C during the cold page on PostgreSQL",
    ],
)
def test_ctrl_c_ends_a_reproduction_in_two_seconds_leaving_nothing_running(
    during, to_group, options, tmp_path
):
    """Ctrl-C reaches every process of the terminal's group; SIGINT to the
    reproduction alone (kill -INT) ends it and what it started just as well;
    gunicorn's workers and the run's own PostgreSQL server stop with it."""
    photos = tmp_path / "photos"
    photos.mkdir()
    for seed in range(1, 4):
        # Large enough that the cold page takes seconds, not a moment.
        (photos / f"landscape-{seed}.jpg").write_bytes(
            small_photo_bytes(seed, size=(4000, 3000))
        )
    out = tmp_path / "reports"
    process = subprocess.Popen(
        [sys.executable, "-m", "measurement", "reproduce", "--photos", "3"]
        + ["--photo-dir", str(photos), "--out", str(out)]
        + options,
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        # A terminal of its own: Ctrl-C reaches its whole process group.
        start_new_session=True,
    )
    try:
        lines = []
        for line in process.stdout:
            lines.append(line)
            if during in line:
                break
        assert process.poll() is None, "".join(lines)
        time.sleep(0.3)
        started = descendants(process.pid)

        if to_group:
            os.killpg(process.pid, signal.SIGINT)
        else:
            process.send_signal(signal.SIGINT)
        interrupted = time.monotonic()
        process.wait(timeout=30)
        seconds = time.monotonic() - interrupted
        output = "".join(lines) + process.stdout.read()
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
        process.stdout.close()

    assert f"{during}:" not in output  # it was under way
    assert seconds < STOPPED_WITHIN_SECONDS + SLACK_SECONDS, (seconds, output)
    assert process.returncode == 130
    assert output.endswith("Interrupted; the report was not written.\n")
    assert [p for p in started if is_running(p)] == []
    # pg_ctl starts PostgreSQL outside the run's own process tree.
    for port in re.findall(r"PostgreSQL server of its own on port (\d+)", output):
        assert not answers(int(port)), output
    (folder,) = out.iterdir()
    assert folder.name.endswith("-interrupted")
    assert not (folder / "report.md").exists()
    assert (folder / "README.txt").read_text() == (
        "This run was interrupted (Ctrl-C) before it finished: it holds no "
        "report, only what the run had written so far. Delete this folder.\n"
    )
