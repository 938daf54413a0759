"""pytest --database: the tests, and the site processes they start, on the database asked for."""

import pytest
from django.db import connection

from tests.conftest import run_manage

pytestmark = pytest.mark.every_database

VENDORS = {"sqlite": "sqlite", "postgres": "postgresql"}


def test_the_tests_and_the_sites_processes_run_on_the_database_asked_for(
    request, db, site_env
):
    """pytest-django's test database and site_env's are on that vendor, and
    site_env's is a database of its own."""
    vendor = VENDORS[request.config.getoption("database")]

    out, err, code = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.db import connection\n"
        "print(connection.vendor, connection.settings_dict['NAME'])",
        env=site_env,
    )

    assert connection.vendor == vendor
    assert code == 0, err
    site_vendor, site_database = out.split()
    assert site_vendor == vendor
    assert site_database != str(connection.settings_dict["NAME"])
