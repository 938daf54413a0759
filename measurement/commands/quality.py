"""`python -m measurement quality`: stock's thumbnails beside the fix's, for
the same photos (measurement.thumbnail_quality); prints one JSON dict."""

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
    return parser


def run(args: argparse.Namespace) -> int:
    from measurement import thumbnail_quality

    print(json.dumps(thumbnail_quality.measure(chosen_photos(args))))
    return 0
