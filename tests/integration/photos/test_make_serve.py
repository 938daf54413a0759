"""`make serve`: gunicorn as deployed, with DEBUG off, a secret key of the
checkout's own, and the admin's static files."""

import os
import signal
import stat
import subprocess

import pytest

from local_services import S3Server
from local_services.ports import free_port
from tests.fresh_clone import fresh_clone
from tests.integration.photos.test_make_run import TEST_RUN_VARIABLES
from tests.site_process import get, wait_until_serving

# make serve starts the site and an S3 server.
pytestmark = pytest.mark.server


def test_make_serve_runs_with_debug_off_and_serves_the_admins_css(tmp_path):
    clone = fresh_clone(tmp_path / "clone")
    port, s3_port = free_port(), free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {*TEST_RUN_VARIABLES, "DJANGO_DEBUG", "SECRET_KEY"}
    }
    log_path = tmp_path / "make-serve.log"
    with log_path.open("w") as log:
        # -o setup: the clone's .venv is the tests' own, already set up.
        make = subprocess.Popen(
            ["make", "-o", "setup", "serve", f"PORT={port}", f"S3_PORT={s3_port}",
             "WEB_CONCURRENCY=1"],
            cwd=clone,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_serving(make, url, log_path, timeout_seconds=120)
        css_status, css = get(f"{url}/static/admin/css/base.css", timeout=10)
        missing_status, missing = get(f"{url}/no-such-page/", timeout=10)
        index_status, index = get(f"{url}/", timeout=10)
    finally:
        os.killpg(make.pid, signal.SIGTERM)
        make.wait(30)
        S3Server(clone / "var" / "s3", s3_port).stop()

    assert css_status == 200
    assert "body" in css
    # DEBUG's 404 lists the URL patterns; DEBUG off, Django's plain one.
    assert missing_status == 404
    assert "Using the URLconf" not in missing
    assert index_status == 200
    assert "djDebug" not in index
    secret_key = clone / "var" / "secret_key"
    assert len(secret_key.read_text().strip()) >= 50
    assert stat.S_IMODE(secret_key.stat().st_mode) == 0o600
