"""The site in a server process of a test's own, logging to a file: Django's
threaded `runserver`, or gunicorn with worker processes, as it is deployed."""

import os
import subprocess
import sys
import urllib.error
import urllib.request
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest

from local_services import background
from local_services.ports import free_port
from tests.conftest import REPO_ROOT

# Each access log line starts with the pid of the worker that served it,
# as gunicorn writes it: <1234>.
GUNICORN_ACCESS_FORMAT = '%(p)s "%(r)s" %(s)s'


def server_command(server: str, port: int, workers: int) -> list[str]:
    if server == "runserver":
        return [
            sys.executable,
            "manage.py",
            "runserver",
            "--noreload",
            f"127.0.0.1:{port}",
        ]
    if server == "gunicorn":
        return [
            sys.executable, "-m", "gunicorn", "et_issue_example.wsgi",
            # make serve's settings: its worker class and timeouts.
            "--config", "python:et_issue_example.gunicorn_config",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
            "--timeout", "120", "--access-logfile", "-",
            "--access-logformat", GUNICORN_ACCESS_FORMAT,
            # Its control socket is one path per user: servers side by side clash.
            "--no-control-socket",
        ]  # fmt: skip
    raise ValueError(server)


@contextmanager
def running_site(
    env, log_path, server="runserver", workers=4, counts_path=None, gunicorn_args=()
):
    """Yield the URL of the site served with env; its output goes to log_path.

    server: "runserver" (threaded) or "gunicorn" (that many worker processes,
    all booted before the URL is yielded), with make serve's settings and
    gunicorn_args after them.

    With counts_path, runserver runs as the reproduction runs it, through
    measurement.probes.counting_manage, which writes each request's counts there.
    """
    port = free_port()
    command = server_command(server, port, workers) + list(gunicorn_args)
    if counts_path is not None:
        assert server == "runserver", "counts_path is for runserver"
        command = [
            sys.executable, "-m", "measurement.probes.counting_manage", str(counts_path),
            *command[2:],
        ]  # fmt: skip
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(
            process,
            url,
            log_path,
            ready=lambda: server != "gunicorn" or workers_booted(log_path) >= workers,
        )
        yield url
    finally:
        process.terminate()
        process.wait(10)


class SiteDidNotStart(Exception):
    pass


def wait_until_serving(process, url, log_path, ready=lambda: True, timeout_seconds=30):
    """Return once the site at url answers and ready() holds; fail the test
    with the server's log if it exits or does not answer in time."""
    port = urlsplit(url).port
    try:
        background.wait_until_answers(
            process,
            lambda: answers(url) and ready(),
            name="site",
            where=url,
            log_path=log_path,
            port=port,
            timeout_seconds=timeout_seconds,
            error=SiteDidNotStart,
        )
    except SiteDidNotStart as error:
        pytest.fail(f"{error}\n{log_path.read_text()}")


def answers(url) -> bool:
    try:
        # The login page needs neither photos nor the storage.
        urllib.request.urlopen(f"{url}/admin/login/", timeout=2).close()
    except OSError:  # refused, reset or timed out: not serving yet
        return False
    return True


def workers_booted(log_path) -> int:
    return log_path.read_text().count("Booting worker with pid")


def served_by(log_path, path="/") -> list[int]:
    """The pids of the gunicorn workers that answered GET path, in order."""
    pids = []
    for line in log_path.read_text().splitlines():
        pid, _, request = line.partition(" ")
        pid = pid.strip("<>")
        if pid.isdigit() and request.startswith(f'"GET {path} '):
            pids.append(int(pid))
    return pids


def get(url, timeout=60):
    """(status, body) of a GET, errors included."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read().decode()
