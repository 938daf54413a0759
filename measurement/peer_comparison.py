"""`reproduce --peers`: easy-thumbnails, stock and fixed, beside its peers.

One row per library and mode, each a full reproduction (measurement.reproduce:
its own database, S3 server and processes watched from outside) on the same
photos: easy-thumbnails stock, easy-thumbnails with THUMBNAIL_FIX=1,
sorl-thumbnail (cached_db key-value store), django-imagekit JustInTime and
django-imagekit Optimistic; then the Pillow and libvips floors. The report
says, from the figures, on which columns the fix is not the best.
"""

import datetime
import time
from pathlib import Path

from measurement import compare, peer_chart, peer_comparison_markdown, report_files
from measurement.peer_figures import FIXED, figures, made_before_the_page, not_best
from measurement.reproduce import ROOT, reproduce
from peers import TITLES

LATEST = "latest-peers"
# Row key: (title, switches of its reproduction).
ROWS = {
    "stock": ("easy-thumbnails, stock", {"fix": False, "peer": None}),
    FIXED: ("easy-thumbnails, THUMBNAIL_FIX=1", {"fix": True, "peer": None}),
    **{peer: (title, {"fix": False, "peer": peer}) for peer, title in TITLES.items()},
}


def measure(switches: dict, out_dir: Path, say=print) -> tuple[dict, Path]:
    started = time.time()
    out_dir = out_dir.resolve()
    timestamp = datetime.datetime.fromtimestamp(started, datetime.UTC)
    run_dir = out_dir / (timestamp.strftime("%Y%m%dT%H%M%SZ") + "-peers")
    run_dir.mkdir(parents=True, exist_ok=False)
    say(f"Measuring easy-thumbnails beside its peers into {run_dir}/")

    reports = {}
    for key, (title, row_switches) in ROWS.items():
        say(f"== {title} ==")
        reports[key], _ = reproduce(
            {**switches, **row_switches}, run_dir / key, say, restarted_page=True
        )
    floors = compare.measure_floors(
        ROOT / switches["photo_dir"], switches["photos"], say
    )
    rows = {
        key: {"title": ROWS[key][0], **figures(report)}
        for key, report in reports.items()
    }
    report = {
        "metadata": {
            **reports["stock"]["metadata"],
            "switches": {**switches, "fix": "per row", "peer": "per row"},
        },
        "seconds": round(time.time() - started, 1),
        "rows": rows,
        **floors,
        "fix_not_best": not_best(rows),
        "made_before_the_page": made_before_the_page(rows),
        "reports": {key: f"{key}/latest/report.md" for key in reports},
    }
    write(report, run_dir, out_dir / LATEST)
    return report, run_dir


def write(report: dict, directory: Path, latest: Path) -> None:
    peer_chart.plot(report, directory / "peers.png")
    report_files.write_report(
        report,
        peer_comparison_markdown.render(report),
        directory,
        latest,
        other_files=("peers.png",),
    )


def summary(report: dict, directory: Path, latest: Path) -> str:
    lines = [
        f"Done in {report['seconds']:.1f} s. Report: {latest}/report.md (also {directory}/)"
    ]
    return "\n".join(lines + peer_comparison_markdown.not_best_lines(report))
