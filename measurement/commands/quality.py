"""`python -m measurement quality`: stock's thumbnails beside the fix's, for
the same photos (measurement.studies.compare); prints one JSON dict."""

import argparse
import json

from measurement.commands.floor import add_photo_arguments, chosen_photos

NAME = "quality"
FAILED = "Quality comparison failed"


def add_parser(commands) -> argparse.ArgumentParser:
    parser = commands.add_parser(
        NAME,
        help="Compare stock's thumbnails with the fix's: names, sizes, pixels.",
        description="Make every alias of the photos with stock easy-thumbnails, then "
        "with THUMBNAIL_FIX on, on local disk and a throwaway database, and print "
        "one JSON dict naming every photo and alias where they differ.",
    )
    add_photo_arguments(parser)
    parser.add_argument(
        "--fix",
        default="1",
        help="THUMBNAIL_FIX of the fix's run: 1 (the default), or a "
        "comma-separated list of its parts, e.g. to add vips_decode.",
    )
    return parser


def run(args: argparse.Namespace) -> int:
    from measurement.studies.compare import measure_quality

    fix = True if args.fix == "1" else [part for part in args.fix.split(",") if part]
    print(json.dumps(measure_quality(chosen_photos(args), fix)))
    return 0
