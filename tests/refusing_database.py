"""A test's database refusing writes, as it does for real.

On SQLite another process holds its write lock, so every write waits out
the timeout and fails; on PostgreSQL (make test-postgres) the database is
made read-only, as a standby is.
"""

import sqlite3
from contextlib import contextmanager
from urllib.parse import urlsplit

# The environment of a process that gives up on SQLite's write lock after 1 s,
# not the site's 20: the refusal is the same, and a test does not wait it out.
GIVES_UP_SOON = {"SQLITE_TIMEOUT": "1"}


@contextmanager
def database_refusing_writes(database_url: str):
    """The database behind database_url refuses every write meanwhile."""
    if database_url.startswith("sqlite:///"):
        holder = sqlite3.connect(
            database_url[len("sqlite:///") :], isolation_level=None
        )
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    import psycopg

    url = urlsplit(database_url)
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(
            f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'
        )
        try:
            yield
        finally:
            connection.execute(
                f'ALTER DATABASE "{name}" SET default_transaction_read_only = off'
            )


def database_failure(database_url: str) -> str:
    """How the command names database_url and its refusal."""
    if database_url.startswith("sqlite:///"):
        path = database_url[len("sqlite:///") :]
        return f"The database {path} failed: OperationalError: database is locked."
    url = urlsplit(database_url)
    return (
        f"The database {url.path.lstrip('/')} on {url.hostname}:{url.port} failed: "
        "InternalError: cannot execute INSERT in a read-only transaction."
    )
