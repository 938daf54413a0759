"""`python -m measurement floor`: what the nine thumbnails cost with Pillow or
libvips alone (measurement.studies.floors); prints one JSON dict."""

import argparse
import json
from pathlib import Path

from measurement.errors import UsageError

NAME = "floor"
FAILED = "Floor failed"
LIBRARIES = ("pillow", "vips")


def add_parser(commands) -> argparse.ArgumentParser:
    parser = commands.add_parser(
        NAME,
        help="Time the nine thumbnails of each photo with Pillow or libvips alone.",
        description="Decode each photo once, make every alias from it in memory with "
        "one library alone, and print {photos_count, seconds, seconds_per_photo, "
        "per_photo_seconds} as JSON.",
    )
    parser.add_argument(
        "--library",
        choices=LIBRARIES,
        required=True,
        help="pillow (draft decode) or vips (shrink-on-load, pyvips).",
    )
    parser.add_argument(
        "--draft-gap",
        type=float,
        default=1.0,
        help="Decode a JPEG (Pillow's draft, libvips' shrink-on-load) no smaller "
        "than this many pixels per pixel of the largest alias (default 1, the "
        "alias's own size; the fix keeps 3).",
    )
    add_photo_arguments(parser)
    return parser


def add_photo_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("directory", type=Path, help="A folder of photos.")
    parser.add_argument("--photos", type=int, help="Use only the first N photos.")


def chosen_photos(args: argparse.Namespace) -> list[Path]:
    from photos.photo_files import photo_files

    if not args.directory.is_dir():
        raise UsageError(f"{args.directory} is not a folder of photos.")
    paths = photo_files(args.directory)[: args.photos]
    if not paths:
        raise UsageError(f"{args.directory} has no photos.")
    return paths


def run(args: argparse.Namespace) -> int:
    from measurement.studies.floors import time_thumbnails

    if args.draft_gap < 1:
        raise UsageError("--draft-gap must be 1 or more.")
    paths = chosen_photos(args)
    print(json.dumps(time_thumbnails(args.library, paths, args.draft_gap)))
    return 0
