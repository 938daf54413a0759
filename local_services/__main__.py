"""python -m local_services SERVICE COMMAND [options]: the project's local servers.

Every SERVICE (s3, postgres, redis) takes start, stop and status, and the
options --host, --port and --data-dir; status exits 1 when the server does
not run. s3 also takes serve (in the foreground), --bucket and --network
(the network profile it answers as, local_services/s3/network.py), postgres
createdb and --database. site-port PORT exits 1, saying why, when browsers
refuse PORT (make run and make serve ask it first).
"""

import argparse
import os
import sys
from pathlib import Path

from . import PostgresServer, RedisServer, S3Server, ServiceError
from .browser_ports import refuse_bad_port
from .s3 import server_info, set_network, stop_command
from .s3.network import PROFILES
from .server import DEFAULT_HOST

STARTED = {True: "Started", False: "Already running:"}
CREATED = {True: "created", False: "exists"}


def s3(args) -> int:
    server = S3Server(args.data_dir, args.port, args.host)
    if args.command in ("start", "serve"):
        # The site's pages load the photos from this port.
        refuse_bad_port(args.port, "S3_PORT")
    if args.command == "serve":
        # Only the server's own process loads moto.
        from .s3.app import serve

        serve(args.host, args.port, args.data_dir, PROFILES[args.network])
    elif args.command == "start":
        started = server.start()
        created = server.ensure_bucket(
            args.bucket,
            os.environ.get("AWS_ACCESS_KEY_ID", "testing"),
            os.environ.get("AWS_SECRET_ACCESS_KEY", "testing"),
        )
        # A server already running takes the profile too: make run
        # NETWORK=... changes the network without a restart.
        network = set_network(server.url, args.network)
        print(
            f"{STARTED[started]} local S3 server on {server.url}, bucket "
            f"{args.bucket} {CREATED[created]}, {network_text(network)}."
        )
    elif args.command == "stop":
        if server.stop():
            print(f"Stopped the local S3 server; objects kept in {args.data_dir}.")
        else:
            print(f"The local S3 server of {args.data_dir} was not running.")
            other = server_info(server.url)
            if other is not None:
                print(
                    f"The one on {server.url} keeps its data in {other['data_dir']}: "
                    f"stop it with `{stop_command(other['data_dir'])}`."
                )
    elif args.command == "status":
        return status(server.is_running(), f"Local S3 server on {server.url}")
    return 0


def network_text(network: dict) -> str:
    """The network a server answers as, in a few words."""
    if not network["simulated"]:
        return f"network {network['profile']} (not shaped)"
    return (
        f"network {network['profile']} simulated: {network['latency_seconds'] * 1000:g} "
        f"ms first byte, {rate_text(network['download_bytes_per_second'])} down, "
        f"{rate_text(network['upload_bytes_per_second'])} up"
    )


def rate_text(bytes_per_second: float | None) -> str:
    if bytes_per_second is None:
        return "unlimited"
    return f"{bytes_per_second * 8 / 1_000_000:g} Mbit/s"


def postgres(args) -> int:
    server = PostgresServer(args.data_dir, args.port, args.host)
    if args.command == "start":
        started = server.start()
        created = server.create_database(args.database)
        print(
            f"{STARTED[started]} PostgreSQL {server.version()} on {server.host}:"
            f"{server.running_port()}, database {args.database} {CREATED[created]}. "
            f"For the site:\nexport DATABASE_URL={server.database_url(args.database)}"
        )
    elif args.command == "stop":
        if server.stop():
            print(f"Stopped PostgreSQL; its data kept in {args.data_dir}.")
        else:
            print("The local PostgreSQL was not running.")
    elif args.command == "status":
        port = server.running_port()
        if port is None:
            return status(False, f"Local PostgreSQL of {args.data_dir}")
        return status(
            True, f"Local PostgreSQL {server.version()} on {server.host}:{port}"
        )
    elif args.command == "createdb":
        if not server.is_running():
            raise ServiceError(
                "The local PostgreSQL is not running: start it with "
                "make postgres (or python -m local_services postgres start)."
            )
        created = server.create_database(args.database)
        print(
            f"Database {args.database} {CREATED[created]}: "
            f"{server.database_url(args.database)}"
        )
    return 0


