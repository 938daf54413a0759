"""`python -m measurement reproduce` (`make reproduce`): its options, which
study runs (the reproduction, the queue, under load, --compare or --peers),
and the summary it prints."""

import argparse
import importlib
from pathlib import Path

from measurement.errors import UsageError
from measurement.switches import SCENARIOS, Switches

NAME = "reproduce"
INTERRUPTED = "Interrupted; the report was not written."


def failed(args: argparse.Namespace) -> str:
    """What failed, in the line that reports it: the run the options chose."""
    if args.peers:
        return "Peer comparison failed"
    if args.compare or args.causes:
        return "Comparison failed"
    return "Reproduction failed"


def add_parser(commands) -> argparse.ArgumentParser:
    defaults = Switches()
    parser = commands.add_parser(
        NAME,
        help="Run the 2013 measurements and write a report.",
        description="Load photos, serve the index page cold and warm, generate every "
        "alias, each measured from outside; write reports/<timestamp>/ and reports/latest/.",
    )
    parser.add_argument(
        "--photos",
        type=int,
        default=defaults.photos,
        help="How many photos to use; that many are made in test_photos/ if it has "
        f"fewer (default {defaults.photos}).",
    )
    parser.add_argument(
        "--photo-dir",
        default=defaults.photo_dir,
        help=f"A folder of your own photos (default {defaults.photo_dir}/).",
    )
    parser.add_argument(
        "--debug",
        action=argparse.BooleanOptionalAction,
        default=defaults.debug,
        help="Run Django with DEBUG on, as in 2013 (default on; it keeps every query).",
    )
    parser.add_argument(
        "--debug-toolbar",
        action=argparse.BooleanOptionalAction,
        default=defaults.debug_toolbar,
        help="Show the debug toolbar on the index page (default off: its panels cost memory).",
    )
    parser.add_argument(
        "--storage",
        choices=["s3", "filesystem"],
        default=defaults.storage,
        help="Keep photos on the local S3 server (default) or on disk, to tell S3's share.",
    )
    parser.add_argument(
        "--network",
        default=defaults.network,
        metavar="PROFILE",
        help="The network the run's S3 server answers as, simulated by the server: "
        "loopback (default, not shaped), same-region (a server beside its bucket) or "
        "internet (a home line to AWS, as in 2013); docs/measuring.md gives their "
        "figures.",
    )
    parser.add_argument(
        "--server",
        choices=["runserver", "gunicorn"],
        default=defaults.server,
        help="What serves the index page: Django's runserver (default, one process, "
        "as in 2013) or gunicorn with --workers processes, as the site is deployed.",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=defaults.workers,
        help=f"gunicorn's worker processes with --server gunicorn (default "
        f"{defaults.workers}); their memory is added up.",
    )
    parser.add_argument(
        "--scenario",
        choices=SCENARIOS,
        default=defaults.scenario,
        help="What to measure after load_photos: 2013's index page and "
        "generate_all_thumbnail_aliases (default); queue: the photos made by Celery "
        "workers, once per count in --queue-workers; load: --clients clients on the "
        "warm page served by gunicorn for --seconds, then the same while Celery "
        "workers make a second batch of --photos photos.",
    )
    parser.add_argument(
        "--queue-workers",
        type=counts_list,
        default=defaults.queue_workers,
        metavar="N[,N...]",
        help="With --scenario queue or load: Celery workers, each one process "
        "making photos (prefork, concurrency 1); the queue scenario runs once per "
        "count (default 1,2), the load scenario makes its batch with the largest.",
    )
    parser.add_argument(
        "--clients",
        type=int,
        default=defaults.clients,
        help=f"With --scenario load: clients requesting the page at once "
        f"(default {defaults.clients}).",
    )
    parser.add_argument(
        "--seconds",
        type=int,
        default=defaults.seconds,
        help=f"With --scenario load: seconds of each load run (default "
        f"{defaults.seconds}).",
    )
    parser.add_argument(
        "--database",
        choices=["sqlite", "postgres"],
        default=defaults.database,
        help="The run's own database: a SQLite file (default) or a PostgreSQL server "
        "the run starts and stops (Debian's postgresql; make postgresql installs it).",
    )
    parser.add_argument(
        "--fix",
        action="store_true",
        help="Measure with the fix on (THUMBNAIL_FIX=1; default off: stock).",
    )
    parser.add_argument(
        "--compare",
        action="store_true",
        help="Measure stock, the fix, and the fix with its libvips part (vips_decode) "
        "in one run, beside the Pillow and libvips floors, and report the three "
        "columns, their ratios and the fix's targets.",
    )
    parser.add_argument(
        "--causes",
        action="store_true",
        help="Also measure stock with each cause switched off alone (one more "
        "reproduction per cause); implies --compare.",
    )
    parser.add_argument(
        "--peers",
        action="store_true",
        help="Measure easy-thumbnails stock and fixed beside sorl-thumbnail and "
        "django-imagekit (JustInTime and Optimistic), one reproduction each, and "
        "the Pillow and libvips floors; report them in one table and a chart.",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("reports"),
        help="Folder for the reports (default reports/).",
    )
    return parser


