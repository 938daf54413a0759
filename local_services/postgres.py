"""Make, start, stop and look at a PostgreSQL server with a data folder of its own.

The folder holds the cluster (pgdata/), the server's log and socket, and the
superuser's password; the server listens on loopback only. PostgreSQL's
programs refuse to run as root: as root they run as the `postgres` account
that Debian's package creates, and the folder is given to it.
"""

import glob
import os
import pwd
import re
import secrets
import shutil
import subprocess
from pathlib import Path

import psutil
import psycopg
from psycopg import sql

from . import DEFAULT_HOST

SUPERUSER = "postgres"
SERVER_ACCOUNT = "postgres"
START_TIMEOUT_SECONDS = 60
STOP_TIMEOUT_SECONDS = 60
CONNECT_TIMEOUT_SECONDS = 5
INSTALL_HINT = (
    "install Debian's postgresql package (make postgresql does, as root or "
    "through sudo)"
)


class LocalPostgresError(Exception):
    pass


def cluster_dir(data_dir: Path) -> Path:
    return data_dir / "pgdata"


def log_path(data_dir: Path) -> Path:
    return data_dir / "server.log"


def password_path(data_dir: Path) -> Path:
    return data_dir / "password"


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
    raise LocalPostgresError(
        f"PostgreSQL's server programs (initdb, pg_ctl) are not installed: {INSTALL_HINT}."
    )


def server_account() -> dict:
    """subprocess arguments that run PostgreSQL's programs as a user they accept."""
    if os.geteuid() != 0:
        return {}
    try:
        account = pwd.getpwnam(SERVER_ACCOUNT)
    except KeyError:
        raise LocalPostgresError(
            f"PostgreSQL refuses to run as root and there is no {SERVER_ACCOUNT} "
            f"user to run it as: {INSTALL_HINT}, or run as another user."
        ) from None
    return {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}


def run_program(
    data_dir: Path, program: str, *args: str
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(bin_dir() / program), *args],
        # The server's account may not be allowed into the caller's folder.
        cwd=data_dir,
        capture_output=True,
        text=True,
        check=False,
        **server_account(),
    )


def give_to_server_account(path: Path) -> None:
    account = server_account()
    if account:
        os.chown(path, account["user"], account["group"])


def initialise(data_dir: Path, durable: bool = True) -> bool:
    """Make the cluster unless it exists; return whether it was made.

    durable=False turns off fsync: for servers that live as long as one test
    session, where a crash loses nothing worth keeping.
    """
    cluster = cluster_dir(data_dir)
    if (cluster / "PG_VERSION").exists():
        return False
    data_dir.mkdir(parents=True, exist_ok=True)
    give_to_server_account(data_dir)
    password = password_path(data_dir)
    password.touch(mode=0o600)
    password.write_text(secrets.token_urlsafe(24) + "\n")
    give_to_server_account(password)
    result = run_program(
        data_dir,
        "initdb",
        "--pgdata", str(cluster),
        "--username", SUPERUSER,
        "--pwfile", str(password),
        "--auth", "scram-sha-256",
        "--encoding", "UTF8",
        "--no-locale",
        *([] if durable else ["--no-sync"]),
    )  # fmt: skip
    if result.returncode:
        raise LocalPostgresError(
            f"initdb could not make a cluster in {cluster}: {last_line(result.stderr)}"
            + (
                f" ({SERVER_ACCOUNT} needs to reach that folder)"
                if server_account()
                else ""
            )
        )
    settings = [
        f"listen_addresses = '{DEFAULT_HOST}'",
        f"unix_socket_directories = '{quoted(data_dir.resolve())}'",
    ]
    if not durable:
        settings += [
            "fsync = off",
            "synchronous_commit = off",
            "full_page_writes = off",
        ]
    with open(cluster / "postgresql.conf", "a") as conf:
        conf.write("\n# local_postgres\n" + "\n".join(settings) + "\n")
    return True


def quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


def running_port(data_dir: Path) -> int | None:
    """The port of the server running on this data folder, if one runs."""
    try:
        lines = (cluster_dir(data_dir) / "postmaster.pid").read_text().splitlines()
        pid, port = int(lines[0]), int(lines[3])
        if "postgres" not in psutil.Process(pid).name():
            return None  # a stale pid file, reused pid
    except (OSError, ValueError, IndexError, psutil.Error):
        return None
    return port


def start(data_dir: Path, port: int, durable: bool = True) -> tuple[int, bool]:
    """Start the server unless it runs; return its port and whether it was started."""
    initialise(data_dir, durable)
    running = running_port(data_dir)
    if running is not None:
        return running, False
    log = log_path(data_dir)
    result = run_program(
        data_dir,
        "pg_ctl", "start",
        "--pgdata", str(cluster_dir(data_dir)),
        "--log", str(log),
        "--wait", "--timeout", str(START_TIMEOUT_SECONDS),
        "-o", f"-p {int(port)}",
    )  # fmt: skip
    if result.returncode:
        raise LocalPostgresError(
            f"PostgreSQL did not start on port {port}; see {log} "
            "(is the port taken by another program?)."
        )
    return port, True


def stop(data_dir: Path) -> bool:
    """Stop the server of this data folder; return whether one ran."""
    if running_port(data_dir) is None:
        return False
    result = run_program(
        data_dir,
        "pg_ctl", "stop",
        "--pgdata", str(cluster_dir(data_dir)),
        "--mode", "fast",
        "--wait", "--timeout", str(STOP_TIMEOUT_SECONDS),
    )  # fmt: skip
    if result.returncode:
        raise LocalPostgresError(
            f"PostgreSQL on {data_dir} did not stop: {last_line(result.stderr)}"
        )
    return True


def password(data_dir: Path) -> str:
    try:
        return password_path(data_dir).read_text().strip()
    except OSError:
        raise LocalPostgresError(
            f"{data_dir} has no PostgreSQL cluster: start one with "
            f"python -m local_postgres start --data-dir {data_dir}"
        ) from None


def database_url(data_dir: Path, port: int, name: str) -> str:
    """The DATABASE_URL of database name on this server."""
    return f"postgres://{SUPERUSER}:{password(data_dir)}@{DEFAULT_HOST}:{port}/{name}"


def connect(data_dir: Path, port: int, name: str = "postgres") -> psycopg.Connection:
    try:
        return psycopg.connect(
            host=DEFAULT_HOST,
            port=port,
            user=SUPERUSER,
            password=password(data_dir),
            dbname=name,
            autocommit=True,
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
        )
    except psycopg.OperationalError as error:
        raise LocalPostgresError(
            f"PostgreSQL on {DEFAULT_HOST}:{port} does not answer: {last_line(str(error))}"
        ) from None


def create_database(data_dir: Path, port: int, name: str) -> bool:
    """Create database name unless it exists; return whether it was created."""
    with connect(data_dir, port) as connection:
        if connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone():
            return False
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return True


def server_version(data_dir: Path, port: int) -> str:
    """The server's version, e.g. "15.14"."""
    with connect(data_dir, port) as connection:
        return connection.execute("SHOW server_version").fetchone()[0].split()[0]
