"""`python -m measurement load URL`: a fixed number of clients on a page of
this machine for a fixed time (measurement.probes.load_clients); prints one JSON dict."""

import argparse
import json

from measurement.errors import UsageError

NAME = "load"
FAILED = "Load run failed"


def add_parser(commands) -> argparse.ArgumentParser:
    parser = commands.add_parser(
        NAME,
        help="Request a page on this machine with fixed clients for fixed seconds.",
        description="Request a page on this machine with a fixed number of clients "
        "for a fixed time; print the latencies, statuses and errors as JSON.",
    )
    parser.add_argument("url", help="The page, on 127.0.0.1, localhost or ::1.")
    parser.add_argument("--clients", type=int, default=16, help="Clients (default 16).")
    parser.add_argument(
        "--seconds", type=float, default=60, help="Seconds (default 60)."
    )
    return parser


def run(args: argparse.Namespace) -> int:
    from measurement.probes import load_clients

    if args.clients < 1 or args.seconds <= 0:
        raise UsageError("--clients must be at least 1 and --seconds above 0.")
    print(
        json.dumps(
            load_clients.run_clients(args.url, args.clients, args.seconds), indent=2
        )
    )
    return 0
