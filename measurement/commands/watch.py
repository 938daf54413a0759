"""`python -m measurement watch`: sample the memory of a command or a process."""

import argparse
import sys

from measurement.errors import UsageError
from photos.units import MB

NAME = "watch"
FAILED = "Watching failed"


def add_parser(commands) -> argparse.ArgumentParser:
    parser = commands.add_parser(
        NAME,
        help="Sample the memory of a command or a running process.",
        description="Sample RSS (and USS where the kernel allows) of a process from "
        "another process, write the samples as CSV and print the peak.",
    )
    parser.add_argument(
        "--interval",
        type=float,
        default=0.05,
        help="Seconds between samples (default 0.05, 20 per second).",
    )
    parser.add_argument(
        "--csv", metavar="FILE", help="Write the samples to this CSV file."
    )
    parser.add_argument(
        "--pid", type=int, help="Watch this running process instead of a command."
    )
    parser.add_argument(
        "--children",
        action="store_true",
        help="Add up the memory of the process and all its children (a server's "
        "worker processes, as gunicorn's).",
    )
    parser.add_argument(
        "--no-uss",
        dest="uss",
        action="store_false",
        help="Sample RSS and the kernel's high-water mark only, not USS. USS "
        "reads /proc/PID/smaps, milliseconds a sample for a large process: CPU "
        "taken from the processes measured, where they share the machine's cores.",
    )
    parser.add_argument(
        "cmd", nargs="*", metavar="-- CMD", help="The command to run and watch."
    )
    return parser


def run(args: argparse.Namespace) -> int:
    from measurement.probes import watcher

    if args.interval <= 0:
        raise UsageError("--interval must be a positive number of seconds.")
    if (args.pid is None) == (not args.cmd):
        raise UsageError(
            "Give either --pid N or a command after --, e.g. `watch -- python app.py`."
        )
    if args.pid is not None:
        result = watcher.watch_pid(
            args.pid, args.interval, args.csv, args.children, args.uss
        )
    else:
        result = watcher.watch_command(
            args.cmd, args.interval, args.csv, args.children, args.uss
        )
    print(summary(result), file=sys.stderr)
    return result.returncode or 0


def summary(result) -> str:
    if not result.samples:
        return "No samples taken: the process ended before the first one."
    line = f"Peak RSS {result.rss_peak_bytes / MB:.1f} MB over {len(result.samples)} samples"
    if result.ru_maxrss_bytes is not None:
        line += f"; the kernel's ru_maxrss {result.ru_maxrss_bytes / MB:.1f} MB"
    return line + "."
