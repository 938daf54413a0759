"""python -m local_s3 start|stop|status|serve: the project's local S3 server."""

import argparse
import os
import sys
from pathlib import Path

from . import DEFAULT_DATA_DIR, DEFAULT_HOST, DEFAULT_PORT, control


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m local_s3",
        description="Run moto's S3 server as its own process, objects kept on disk.",
    )
    parser.add_argument(
        "command",
        choices=["start", "stop", "status", "serve"],
        help="start: in the background if not running, and create the bucket; "
        "stop: stop it; status: say whether it answers; serve: run in the foreground.",
    )
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"Address to serve (default {DEFAULT_HOST}).",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"Port to serve; the Makefile's S3_PORT (default {DEFAULT_PORT}).",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path(DEFAULT_DATA_DIR),
        help=f"Where objects are kept between runs (default {DEFAULT_DATA_DIR}).",
    )
    parser.add_argument(
        "--bucket",
        default=os.environ.get("AWS_STORAGE_BUCKET_NAME", "et-issue-example"),
        help="Bucket that start creates (default $AWS_STORAGE_BUCKET_NAME).",
    )
    args = parser.parse_args(argv)
    endpoint = control.endpoint_url(args.host, args.port)

    try:
        if args.command == "serve":
            from .server import serve

            serve(args.host, args.port, args.data_dir)
        elif args.command == "start":
            endpoint, started = control.start(args.host, args.port, args.data_dir)
            created = control.ensure_bucket(
                endpoint,
                args.bucket,
                os.environ.get("AWS_ACCESS_KEY_ID", "testing"),
                os.environ.get("AWS_SECRET_ACCESS_KEY", "testing"),
            )
            state = "Started" if started else "Already running:"
            bucket_state = "created" if created else "exists"
            print(
                f"{state} local S3 server on {endpoint}, bucket {args.bucket} {bucket_state}."
            )
        elif args.command == "stop":
            if control.stop(args.data_dir):
                print(f"Stopped the local S3 server; objects kept in {args.data_dir}.")
            else:
                print(f"The local S3 server of {args.data_dir} was not running.")
                other = control.server_info(endpoint)
                if other is not None:
                    print(
                        f"The one on {endpoint} keeps its data in {other['data_dir']}: "
                        "stop it with `.venv/bin/python -m local_s3 stop --data-dir "
                        f"{other['data_dir']}`."
                    )
        elif args.command == "status":
            running = control.is_running(endpoint)
            print(
                f"Local S3 server on {endpoint}: {'running' if running else 'not running'}."
            )
            return 0 if running else 1
    except control.LocalS3Error as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
