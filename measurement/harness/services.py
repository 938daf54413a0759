"""A run's own servers: an S3 server, a database and a task queue's broker,
each on a free port with a data folder of its own, stopped when the run ends,
so a run never touches the site's own photos, rows or queue."""

import contextlib
import shutil
import sqlite3
import tempfile
from pathlib import Path

from local_services import PostgresServer, RedisServer, S3Server, ServiceError
from local_services.ports import free_port
from local_services.s3 import set_network
from measurement.harness import interrupt
from measurement.harness.run import ScenarioFailed

BUCKET = "et-issue-example-reproduce"
DATABASE = "reproduce"
S3_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


def warn(say, error: Exception) -> None:
    say(f"Warning: {error}")


@contextlib.contextmanager
def running(server, what: str, say):
    """server started, and stopped with its data folder removed however the
    block ends; what names it in the line that says it starts."""
    say(f"Starting {what} of its own on port {server.port} ...")
    try:
        try:
            server.start()
        except ServiceError as error:
            raise ScenarioFailed(str(error)) from None
        yield server
    finally:
        try:
            server.stop()
        except ServiceError as error:
            warn(say, error)
        shutil.rmtree(server.data_dir, ignore_errors=True)


@contextlib.contextmanager
def s3_server(say, network: str = "loopback"):
    """A local S3 server of the run's own, its bucket made, answering as the
    network profile of that name; yields its endpoint."""
    data_dir = Path(tempfile.mkdtemp(prefix="reproduce-s3-"))
    with (
        running(S3Server(data_dir, free_port()), "a local S3 server", say) as server,
        interrupt.stopped_at_once(server),
    ):
        try:
            server.ensure_bucket(BUCKET)
        except ServiceError as error:
            raise ScenarioFailed(str(error)) from None
        # After the bucket: the run's own set-up is not what is measured.
        set_network(server.url, network)
        yield server.url


class Database:
    """The run's own database: a SQLite file in the run's folder, or a
    database on a PostgreSQL server started for the run and stopped after."""

    def __init__(self, vendor: str, run_dir: Path):
        self.vendor = vendor
        self.run_dir = run_dir
        self.server: PostgresServer | None = None

    def start(self, say) -> str:
        """Start what the database needs; return its DATABASE_URL."""
        if self.vendor == "sqlite":
            return f"sqlite:///{self.run_dir / 'db.sqlite3'}"
        self.server = PostgresServer(
            Path(tempfile.mkdtemp(prefix="reproduce-postgres-")), free_port()
        )
        say(f"Starting a PostgreSQL server of its own on port {self.server.port} ...")
        try:
            self.server.start()
            self.server.create_database(DATABASE)
            return self.server.database_url(DATABASE)
        except ServiceError as error:
            raise ScenarioFailed(str(error)) from None

    def metadata(self) -> dict:
        if self.server is None:
            return {"vendor": "sqlite", "version": sqlite3.sqlite_version}
        try:
            return {"vendor": "postgresql", "version": self.server.version()}
        except ServiceError as error:
            raise ScenarioFailed(str(error)) from None

    def stop(self, say) -> None:
        if self.server is None:
            return
        try:
            self.server.discard()
        except ServiceError as error:
            warn(say, error)


@contextlib.contextmanager
def broker(say):
    """A Redis server of the run's own; yields it (its URL is .url).

    Not stopped at once on Ctrl-C (interrupt): the Celery workers stop
    first, and a worker whose broker went away would spend its stop
    reconnecting to it."""
    data_dir = Path(tempfile.mkdtemp(prefix="reproduce-redis-"))
    with running(RedisServer(data_dir, free_port()), "a Redis server", say) as server:
        yield server
