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

    With counts_path, each request's queries and S3 requests are counted in
    the server's process and written there (measurement.counting_manage).
    """
    port = free_port()
    if counts_path is None:
        program = ["manage.py"]
    else:
        program = ["-m", "measurement.counting_manage", str(counts_path)]
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                *program,
                "runserver",
                "--noreload",
                f"127.0.0.1:{port}",
            ],
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
