"""A stopped test run leaves nothing running (tests/stopping_plugin.py).

A real `make test` on two workers runs a few tests that start servers: the
task queue's, with Celery workers on the run's S3 and Redis, and `reproduce
--scenario queue`, whose command starts an S3 server, a Redis server and a
worker of its own. Once all of those are up it is sent SIGTERM, as a CI
time-out sends it to make, or SIGINT, as Ctrl-C sends it to pytest; within
ten seconds no process of that run is left, and nothing listens on the ports
it listened on.
"""

import os
import re
import signal
import subprocess
import time
import uuid

import psutil
import pytest

from local_services.ports import accepts_connections
from tests.fresh_clone import fresh_clone

pytestmark = pytest.mark.server

STOPPED_WITHIN_SECONDS = 10
UP_WITHIN_SECONDS = 240
TESTS = [
    "tests/integration/measurement/studies/queue/test_run.py",
    "tests/integration/photos/test_task_queue.py",
]
# What the outer run sets for itself, which the inner one must choose anew.
OUTER_RUN_VARIABLES = (
    "AWS_S3_ENDPOINT_URL",
    "AWS_STORAGE_BUCKET_NAME",
    # Under an outer make (`make test`, `.ci/run`) the inner make would be a
    # sub-make, `make[1]`, sharing the outer one's job server.
    "MAKEFLAGS",
    "MAKELEVEL",
    "MFLAGS",
    "CELERY_BROKER_URL",
    "DATABASE_URL",
    "PYTEST_ADDOPTS",
    "PYTEST_CURRENT_TEST",
)
# Marks every process of the inner run whose environment stays readable.
RUN_MARK = "ET_TEST_STOPPED_RUN"


def is_s3_server(cmdline: str) -> bool:
    return "local_services s3 serve" in cmdline


def is_redis_server(process: psutil.Process) -> bool:
    return process.name() == "redis-server"


def is_celery_worker(cmdline: str) -> bool:
    return "celery" in cmdline and " worker" in cmdline


def servers_up(processes: list[psutil.Process]) -> bool:
    """Each xdist worker's S3 and Redis servers, those of the command, and a
    Celery worker."""
    s3, redis, celery = 0, 0, 0
    for process in processes:
        try:
            cmdline = " ".join(process.cmdline())
            s3 += is_s3_server(cmdline)
            redis += is_redis_server(process)
            celery += is_celery_worker(cmdline)
        except psutil.Error:
            pass
    return s3 >= 3 and redis >= 3 and celery >= 1


def tree(process: psutil.Process) -> list[psutil.Process]:
    try:
        return [process, *process.children(recursive=True)]
    except psutil.Error:
        return []


def listening_ports(processes: list[psutil.Process]) -> set[int]:
    ports = set()
    for process in processes:
        try:
            connections = process.net_connections(kind="inet")
        except psutil.Error:
            continue
        ports |= {c.laddr.port for c in connections if c.status == psutil.CONN_LISTEN}
    return ports


def is_running(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def marked(mark: str) -> list[psutil.Process]:
    """The processes on this machine whose environment holds mark."""
    found = []
    for process in psutil.process_iter():
        try:
            if process.environ().get(RUN_MARK) == mark and is_running(process):
                found.append(process)
        except psutil.Error:
            pass
    return found


def describe(processes) -> str:
    lines = []
    for process in processes:
        try:
            lines.append(f"{process.pid} {' '.join(process.cmdline())[:160]}")
        except psutil.Error:
            lines.append(f"{process.pid} (gone)")
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("target", "signum"),
    [("make", signal.SIGTERM), ("pytest", signal.SIGINT)],
    ids=["SIGTERM to make", "SIGINT to pytest"],
)
def test_a_run_stopped_with_its_servers_up_leaves_nothing_running(
    target, signum, tmp_path
):
    clone = fresh_clone(tmp_path / "clone")
    mark = uuid.uuid4().hex
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in OUTER_RUN_VARIABLES and not name.startswith("PYTEST_XDIST")
    }
    env[RUN_MARK] = mark
    log_path = tmp_path / "make-test.log"
    with log_path.open("w") as log:
        # -o: the clone's .venv is the tests' own, and the Debian packages
        # are there or the tests that need them skip.
        make = subprocess.Popen(
            ["make", "-o", "setup", "-o", "browser", "-o", "postgresql"]
            + [
                "-o",
                "redis-server",
                "test",
                "TEST_WORKERS=2",
                f"ARGS={' '.join(TESTS)}",
            ],
            cwd=clone,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        make_process = psutil.Process(make.pid)
        deadline = time.monotonic() + UP_WITHIN_SECONDS
        while not servers_up(tree(make_process)[1:]):
            assert make.poll() is None, (
                f"make test ended first:\n{log_path.read_text()}"
            )
            assert time.monotonic() < deadline, (
                f"The servers were not all up in {UP_WITHIN_SECONDS} s:\n"
                f"{describe(tree(make_process))}\n{log_path.read_text()}"
            )
            time.sleep(0.2)
        run = tree(make_process)
        ports = listening_ports(run)
        pytest_process = make_process.children()[0]

        (make_process if target == "make" else pytest_process).send_signal(signum)
        deadline = time.monotonic() + STOPPED_WITHIN_SECONDS
        left, listened = run, ports
        while time.monotonic() < deadline:
            make.poll()
            left = [p for p in run if is_running(p)] + marked(mark)
            listened = {
                port for port in ports if accepts_connections("127.0.0.1", port)
            }
            if not left and not listened:
                break
            time.sleep(0.1)
    finally:
        # Whatever the outcome, this test leaves nothing running either.
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGKILL)
            make.wait(10)
        for process in tree(make_process) + marked(mark):
            process.kill()

    assert left == [], f"Still running:\n{describe(left)}"
    assert listened == set()
    # Stopped, not finished: pytest's exit code 2, interrupted, as make saw it.
    assert re.search(
        r"make: \*\*\* \[Makefile:\d+: test\] Error 2$", log_path.read_text(), re.M
    )
    assert make.returncode != 0
