"""python -m local_postgres start|stop|status|createdb: the project's local PostgreSQL."""

import argparse
import sys
from pathlib import Path

from . import DEFAULT_DATA_DIR, DEFAULT_DATABASE, DEFAULT_HOST, DEFAULT_PORT, control


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m local_postgres",
        description="Run a PostgreSQL server of the project's own: its own data "
        "folder, listening on loopback only.",
    )
    parser.add_argument(
        "command",
        choices=["start", "stop", "status", "createdb"],
        help="start: make the cluster if needed, start the server in the background "
        "if not running, create the database and print its DATABASE_URL; stop: stop "
        "it; status: say whether it answers; createdb: create the database.",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"Port to start on (default {DEFAULT_PORT}).",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path(DEFAULT_DATA_DIR),
        help=f"Where the cluster, its log and password are kept (default {DEFAULT_DATA_DIR}).",
    )
    parser.add_argument(
        "--database",
        default=DEFAULT_DATABASE,
        help=f"Database that start and createdb create (default {DEFAULT_DATABASE}).",
    )
    args = parser.parse_args(argv)
    # Absolute: the server runs in its data folder, not here.
    data_dir = args.data_dir.resolve()

    try:
        if args.command == "start":
            port, started = control.start(data_dir, args.port)
            created = control.create_database(data_dir, port, args.database)
            state = "Started" if started else "Already running:"
            version = control.server_version(data_dir, port)
            print(
                f"{state} PostgreSQL {version} on {DEFAULT_HOST}:{port}, database "
                f"{args.database} {'created' if created else 'exists'}. For the site:\n"
                f"export DATABASE_URL={control.database_url(data_dir, port, args.database)}"
            )
        elif args.command == "stop":
            if control.stop(data_dir):
                print(f"Stopped PostgreSQL; its data kept in {args.data_dir}.")
            else:
                print("The local PostgreSQL was not running.")
        elif args.command == "status":
            port = control.running_port(data_dir)
            if port is None:
                print(f"Local PostgreSQL of {args.data_dir}: not running.")
                return 1
            version = control.server_version(data_dir, port)
            print(f"Local PostgreSQL {version} on {DEFAULT_HOST}:{port}: running.")
        elif args.command == "createdb":
            port = control.running_port(data_dir)
            if port is None:
                raise control.LocalPostgresError(
                    "The local PostgreSQL is not running: start it with "
                    "make postgres (or python -m local_postgres start)."
                )
            created = control.create_database(data_dir, port, args.database)
            print(
                f"Database {args.database} {'created' if created else 'exists'}: "
                f"{control.database_url(data_dir, port, args.database)}"
            )
    except control.LocalPostgresError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
