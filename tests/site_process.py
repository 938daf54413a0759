"""The site in a `manage.py runserver` process of a test's own, logging to a file."""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager

from tests.conftest import REPO_ROOT, free_port


@contextmanager
def running_site(env, log_path, counts_path=None):
    """Yield the URL of a threaded runserver with env; its output goes to log_path.

    With counts_path, the server runs as the reproduction runs it, through
    measurement.counting_manage, which writes each request's counts there.
    """
    port = free_port()
    runserver = ["runserver", "--noreload", f"127.0.0.1:{port}"]
    if counts_path is None:
        command = [sys.executable, "manage.py", *runserver]
    else:
        command = [
            sys.executable, "-m", "measurement.counting_manage", str(counts_path),
            *runserver,
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
        deadline = time.monotonic() + 30
        while True:
            try:
                # The login page needs neither photos nor the storage.
                urllib.request.urlopen(f"{url}/admin/login/", timeout=2).close()
                break
            except (urllib.error.URLError, ConnectionError):
                assert process.poll() is None, log_path.read_text()
                assert time.monotonic() < deadline, log_path.read_text()
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(10)


def get(url, timeout=60):
    """(status, body) of a GET, errors included."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read().decode()
