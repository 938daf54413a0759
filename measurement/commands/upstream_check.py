"""`python -m measurement upstream-check` (`make upstream-check`): the patch
series on a clean easy-thumbnails, its suite, and the reproduction with it
beside stock and the fix (measurement.upstream_check)."""

import argparse
from pathlib import Path

from measurement.errors import UsageError
from measurement.switches import default_switches

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
        default=default_switches()["photos"],
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
    from measurement.upstream_check import LATEST, UpstreamCheckError, upstream_check
    from upstream_tests.suite import SuiteError

    if args.photos < 1:
        raise UsageError("--photos must be at least 1.")
    try:
        report, directory = upstream_check(
            {**default_switches(), "photos": args.photos}, args.out
        )
    except SuiteError as error:
        raise UpstreamCheckError(str(error)) from None
    print(
        f"Done in {report['seconds']:.1f} s. Report: "
        f"{args.out / LATEST}/report.md (also {directory}/)"
    )
    return 0
