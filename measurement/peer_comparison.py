"""`reproduce --peers`: easy-thumbnails, stock and fixed, beside its peers.

One row per library and mode, each a full reproduction (measurement.reproduce:
its own database, S3 server and processes watched from outside) on the same
photos: easy-thumbnails stock, easy-thumbnails with THUMBNAIL_FIX=1,
sorl-thumbnail (cached_db key-value store), django-imagekit JustInTime and
django-imagekit Optimistic; then the Pillow and libvips floors. The report
says, from the figures, on which columns the fix is not the best.
"""

import datetime
import json
import shutil
import sys
import time
from pathlib import Path

from measurement import compare
from measurement.growth import FLAT_BELOW_BYTES_PER_PHOTO
from measurement.reproduce import ROOT, ReproductionError, reproduce
from peers import TITLES

LATEST = "latest-peers"
FIXED = "fixed"
# Row key: (title, switches of its reproduction).
ROWS = {
    "stock": ("easy-thumbnails, stock", {"fix": False, "peer": None}),
    FIXED: ("easy-thumbnails, THUMBNAIL_FIX=1", {"fix": True, "peer": None}),
    **{peer: (title, {"fix": False, "peer": peer}) for peer, title in TITLES.items()},
}
# Column key: (title, unit, how far a figure may be above the best and still
# count as level with it). Counts are exact; time and memory move from run to
# run, so a few percent either way is no difference.
COLUMNS = {
    "load_seconds": ("load_photos: time", "s", 0.05),
    "load_s3_requests": ("load_photos: S3 requests", "", 0),
    "index_cold_seconds": ("cold page: time", "s", 0.05),
    "index_cold_queries_count": ("cold page: SQL queries", "", 0),
    "index_cold_s3_requests": ("cold page: S3 requests", "", 0),
    "index_cold_rss_peak_bytes": ("cold page: server peak RSS", "MB", 0.05),
    "index_warm_seconds": ("warm page: time", "s", 0.05),
    "index_warm_queries_count": ("warm page: SQL queries", "", 0),
    "index_warm_s3_requests": ("warm page: S3 requests", "", 0),
    # What another worker, or the server after a deploy, pays for a page whose
    # thumbnails all exist: what a library keeps in memory is gone.
    "index_restarted_seconds": ("restarted server's page: time", "s", 0.05),
    "index_restarted_queries_count": ("restarted server's page: SQL queries", "", 0),
    "index_restarted_s3_requests": ("restarted server's page: S3 requests", "", 0),
    "generate_seconds_per_photo_median": (
        "generate: time per photo (median)",
        "s",
        0.05,
    ),
    "generate_queries_count": ("generate: SQL queries", "", 0),
    "generate_s3_requests": ("generate: S3 requests", "", 0),
    "generate_rss_peak_bytes": ("generate: peak RSS", "MB", 0.05),
    "generate_rss_growth_bytes_per_photo": (
        "generate: RSS growth per photo",
        "MB",
        None,
    ),
}

# load_photos runs the same code in every row (the fix does not touch it); only
# Optimistic makes its thumbnails there. Shown, so that cost is seen; not ranked.
NOT_RANKED = {"load_seconds", "load_s3_requests"}


def run(switches: dict, out_dir: Path) -> int:
    try:
        report, directory = measure(switches, out_dir)
    except ReproductionError as error:
        print(f"Peer comparison failed: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrupted; the report was not written.", file=sys.stderr)
        return 130
    print(summary(report, directory, out_dir / LATEST))
    return 0


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


def figures(report: dict) -> dict:
    """compare.figures of one reproduction, its load_photos and the page
    served by a restarted server."""
    load = report["scenarios"]["load"]
    restarted = report["scenarios"]["index_restarted"]["restarted"]
    return {
        "load_seconds": load["seconds"],
        "load_s3_requests": load["s3_requests"],
        **compare.figures(report),
        "index_restarted_seconds": restarted["seconds"],
        "index_restarted_queries_count": restarted["queries_count"],
        "index_restarted_s3_requests": restarted["s3_requests"],
    }


def total(figure) -> int | float | None:
    return sum(figure.values()) if isinstance(figure, dict) else figure


def level(value, best, tolerance) -> bool:
    """Whether value is as good as best, within the column's tolerance."""
    if tolerance is None:
        # RSS growth: below the flat threshold, every row is flat.
        return value <= max(best, FLAT_BELOW_BYTES_PER_PHOTO)
    return value <= best * (1 + tolerance)


def not_best(rows: dict) -> list[dict]:
    """Each column where another row beats the fix, with the rows that do."""
    fixed = rows[FIXED]
    found = []
    for key, (title, unit, tolerance) in COLUMNS.items():
        if key in NOT_RANKED:
            continue
        mine = total(fixed[key])
        if mine is None:
            continue
        better = [
            {"row": name, "title": row["title"], "value": row[key]}
            for name, row in rows.items()
            if name != FIXED
            and total(row[key]) is not None
            and not level(mine, total(row[key]), tolerance)
        ]
        if better:
            better.sort(key=lambda item: total(item["value"]))
            found.append(
                {
                    "column": key,
                    "title": title,
                    "unit": unit,
                    "fixed": fixed[key],
                    "better": better,
                }
            )
    return found


def made_before_the_page(rows: dict) -> list[dict]:
    """Rows whose cold page stored no thumbnail: they were made at load time."""
    return [
        {
            "row": name,
            "title": row["title"],
            "load_seconds": row["load_seconds"],
            "load_put_count": row["load_s3_requests"]["PUT"],
        }
        for name, row in rows.items()
        if row["index_cold_s3_requests"] and row["index_cold_s3_requests"]["PUT"] == 0
    ]


def write(report: dict, directory: Path, latest: Path) -> None:
    from measurement import peer_chart, peer_comparison_markdown

    (directory / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    (directory / "report.md").write_text(peer_comparison_markdown.render(report))
    peer_chart.plot(report, directory / "peers.png")
    shutil.rmtree(latest, ignore_errors=True)
    latest.mkdir(parents=True)
    for name in ("report.json", "report.md", "peers.png"):
        shutil.copy2(directory / name, latest / name)


def summary(report: dict, directory: Path, latest: Path) -> str:
    from measurement.peer_comparison_markdown import not_best_lines

    lines = [
        f"Done in {report['seconds']:.1f} s. Report: {latest}/report.md (also {directory}/)"
    ]
    return "\n".join(lines + not_best_lines(report))
