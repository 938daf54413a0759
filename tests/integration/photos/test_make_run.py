"""`make run PORT=... S3_PORT=...`: the site and its local S3 server on the ports given."""

import os
import signal
import subprocess

import pytest

from local_services import S3Server
from local_services.ports import free_port
from local_services.s3 import server_info
from tests.fresh_clone import fresh_clone
from tests.site_process import get, wait_until_serving

# make run starts the site and an S3 server.
pytestmark = pytest.mark.server

# What a newcomer's shell has: none of the settings the test run sets itself.
TEST_RUN_VARIABLES = (
    "AWS_S3_ENDPOINT_URL",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "DATABASE_URL",
    "PORT",
    "S3_PORT",
)


def test_make_run_serves_the_site_on_the_s3_server_of_the_port_given(tmp_path):
    clone = fresh_clone(tmp_path / "clone")
    port, s3_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if k not in TEST_RUN_VARIABLES}
    log_path = tmp_path / "make-run.log"
    with log_path.open("w") as log:
        # -o setup: the clone's .venv is the tests' own, already set up.
        make = subprocess.Popen(
            ["make", "-o", "setup", "run", f"PORT={port}", f"S3_PORT={s3_port}"],
            cwd=clone,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_serving(make, url, log_path, timeout_seconds=90)
        status, html = get(f"{url}/", timeout=10)
        s3 = server_info(f"http://127.0.0.1:{s3_port}")
    finally:
        os.killpg(make.pid, signal.SIGTERM)
        make.wait(30)
        S3Server(clone / "var" / "s3", s3_port).stop()

    assert status == 200
    assert (
        f"0 photos, 9 aliases each, on S3 at http://127.0.0.1:{s3_port}, "
        "bucket et-issue-example." in html
    )
    assert s3["data_dir"] == str(clone / "var" / "s3")
    assert (
        f"Started local S3 server on http://127.0.0.1:{s3_port}, bucket "
        "et-issue-example created, network loopback (not shaped)."
        in log_path.read_text()
    )
