"""`reproduce --peers`: easy-thumbnails, stock and fixed, beside its peers.

One row per library and mode, each a full reproduction (its own database,
S3 server and processes watched from outside) on the same photos:
easy-thumbnails stock, easy-thumbnails with THUMBNAIL_FIX=1, sorl-thumbnail
(cached_db key-value store), django-imagekit JustInTime and django-imagekit
Optimistic; then the Pillow and libvips floors. The report says, from the
figures, on which columns the fix is not the best.
"""

import time
from pathlib import Path

from measurement import ROOT
from measurement.report import files
from measurement.studies import floors, reproduction
from measurement.studies.peers.figures import (
    FIXED,
    figures,
    made_before_the_page,
    not_best,
)
from measurement.studies.peers.markdown import REPORTER
from measurement.switches import Switches
from peers import TITLES

LATEST = "latest-peers"
# Row key: (title, switches of its reproduction).
ROWS = {
    "stock": ("easy-thumbnails, stock", {"fix": False, "peer": None}),
    FIXED: ("easy-thumbnails, THUMBNAIL_FIX=1", {"fix": True, "peer": None}),
    **{peer: (title, {"fix": False, "peer": peer}) for peer, title in TITLES.items()},
}


def measure(switches: Switches, out_dir: Path, say=print) -> tuple[dict, Path]:
    with files.run_folder(out_dir, "peers") as (run_dir, started):
        say(f"Measuring easy-thumbnails beside its peers into {run_dir}/")

        reports = {}
        for key, (title, row_switches) in ROWS.items():
            say(f"== {title} ==")
            reports[key], _ = reproduction.reproduce(
                switches.replace(**row_switches),
                run_dir / key,
                say,
                restarted_page=True,
            )
        measured_floors = floors.measure_floors(
            ROOT / switches.photo_dir, switches.photos, say
        )
        rows = {
            key: {"title": ROWS[key][0], **figures(report)}
            for key, report in reports.items()
        }
        report = {
            "metadata": {
                **reports["stock"]["metadata"],
                "switches": {
                    **switches.as_report(),
                    "fix": "per row",
                    "peer": "per row",
                },
            },
            "seconds": round(time.time() - started, 1),
            "rows": rows,
            **measured_floors,
            "fix_not_best": not_best(rows),
            "made_before_the_page": made_before_the_page(rows),
            "reports": {key: f"{key}/latest/report.md" for key in reports},
        }
        files.write(report, REPORTER, run_dir, run_dir.parent / LATEST)
    return report, run_dir
