"""A server error writes its traceback to the server's log, with DEBUG off as
on, once."""

import sqlite3

import pytest

from tests.site_process import get, running_site


@pytest.mark.parametrize("server", ["gunicorn", "runserver"])
@pytest.mark.parametrize("debug", ["0", "1"])
def test_a_500_writes_its_traceback_to_the_servers_log(
    site_env, tmp_path, server, debug
):
    """A page whose database raises answers 500 and its traceback is in the log."""
    # Migrated, then the photos' table lost: the index's query raises (a
    # database never migrated is a 503 that says so instead).
    path = site_env["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        connection.execute("DROP TABLE photos_photo")
    env = {
        **site_env,
        "DJANGO_DEBUG": debug,
        "SECRET_KEY": "a-secret-key-from-the-environment-for-this-test-of-fifty-chars",
    }
    log_path = tmp_path / "server.log"
    with running_site(env, log_path, server=server, workers=1) as url:
        status, _ = get(f"{url}/")

    log = log_path.read_text()
    assert status == 500
    assert (
        log.count("Internal Server Error: /\nTraceback (most recent call last):") == 1
    )
    assert "django.db.utils.OperationalError: no such table: photos_photo" in log
