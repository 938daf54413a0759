"""`python -m measurement COMMAND`: the measuring commands, built one way.

Each command is a module here with NAME, add_parser(commands), which adds
its parser, and run(args) -> int; FAILED (or failed(args), when the options
choose the run) names what failed in the one line that reports a
MeasurementError, and INTERRUPTED, if set, what Ctrl-C leaves undone. Errors become messages and exit codes once,
in main(). A module imports what it runs only in run(), so `watch`, which
starts every measured process, starts quickly.
"""

import argparse
import importlib
import sys

from measurement.errors import MeasurementError, UsageError

MODULES = [
    "watch",
    "reproduce",
    "floor",
    "quality",
    "load",
    "upstream_check",
    "matrix",
]
EXIT_FAILED = 1
EXIT_USAGE = 2
# 128 + SIGINT, as a shell reports a command Ctrl-C stopped.
EXIT_INTERRUPTED = 130


class OneLineParser(argparse.ArgumentParser):
    """An option mistake is one line, naming the option and --help; the usage
    block, 15 lines for `reproduce`, is for --help alone."""

    def error(self, message: str):
        self.exit(
            EXIT_USAGE,
            f"{self.prog}: error: {message.rstrip('.')} (see {self.prog} --help)\n",
        )


def main(argv: list[str] | None = None) -> int:
    parser = OneLineParser(
        prog="python -m measurement",
        description="Measure easy-thumbnails issue #230: memory from outside, "
        "SQL queries and S3 requests counted.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    commands, parsers = {}, {}
    for name in MODULES:
        command = importlib.import_module(f"measurement.commands.{name}")
        commands[command.NAME] = command
        parsers[command.NAME] = command.add_parser(subparsers)
    args = parser.parse_args(argv)
    command = commands[args.command]
    try:
        return command.run(args)
    except UsageError as error:
        parsers[args.command].error(str(error))  # exits with EXIT_USAGE
    except MeasurementError as error:
        print(f"{failed(command, args)}: {error}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print(getattr(command, "INTERRUPTED", "Interrupted."), file=sys.stderr)
        return EXIT_INTERRUPTED


def failed(command, args: argparse.Namespace) -> str:
    if hasattr(command, "failed"):
        return command.failed(args)
    return command.FAILED
