"""The local PostgreSQL server: the real one, with a data folder and port of its own.

The folder holds the cluster (pgdata/), the server's log and socket, and the
superuser's password; the server listens on its host only. PostgreSQL's
programs refuse to run as root: as root they run as the `postgres` account
that Debian's package creates, and the folder is given to it.
"""

import contextlib
import glob
import os
import pwd
import re
import secrets
import shutil
import signal
import subprocess
from pathlib import Path

import psutil

from .server import DEFAULT_HOST, LocalServer, ServiceError

SUPERUSER = "postgres"
SERVER_ACCOUNT = "postgres"
CONNECT_TIMEOUT_SECONDS = 5
INSTALL_HINT = (
    "install Debian's postgresql package (make postgresql does, as root or "
    "through sudo)"
)


class PostgresServer(LocalServer):
    """The PostgreSQL server of a data folder, on host:port.

    Of LocalServer it takes the data folder, host and port, not the starting
    and stopping: pg_ctl starts the server in the background itself, and
    PostgreSQL's own postmaster.pid says whether, and on which port, it runs.

    durable=False turns off fsync: for servers that live as long as one test
    session, where a crash loses nothing worth keeping.
    """

    # Beside, not on, the 5432 of a PostgreSQL the machine may run already.
    DEFAULT_PORT = 5440
    DEFAULT_DATA_DIR = "var/postgres"
    DEFAULT_DATABASE = "et_issue_example"
    START_TIMEOUT_SECONDS = 60
    STOP_TIMEOUT_SECONDS = 60

    def __init__(
        self,
        data_dir: Path,
        port: int = DEFAULT_PORT,
        host: str = DEFAULT_HOST,
        durable: bool = True,
    ):
        # Absolute: the server and its programs run in the data folder.
        super().__init__(Path(data_dir).resolve(), port, host)
        self.durable = durable

    @property
    def cluster_dir(self) -> Path:
        return self.data_dir / "pgdata"

    @property
    def password_path(self) -> Path:
        return self.data_dir / "password"

    def is_running(self) -> bool:
        """Whether the server of this data folder runs."""
        return self.running_port() is not None

    def running_port(self) -> int | None:
        """The port of the server running on this data folder, if one runs."""
        postmaster = self._postmaster()
        return None if postmaster is None else postmaster[1]

    def _postmaster(self) -> tuple[psutil.Process, int] | None:
        """The server's postmaster process and port, from its postmaster.pid."""
        try:
            lines = (self.cluster_dir / "postmaster.pid").read_text().splitlines()
            process, port = psutil.Process(int(lines[0])), int(lines[3])
            if "postgres" not in process.name():
                return None  # a stale pid file, reused pid
        except (OSError, ValueError, IndexError, psutil.Error):
            return None
        return process, port

    def tell_to_stop(self) -> None:
        """Signal an immediate shutdown (SIGQUIT, as pg_ctl's immediate mode
        sends it), without waiting: for a run that stops all its servers at
        once. discard then waits for it."""
        postmaster = self._postmaster()
        if postmaster is not None:
            with contextlib.suppress(psutil.Error):
                postmaster[0].send_signal(signal.SIGQUIT)

    def _port(self) -> int:
        """The port the server runs on, else the one it would start on."""
        return self.running_port() or self.port

    def start(self) -> bool:
        """Make the cluster if needed and start the server unless it runs;
        return whether it was started now. A cluster runs on one port: when
        it runs already, on whichever, it is not started again."""
        self.initialise()
        if self.is_running():
            return False
        result = self._run(
            "pg_ctl", "start",
            "--pgdata", str(self.cluster_dir),
            "--log", str(self.log_path),
            "--wait", "--timeout", str(self.START_TIMEOUT_SECONDS),
            "-o", f"-p {int(self.port)} -h {self.host}",
        )  # fmt: skip
        if result.returncode:
            raise ServiceError(
                f"PostgreSQL did not start on port {self.port}; see {self.log_path} "
                "(is the port taken by another program?)."
            )
        return True

    def stop(self) -> bool:
        """Stop the server of this data folder; return whether one ran."""
        return self._stop("fast")

    def discard(self) -> None:
        """Stop the server and remove its data folder, for a server that
        lives as long as one run or test session. Immediately: no shutdown
        checkpoint writes out what is deleted next, which takes seconds on a
        busy disk (a Ctrl-C is to end a run in two). The folder goes even
        when the server would not stop (ServiceError, raised after)."""
        try:
            self._stop("immediate")
        finally:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def _stop(self, mode: str) -> bool:
        if not self.is_running():
            return False
        result = self._run(
            "pg_ctl", "stop",
            "--pgdata", str(self.cluster_dir),
            "--mode", mode,
            "--wait", "--timeout", str(self.STOP_TIMEOUT_SECONDS),
        )  # fmt: skip
        if result.returncode:
            raise ServiceError(
                f"PostgreSQL on {self.data_dir} did not stop: {last_line(result.stderr)}"
            )
        return True

    def initialise(self) -> bool:
        """Make the cluster unless it exists; return whether it was made."""
        cluster = self.cluster_dir
        if (cluster / "PG_VERSION").exists():
            return False
        self.data_dir.mkdir(parents=True, exist_ok=True)
        give_to_server_account(self.data_dir)
        password = self.password_path
        password.touch(mode=0o600)
        password.write_text(secrets.token_urlsafe(24) + "\n")
        give_to_server_account(password)
        result = self._run(
            "initdb",
            "--pgdata", str(cluster),
            "--username", SUPERUSER,
            "--pwfile", str(password),
            "--auth", "scram-sha-256",
            "--encoding", "UTF8",
            "--no-locale",
            *([] if self.durable else ["--no-sync"]),
        )  # fmt: skip
        if result.returncode:
            raise ServiceError(
                f"initdb could not make a cluster in {cluster}: {last_line(result.stderr)}"
                + (
                    f" ({SERVER_ACCOUNT} needs to reach that folder)"
                    if server_account()
                    else ""
                )
            )
        settings = [
            f"listen_addresses = '{quoted(self.host)}'",
            f"unix_socket_directories = '{quoted(str(self.data_dir))}'",
        ]
        if not self.durable:
            settings += [
                "fsync = off",
                "synchronous_commit = off",
                "full_page_writes = off",
            ]
        with open(cluster / "postgresql.conf", "a") as conf:
            conf.write("\n# local_services\n" + "\n".join(settings) + "\n")
        return True

    def password(self) -> str:
        try:
            return self.password_path.read_text().strip()
        except OSError:
            raise ServiceError(
                f"{self.data_dir} has no PostgreSQL cluster: start one with "
                f"python -m local_services postgres start --data-dir {self.data_dir}"
            ) from None

    def database_url(self, name: str) -> str:
        """The DATABASE_URL of database name on this server."""
        return (
            f"postgres://{SUPERUSER}:{self.password()}@{self.host}:{self._port()}"
            f"/{name}"
        )

    def connect(self, name: str = "postgres"):
        """A psycopg connection, in autocommit, to database name as the superuser."""
        # Here, not at the top: the site imports this package for its S3
        # endpoint, and a site on SQLite keeps psycopg out of its memory.
        import psycopg

        port = self._port()
        try:
            return psycopg.connect(
                host=self.host,
                port=port,
                user=SUPERUSER,
                password=self.password(),
                dbname=name,
                autocommit=True,
                connect_timeout=CONNECT_TIMEOUT_SECONDS,
            )
        except psycopg.OperationalError as error:
            raise ServiceError(
                f"PostgreSQL on {self.host}:{port} does not answer: {last_line(str(error))}"
            ) from None

    def create_database(self, name: str) -> bool:
        """Create database name unless it exists; return whether it was created."""
        from psycopg import sql  # here, as in connect

        with self.connect() as connection:
            if connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone():
                return False
            connection.execute(
                sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
            )
        return True

    def version(self) -> str:
        """The server's version, e.g. "15.18"."""
        with self.connect() as connection:
            return connection.execute("SHOW server_version").fetchone()[0].split()[0]

    def _run(self, program: str, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(bin_dir() / program), *args],
            # The server's account may not be allowed into the caller's folder.
            cwd=self.data_dir,
            capture_output=True,
            text=True,
            check=False,
            **server_account(),
        )


def bin_dir() -> Path:
    """The folder of initdb and pg_ctl: on PATH, or Debian's newest PostgreSQL."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).resolve().parent
    debian = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: [int(n) for n in re.findall(r"\d+", path)],
    )
    if debian:
        return Path(debian[-1]).parent
    raise ServiceError(
        f"PostgreSQL's server programs (initdb, pg_ctl) are not installed: {INSTALL_HINT}."
    )


def server_account() -> dict:
    """subprocess arguments that run PostgreSQL's programs as a user they accept."""
    if os.geteuid() != 0:
        return {}
    try:
        account = pwd.getpwnam(SERVER_ACCOUNT)
    except KeyError:
        raise ServiceError(
            f"PostgreSQL refuses to run as root and there is no {SERVER_ACCOUNT} "
            f"user to run it as: {INSTALL_HINT}, or run as another user."
        ) from None
    return {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}


def give_to_server_account(path: Path) -> None:
    account = server_account()
    if account:
        os.chown(path, account["user"], account["group"])


def quoted(value: str) -> str:
    """value inside single quotes of postgresql.conf."""
    return value.replace("'", "''")


def last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no message"
