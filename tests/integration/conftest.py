from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
# The fixtures that give a test a server: the tests' S3 or Redis, a database
# of its own for a site process, a site process, Django's live server.
SERVER_FIXTURES = {
    "bucket",
    "broker",
    "site_database_url",
    "site_env",
    "site_server",
    "live_server",
}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark `server` each integration test that asks for a server, before
    -m selects (make test-quick leaves them out). A module whose tests start
    one otherwise says so in its pytestmark."""
    for item in items:
        if HERE in item.path.parents and SERVER_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.server)