def redis(args) -> int:
    server = RedisServer(args.data_dir, args.port, args.host)
    if args.command == "start":
        started = server.start()
        print(f"{STARTED[started]} local Redis server on {server.url}.")
    elif args.command == "stop":
        if server.stop():
            print(f"Stopped the local Redis server; its queue kept in {args.data_dir}.")
        else:
            print("The local Redis server was not running.")
    elif args.command == "status":
        return status(server.is_running(), f"Local Redis server on {server.url}")
    return 0


def site_port(args) -> int:
    """Refuse, before the site starts, a port browsers would not load it from."""
    refuse_bad_port(args.port, args.variable)
    return 0


def status(running: bool, server: str) -> int:
    """Say in one line whether the server runs; the exit code says it too."""
    print(f"{server}: {'running' if running else 'not running'}.")
    return 0 if running else 1


def service_parser(services, name, server, *, description, commands, data_help):
    """The parser of one service: its commands, and the options all share."""
    parser = services.add_parser(name, help=description, description=description)
    parser.add_argument(
        "command",
        choices=list(commands),
        help="; ".join(f"{command}: {does}" for command, does in commands.items())
        + ".",
    )
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"Address to serve (default {DEFAULT_HOST}).",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=server.DEFAULT_PORT,
        help=f"Port to serve (default {server.DEFAULT_PORT}).",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path(server.DEFAULT_DATA_DIR),
        help=f"{data_help} (default {server.DEFAULT_DATA_DIR}).",
    )
    return parser


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m local_services",
        description="Start, stop and look at the project's local servers, each "
        "a real server on this machine with a data folder of its own.",
    )
    services = parser.add_subparsers(dest="service", required=True, metavar="SERVICE")
    s3_parser = service_parser(
        services,
        "s3",
        S3Server,
        description="moto's S3 server as its own process, objects kept on disk.",
        commands={
            "start": "in the background if not running, and create the bucket",
            "stop": "stop it",
            "status": "say whether it answers",
            "serve": "run in the foreground",
        },
        data_help="Where objects are kept between runs",
    )
    s3_parser.add_argument(
        "--bucket",
        default=os.environ.get("AWS_STORAGE_BUCKET_NAME", "et-issue-example"),
        help="Bucket that start creates (default $AWS_STORAGE_BUCKET_NAME).",
    )
    s3_parser.add_argument(
        "--network",
        choices=list(PROFILES),
        default="loopback",
        help="The network the server answers as: a first-byte latency and "
        "bandwidths, simulated by the server (default loopback: not shaped).",
    )
    service_parser(
        services,
        "postgres",
        PostgresServer,
        description="A PostgreSQL server of the project's own: its own data "
        "folder, listening on its host only.",
        commands={
            "start": "make the cluster if needed, start the server in the "
            "background if not running, create the database and print its "
            "DATABASE_URL",
            "stop": "stop it",
            "status": "say whether it answers",
            "createdb": "create the database",
        },
        data_help="Where the cluster, its log and password are kept",
    ).add_argument(
        "--database",
        default=PostgresServer.DEFAULT_DATABASE,
        help="Database that start and createdb create "
        f"(default {PostgresServer.DEFAULT_DATABASE}).",
    )
    service_parser(
        services,
        "redis",
        RedisServer,
        description="Debian's redis-server as the task queue's broker, in the "
        "background, its queue kept on disk.",
        commands={
            "start": "in the background if not running",
            "stop": "stop it",
            "status": "say whether it answers",
        },
        data_help="Where the queue is kept between runs",
    )
    site = services.add_parser(
        "site-port",
        help="exit 1, saying why, if browsers refuse the port (make run and serve)",
        description="Refuse a port that browsers will not load pages from.",
    )
    site.add_argument("port", type=int, help="The port the site is to serve.")
    site.add_argument(
        "--variable",
        default="PORT",
        help="The make variable that sets it, named in the message (default PORT).",
    )
    args = parser.parse_args(argv)
    commands = {"s3": s3, "postgres": postgres, "redis": redis, "site-port": site_port}
    try:
        return commands[args.service](args)
    except ServiceError as error:
        print(error, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
