"""`reproduce --compare`: stock and fixed in one run, the floors, the targets.

The columns (stock, the fix, the fix with its opt-in libvips part) are full
reproductions (measurement.reproduce), one after the
other on the same photos, each with its own database and S3 server; the
floors (Pillow's and libvips', each also held to the fix's draft rule) and
the thumbnail comparison run in processes of their own. With
--causes, stock is measured again once per cause with only that cause
switched off (measurement.causes).
"""

import datetime
import json
import subprocess
import sys
import time
from pathlib import Path

from easy_thumbnails_fix import DEFAULT_PARTS
from easy_thumbnails_fix.draft_geometry import DRAFT_GAP

from measurement import causes as causes_module
from measurement import compare_markdown, report_files
from measurement.figures import figures, median, ratios
from measurement.reproduce import ROOT, ReproductionError, reproduce
from measurement.switches import thumbnail_fix_variable
from measurement.thumbnail_quality import MEAN_ABS_DIFF_MAX
from photos.units import MB

# THUMBNAIL_FIX of each column: stock, the fix (True) and the fix with libvips.
COLUMNS = {
    "stock": False,
    "fixed": True,
    "fixed_vips": [*DEFAULT_PARTS, "vips_decode"],
}
# Beside reports/latest/, which each column's plain reproduction rewrites.
LATEST = "latest-compare"
# The targets of the fix (issues 4 and 10).
# A warm page: the page's own query; its rows come from the cache.
WARM_QUERIES_MAX = 1
# A cold page, whatever its photo count: the photos, their Source and
# Thumbnail rows, one INSERT (and SQLite's BEGIN; on PostgreSQL the maker
# locks taken, the rows read again under them, the locks released).
COLD_QUERIES_MAX = {"sqlite": 5, "postgresql": 7}
FLOOR_RATIO_MAX = 1.3
# generate_all_thumbnail_aliases checks the bucket (a HEAD of the bucket, not
# of an object) once before its first photo: not a request of any photo.
COMMAND_BUCKET_CHECKS = {"HEAD": 1}
RSS_GROWTH_BYTES_PER_PHOTO_MAX = 0.05 * MB
# Report key: (title, module, its arguments) of each floor. The targets are
# against the plain floors; beside each is the same floor held to the fix's
# quality rule, which decodes no closer than DRAFT_GAP pixels per pixel.
DRAFT_GAP_ARGS = ("--draft-gap", str(DRAFT_GAP))
FLOORS = {
    "pillow_floor": ("Pillow", "measurement.pillow_floor", ()),
    "pillow_floor_draft_gap": (
        f"Pillow, drafted to {DRAFT_GAP:g} pixels per pixel",
        "measurement.pillow_floor",
        DRAFT_GAP_ARGS,
    ),
    "vips_floor": ("libvips", "measurement.vips_floor", ()),
    "vips_floor_draft_gap": (
        f"libvips, shrunk on load to {DRAFT_GAP:g} pixels per pixel",
        "measurement.vips_floor",
        DRAFT_GAP_ARGS,
    ),
}