def counts_list(text: str) -> list[int]:
    """'1,2' -> [1, 2]: counts of at least 1."""
    try:
        counts = [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r}: give counts separated by commas, e.g. 1,2."
        ) from None
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: each count must be at least 1.")
    return counts


# The study of each scenario: its package and the function that runs it.
STUDIES = {
    "2013": ("measurement.studies.reproduction", "reproduce"),
    "queue": ("measurement.studies.queue", "measure"),
    "load": ("measurement.studies.under_load", "measure"),
}


def switches_of(args: argparse.Namespace) -> Switches:
    """The run's switches, from the options; UsageError for a value no run takes."""
    defaults = Switches()
    if args.photos < 1:
        raise UsageError("--photos must be at least 1.")
    if args.workers < 1:
        raise UsageError("--workers must be at least 1.")
    if args.clients < 1 or args.seconds < 1:
        raise UsageError("--clients and --seconds must be at least 1.")
    if args.scenario != "2013" and (args.peers or args.compare or args.causes):
        raise UsageError(
            f"--scenario {args.scenario} is measured alone: leave out --peers, "
            "--compare and --causes."
        )
    # Imported here, not at the top: `watch` starts without the S3 server's code.
    from local_services.s3.network import PROFILES

    if args.network not in PROFILES:
        raise UsageError(
            f"--network {args.network!r} is not a profile: give one of "
            f"{', '.join(PROFILES)}."
        )
    if args.network != defaults.network and args.storage != "s3":
        raise UsageError(
            "--network shapes the S3 server: leave it out with --storage filesystem."
        )
    if args.peers and (args.fix or args.compare or args.causes):
        raise UsageError(
            "--peers measures stock and fixed itself: leave out --fix, "
            "--compare and --causes."
        )
    return Switches(
        photos=args.photos,
        # A folder of the user's own is taken from where they are; the
        # default one lives in the project.
        photo_dir=args.photo_dir
        if args.photo_dir == defaults.photo_dir
        else str(Path(args.photo_dir).resolve()),
        debug=args.debug,
        debug_toolbar=args.debug_toolbar,
        storage=args.storage,
        network=args.network,
        database=args.database,
        fix=args.fix,
        server=args.server,
        workers=args.workers,
        scenario=args.scenario,
        queue_workers=args.queue_workers,
        clients=args.clients,
        seconds=args.seconds,
    )


def run(args: argparse.Namespace) -> int:
    from measurement.report import files

    switches = switches_of(args)
    if args.peers:
        from measurement.studies import peers

        report, directory = peers.measure(switches, args.out)
        study = peers
    elif args.compare or args.causes:
        from measurement.studies import compare

        report, directory = compare.compare(switches, args.out, args.causes)
        study = compare
    else:
        module, function = STUDIES[switches.scenario]
        study = importlib.import_module(module)
        report, directory = getattr(study, function)(switches, args.out)
    latest = args.out / study.LATEST
    print(files.summary(report, study.REPORTER, args.out / directory.name, latest))
    return 0
