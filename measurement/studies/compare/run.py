"""`reproduce --compare`: stock and fixed in one run, the floors, the targets.

The columns (stock, the fix, the fix with its opt-in libvips part) are full
reproductions, one after the other on the same photos, each with its own
database and S3 server; the floors (Pillow's and libvips', each also held to
the fix's draft rule) and the thumbnail comparison run in processes of their
own. With --causes, stock is measured again once per cause with only that
cause switched off (compare.causes).
"""

import time
from pathlib import Path

from easy_thumbnails_fix import DEFAULT_PARTS

from measurement import ROOT
from measurement.harness.subcommand import measure_json
from measurement.report import files
from measurement.stats.figures import flat_figures
from measurement.studies import floors, reproduction
from measurement.studies.compare import causes, targets
from measurement.studies.compare.markdown import REPORTER
from measurement.switches import Switches

# THUMBNAIL_FIX of each column: stock, the fix (True) and the fix with libvips.
COLUMNS = {
    "stock": False,
    "fixed": True,
    "fixed_vips": (*sorted(DEFAULT_PARTS), "vips_decode"),
}
# Beside reports/latest/, which each column's plain reproduction rewrites.
LATEST = "latest-compare"


def thumbnail_quality(switches: Switches, fix, say) -> dict:
    """Stock's thumbnails beside those of fix (a THUMBNAIL_FIX value), in a
    process of its own."""
    quality = measure_json(
        ["quality", "--fix", switches.replace(fix=fix).thumbnail_fix_variable],
        ROOT / switches.photo_dir,
        switches.photos,
    )
    say(f"    mean absolute difference at most {quality['mean_abs_diff_max']}")
    for item in quality["differing"]:
        say(f"    differs: {item['photo']} {item['alias']}: {item['reason']}")
    return quality


def measure_causes(switches: Switches, out_dir: Path, say) -> dict:
    """Figures of stock with each cause off alone, by cause."""
    results = {}
    for cause in causes.CAUSES:
        if cause == "debug" and not switches.debug:
            continue  # already off in every column
        say(f"== stock without {cause} ==")
        report, _ = reproduction.reproduce(
            causes.switches_without(cause, switches), out_dir / cause, say
        )
        results[cause] = flat_figures(report)
    return results


def compare(
    switches: Switches, out_dir: Path, with_causes: bool = False, say=print
) -> tuple[dict, Path]:
    with files.run_folder(out_dir, "compare") as (run_dir, started):
        say(f"Comparing stock and fixed into {run_dir}/")

        reports = {}
        for name, fix in COLUMNS.items():
            column = switches.replace(fix=fix)
            say(f"== {name} (THUMBNAIL_FIX={column.thumbnail_fix_variable}) ==")
            reports[name], _ = reproduction.reproduce(column, run_dir / name, say)
        measured_floors = floors.measure_floors(
            ROOT / switches.photo_dir, switches.photos, say
        )
        say("== stock's thumbnails beside the fix's ==")
        quality = thumbnail_quality(switches, COLUMNS["fixed"], say)
        say("== stock's thumbnails beside the fix's with vips_decode ==")
        quality_vips = thumbnail_quality(switches, COLUMNS["fixed_vips"], say)
        cause_figures = (
            measure_causes(switches, run_dir / "causes", say) if with_causes else {}
        )

        columns = {name: flat_figures(report) for name, report in reports.items()}
        vendor = reports["fixed"]["metadata"]["database"]["vendor"]
        report = {
            "metadata": {
                **reports["stock"]["metadata"],
                "switches": {
                    **switches.as_report(),
                    "fix": "stock and fixed",
                    "causes": with_causes,
                },
            },
            "seconds": round(time.time() - started, 1),
            "answer": reproduction.with_the_fix(
                reports["stock"]["answer"], reports["fixed"]["answer"]
            ),
            "columns": columns,
            "ratios": targets.ratios(columns["stock"], columns["fixed"]),
            **measured_floors,
            "thumbnail_quality": quality,
            "thumbnail_quality_vips": quality_vips,
            "targets": targets.targets(
                columns, measured_floors["pillow_floor"], quality, vendor
            )
            + targets.vips_targets(
                columns["fixed_vips"], measured_floors["vips_floor"], quality_vips
            ),
            "causes": causes.shares(columns["stock"], columns["fixed"], cause_figures),
            "reports": {name: f"{name}/latest/report.md" for name in reports},
        }
        files.write(report, REPORTER, run_dir, run_dir.parent / LATEST)
    return report, run_dir