def compare(switches: dict, out_dir: Path, causes: bool = False, say=print):
    started = time.time()
    out_dir = out_dir.resolve()
    timestamp = datetime.datetime.fromtimestamp(started, datetime.UTC)
    run_dir = out_dir / (timestamp.strftime("%Y%m%dT%H%M%SZ") + "-compare")
    run_dir.mkdir(parents=True, exist_ok=False)
    say(f"Comparing stock and fixed into {run_dir}/")

    reports = {}
    for name, fix in COLUMNS.items():
        say(f"== {name} (THUMBNAIL_FIX={thumbnail_fix_variable(fix)}) ==")
        reports[name], _ = reproduce({**switches, "fix": fix}, run_dir / name, say)
    photo_dir = ROOT / switches["photo_dir"]
    floors = measure_floors(photo_dir, switches["photos"], say)
    floor = floors["pillow_floor"]
    say("== stock's thumbnails beside the fix's ==")
    quality = run_json("measurement.thumbnail_quality", photo_dir, switches["photos"])
    say(f"    mean absolute difference at most {quality['mean_abs_diff_max']}")
    for item in quality["differing"]:
        say(f"    differs: {item['photo']} {item['alias']}: {item['reason']}")
    say("== stock's thumbnails beside the fix's with vips_decode ==")
    quality_vips = run_json(
        "measurement.thumbnail_quality",
        photo_dir,
        switches["photos"],
        "--fix",
        thumbnail_fix_variable(COLUMNS["fixed_vips"]),
    )
    say(f"    mean absolute difference at most {quality_vips['mean_abs_diff_max']}")
    for item in quality_vips["differing"]:
        say(f"    differs: {item['photo']} {item['alias']}: {item['reason']}")
    cause_reports = (
        causes_module.measure(switches, run_dir / "causes", say) if causes else {}
    )

    columns = {name: figures(report) for name, report in reports.items()}
    report = {
        "metadata": {
            **reports["stock"]["metadata"],
            "switches": {**switches, "fix": "stock and fixed", "causes": causes},
        },
        "seconds": round(time.time() - started, 1),
        "columns": columns,
        "ratios": ratios(columns["stock"], columns["fixed"]),
        **floors,
        "thumbnail_quality": quality,
        "thumbnail_quality_vips": quality_vips,
        "targets": targets(
            columns, floor, quality, reports["fixed"]["metadata"]["database"]["vendor"]
        )
        + vips_targets(columns["fixed_vips"], floors["vips_floor"], quality_vips),
        "causes": causes_module.shares(
            columns["stock"], columns["fixed"], cause_reports
        ),
        "reports": {name: f"{name}/latest/report.md" for name in reports},
    }
    report_files.write_report(
        report, compare_markdown.render(report), run_dir, out_dir / LATEST
    )
    return report, run_dir


def measure_floors(photo_dir: Path, photos: int, say=print) -> dict:
    """Each floor of FLOORS, each in a process of its own."""
    floors = {}
    for key, (title, module, args) in FLOORS.items():
        say(f"== the {title} floor ==")
        floors[key] = run_json(module, photo_dir, photos, *args)
        say(f"    {floors[key]['seconds_per_photo']:.3f} s per photo")
    return floors


