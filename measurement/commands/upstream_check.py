"""`python -m measurement upstream-check` (`make upstream-check`): the patch
series on a clean easy-thumbnails, its suite, and the reproduction with it
beside stock and the fix (measurement.studies.upstream)."""

import argparse
from pathlib import Path

from measurement.errors import UsageError
from measurement.switches import Switches

NAME = "upstream-check"
FAILED = "Upstream check failed"
INTERRUPTED = "Interrupted; the report was not written."


def add_parser(commands) -> argparse.ArgumentParser:
    parser = commands.add_parser(
        NAME,
        help="Check upstream/*.patch: easy-thumbnails' suite, then the reproduction.",
        description="Apply upstream/*.patch to a clean copy of easy-thumbnails, run "
        "its suite, and measure the reproduction with it beside stock and the fix; "
        "writes reports/latest-upstream/report.md.",
    )
    parser.add_argument(
        "--photos",
        type=int,
        default=Switches().photos,
        help="How many photos each reproduction uses (default %(default)s).",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("reports"),
        help="Folder for the reports (default reports/).",
    )
    return parser


def run(args: argparse.Namespace) -> int:
    from measurement.report import files
    from measurement.studies import upstream

    if args.photos < 1:
        raise UsageError("--photos must be at least 1.")
    report, directory = upstream.upstream_check(Switches(photos=args.photos), args.out)
    print(
        files.summary(
            report,
            upstream.REPORTER,
            args.out / directory.name,
            args.out / upstream.LATEST,
        )
    )
    return 0
