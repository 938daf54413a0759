"""python -m local_redis start|stop|status: the task queue's local Redis server."""

import argparse
import sys
from pathlib import Path

from . import DEFAULT_DATA_DIR, DEFAULT_HOST, DEFAULT_PORT, control


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m local_redis",
        description="Run Debian's redis-server as the task queue's broker, "
        "in the background, its queue kept on disk.",
    )
    parser.add_argument(
        "command",
        choices=["start", "stop", "status"],
        help="start: in the background if not running; stop: stop it; "
        "status: say whether it answers.",
    )
    parser.add_argument(
        "--host", default=DEFAULT_HOST, help=f"Address (default {DEFAULT_HOST})."
    )
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"Port (default {DEFAULT_PORT})."
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path(DEFAULT_DATA_DIR),
        help=f"Where the queue is kept between runs (default {DEFAULT_DATA_DIR}).",
    )
    args = parser.parse_args(argv)
    url = control.broker_url(args.host, args.port)

    try:
        if args.command == "start":
            url, started = control.start(args.host, args.port, args.data_dir)
            state = "Started" if started else "Already running:"
            print(f"{state} local Redis server on {url}.")
        elif args.command == "stop":
            if control.stop(args.data_dir):
                print(
                    f"Stopped the local Redis server; its queue kept in {args.data_dir}."
                )
            else:
                print("The local Redis server was not running.")
        elif args.command == "status":
            running = control.is_running(args.host, args.port)
            print(
                f"Local Redis server on {url}: {'running' if running else 'not running'}."
            )
            return 0 if running else 1
    except control.LocalRedisError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