def run_json(module: str, photo_dir: Path, photos: int, *args: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", module, "--photos", str(photos), *args, str(photo_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise ReproductionError(f"python -m {module} failed:\n{result.stderr.strip()}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def targets(
    columns: dict, floor: dict, quality: dict, vendor: str = "sqlite"
) -> list[dict]:
    from measurement.floor import project_aliases

    stock, fixed = columns["stock"], columns["fixed"]
    photos = fixed["photos_count"]
    aliases = len(project_aliases())
    generate = {
        op: count - COMMAND_BUCKET_CHECKS.get(op, 0)
        for op, count in fixed["generate_s3_requests"].items()
    }
    floor_median = median(floor["per_photo_seconds"])
    floor_ratio = fixed["generate_seconds_per_photo_median"] / floor_median
    growth = fixed["generate_rss_growth_bytes_per_photo"]
    return [
        target(
            "Warm index page: SQL queries",
            f"<= {WARM_QUERIES_MAX}",
            fixed["index_warm_queries_count"],
            fixed["index_warm_queries_count"] <= WARM_QUERIES_MAX,
        ),
        target(
            "Cold index page: SQL queries, the same for any photo count",
            f"<= {COLD_QUERIES_MAX[vendor]}",
            fixed["index_cold_queries_count"],
            fixed["index_cold_queries_count"] <= COLD_QUERIES_MAX[vendor],
        ),
        target(
            "Generate: S3 requests per photo (less the command's one bucket check)",
            f"GET 1, HEAD 0, DELETE 0, PUT {aliases}",
            ", ".join(
                f"{op} {generate.get(op, 0) / photos:g}"
                for op in ("GET", "HEAD", "DELETE", "PUT")
            ),
            (generate.get("GET", 0), generate.get("HEAD", 0), generate.get("DELETE", 0))
            == (photos, 0, 0)
            and generate.get("PUT", 0) == aliases * photos,
        ),
        target(
            "Generate: time per photo / Pillow floor (medians)",
            f"<= {FLOOR_RATIO_MAX}",
            f"{floor_ratio:.2f} ({fixed['generate_seconds_per_photo_median']:.3f} s / "
            f"{floor_median:.3f} s)",
            floor_ratio <= FLOOR_RATIO_MAX,
        ),
        target(
            "Generate: RSS growth per photo",
            "<= 0.05 MB",
            f"{growth / MB:.3f} MB" if growth is not None else "n/a",
            growth is not None and growth <= RSS_GROWTH_BYTES_PER_PHOTO_MAX,
        ),
        target(
            "Generate: peak RSS below stock's",
            f"< {stock['generate_rss_peak_bytes'] / MB:.1f} MB",
            f"{fixed['generate_rss_peak_bytes'] / MB:.1f} MB",
            fixed["generate_rss_peak_bytes"] < stock["generate_rss_peak_bytes"],
        ),
        target(
            "Index page: peak RSS below stock's",
            f"< {stock['index_cold_rss_peak_bytes'] / MB:.1f} MB",
            f"{fixed['index_cold_rss_peak_bytes'] / MB:.1f} MB",
            fixed["index_cold_rss_peak_bytes"] < stock["index_cold_rss_peak_bytes"],
        ),
        target(
            "Quality: same names and sizes as stock's",
            f"{quality['thumbnails_count']} thumbnails, 0 size mismatches",
            f"{len(quality['size_mismatches'])} size mismatches",
            quality["same_names"] and not quality["size_mismatches"],
        ),
        target(
            "Quality: thumbnails that differ from stock's",
            "0",
            len(quality["differing"]),
            not quality["differing"],
        ),
        target(
            "Quality: mean absolute pixel difference",
            f"< {MEAN_ABS_DIFF_MAX} of 255",
            f"max {quality['mean_abs_diff_max']}, mean {quality['mean_abs_diff_mean']}",
            quality["mean_abs_diff_max"] is not None
            and quality["mean_abs_diff_max"] < MEAN_ABS_DIFF_MAX,
        ),
    ]


def vips_targets(fixed_vips: dict, vips_floor: dict, quality: dict) -> list[dict]:
    """The fix with vips_decode against the libvips floor, and against stock's
    thumbnails."""
    floor_median = median(vips_floor["per_photo_seconds"])
    photos = fixed_vips["photos_count"]
    cold_per_photo = fixed_vips["index_cold_seconds"] / photos
    generate_ratio = fixed_vips["generate_seconds_per_photo_median"] / floor_median
    cold_ratio = cold_per_photo / floor_median
    return [
        target(
            "Generate with vips_decode: time per photo / libvips floor (medians)",
            f"<= {FLOOR_RATIO_MAX}",
            f"{generate_ratio:.2f} "
            f"({fixed_vips['generate_seconds_per_photo_median']:.3f} s / "
            f"{floor_median:.3f} s)",
            generate_ratio <= FLOOR_RATIO_MAX,
        ),
        target(
            "Cold index page with vips_decode: time per photo / libvips floor",
            f"<= {FLOOR_RATIO_MAX}",
            f"{cold_ratio:.2f} ({cold_per_photo:.3f} s / {floor_median:.3f} s)",
            cold_ratio <= FLOOR_RATIO_MAX,
        ),
        target(
            "Quality with vips_decode: thumbnails that differ from stock's",
            "0",
            len(quality["differing"]),
            not quality["differing"],
        ),
    ]


def target(name: str, wanted: str, measured, met: bool) -> dict:
    return {"name": name, "target": wanted, "measured": measured, "met": bool(met)}


def summary(report: dict, directory: Path, latest: Path) -> str:
    lines = [
        f"Done in {report['seconds']:.1f} s. Report: {latest}/report.md (also {directory}/)"
    ]
    for item in report["targets"]:
        mark = "met" if item["met"] else "NOT met"
        lines.append(
            f"  {item['name']}: {item['measured']} (target {item['target']}): {mark}"
        )
    return "\n".join(lines)
