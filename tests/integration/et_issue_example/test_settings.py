"""Settings read from the environment: each one given as a user would, and
a wrong value named with what to give instead."""

import pytest

from tests.conftest import run_manage

SHOW_TIMEOUTS = (
    "from django.conf import settings; "
    "config = settings.AWS_S3_CLIENT_CONFIG; "
    "print(settings.DATABASES['default']['OPTIONS']['timeout'], "
    "config.connect_timeout, config.read_timeout)"
)


def test_the_timeouts_are_the_sites_own_unless_given(site_env):
    defaults = {
        **site_env,
        "SQLITE_TIMEOUT": "",
        "AWS_S3_CONNECT_TIMEOUT": "",
        "AWS_S3_READ_TIMEOUT": "",
    }
    given = {
        **site_env,
        "SQLITE_TIMEOUT": "2.5",
        "AWS_S3_CONNECT_TIMEOUT": "1",
        "AWS_S3_READ_TIMEOUT": "90",
    }

    assert run_manage("shell", "--no-imports", "-c", SHOW_TIMEOUTS, env=defaults)[
        :2
    ] == (
        "20.0 5.0 30.0\n",
        "",
    )
    assert run_manage("shell", "--no-imports", "-c", SHOW_TIMEOUTS, env=given)[:2] == (
        "2.5 1.0 90.0\n",
        "",
    )


@pytest.mark.parametrize("value", ["soon", "0", "-3"])
@pytest.mark.parametrize(
    ("name", "default"),
    [("SQLITE_TIMEOUT", 20), ("AWS_S3_READ_TIMEOUT", 30)],
)
def test_a_timeout_that_is_no_number_of_seconds_is_one_clear_message(
    site_env, name, default, value
):
    _, err, code = run_manage("check", env={**site_env, name: value})

    assert code == 1
    assert (
        f"ImproperlyConfigured: {name}={value!r}: use a number of seconds above 0, "
        f"e.g. {default}." in err
    )
