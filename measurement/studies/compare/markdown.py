"""Render the --compare report dict as Markdown."""

from easy_thumbnails_fix.draft_geometry import DRAFT_GAP

from measurement.report.markdown import (
    FIGURE_ROWS,
    database_name,
    ratio,
    share,
    table_head,
    table_row,
    value,
)
from measurement.report.reporter import Reporter
from measurement.stats.percentiles import median
from measurement.studies.reproduction import answer_lines

MEASURE_TITLES = {
    "time_seconds": "time",
    "memory_peak_bytes": "peak RSS",
    "queries_count": "SQL queries",
    "s3_requests_count": "S3 requests",
}


def differing(quality: dict) -> list[str]:
    """Each photo and alias whose thumbnail the fix makes otherwise than stock."""
    if not quality["differing"]:
        return [
            f"None: each of the {quality['thumbnails_count']} thumbnails has stock's "
            f"name and size, and differs by at most {quality['mean_abs_diff_max']} of "
            "255 in any channel on average."
        ]
    return [
        f"- {item['photo']}, {item['alias']}: {item['reason']}"
        for item in quality["differing"]
    ]


FLOOR_TEXTS = {
    "pillow_floor": "Pillow alone, each original read from local disk once and "
    "decoded once in draft mode",
    "pillow_floor_draft_gap": "Pillow alone as above, the draft held to the rule "
    f"the fix's drafts keep (at least {DRAFT_GAP:g} pixels per pixel of the largest alias: "
    "closer, strong grain leaks through libjpeg's scaled decode and the "
    "thumbnails part from stock's by more than the quality bar allows)",
    "vips_floor": "libvips alone (pyvips), each original read from local disk once "
    "and decoded once with shrink-on-load",
    "vips_floor_draft_gap": "libvips alone as above, shrunk on load no closer than "
    f"{DRAFT_GAP:g} pixels per pixel of the largest alias, as the fix's "
    "vips_decode part shrinks",
}


def vips_decode_text(report: dict, key: str, mean: float, floor_median: float) -> str:
    """Against a libvips floor, the fix with its libvips part too."""
    fixed_vips = report["columns"].get("fixed_vips")
    if fixed_vips is None or not key.startswith("vips_floor"):
        return ""
    return (
        f" The fix with vips_decode **{fixed_vips['generate_seconds_per_photo'] / mean:.2f} x** "
        f"(median {fixed_vips['generate_seconds_per_photo_median'] / floor_median:.2f} x)."
    )


def floor_lines(report: dict) -> list[str]:
    """Each floor, and stock's and the fix's time per photo as a multiple of it."""
    stock, fixed = report["columns"]["stock"], report["columns"]["fixed"]
    lines = []
    for key, text in FLOOR_TEXTS.items():
        floor = report.get(key)
        if floor is None:
            continue
        floor_median = median(floor["per_photo_seconds"])
        mean = floor["seconds_per_photo"]
        lines.append(
            f"- {text}, the same nine JPEGs written to memory: {mean:.3f} s per photo "
            f"(median {floor_median:.3f} s). Stock takes "
            f"{stock['generate_seconds_per_photo'] / mean:.1f} x that, the fix "
            f"**{fixed['generate_seconds_per_photo'] / mean:.2f} x** (medians: "
            f"{stock['generate_seconds_per_photo_median'] / floor_median:.1f} x and "
            f"{fixed['generate_seconds_per_photo_median'] / floor_median:.2f} x)."
            + vips_decode_text(report, key, mean, floor_median)
        )
    lines += [
        "",
        "The first photo of a process also pays its one-time costs; the medians "
        "leave it out.",
    ]
    return lines


def render(report: dict) -> str:
    stock, fixed = report["columns"]["stock"], report["columns"]["fixed"]
    metadata = report["metadata"]
    lines = [
        "# Stock easy-thumbnails and THUMBNAIL_FIX, measured in one run",
        "",
        *answer_lines(report["answer"]),
        "",
        f"{stock['photos_count']} photos; database "
        f"{database_name(metadata['database'])}; "
        f"switches: `{metadata['switches']}`; "
        f"versions: `{metadata['versions']}`.",
        "Each column is a full reproduction: "
        + ", ".join(report["reports"].values())
        + ". Fixed + vips_decode is the fix with its opt-in libvips part.",
        "",
        "| Figure | Stock | Fixed | Fixed / stock | Fixed + vips_decode |",
        "|---|---|---|---|---|",
    ]
    fixed_vips = report["columns"]["fixed_vips"]
    for title, key, unit in FIGURE_ROWS:
        lines.append(
            f"| {title} | {value(stock[key], unit)} | {value(fixed[key], unit)} "
            f"| {ratio(report['ratios'][key])} "
            f"| {value(fixed_vips[key], unit)} |"
        )
    lines += ["", "## The floors", "", *floor_lines(report)]
    lines += [
        "",
        "## Thumbnails that differ from stock's",
        "",
        *differing(report["thumbnail_quality"]),
        "",
        "With vips_decode:",
        "",
        *differing(report["thumbnail_quality_vips"]),
        "",
        "## Targets",
        "",
        "| Target | Wanted | Measured | Met |",
        "|---|---|---|---|",
    ]
    for item in report["targets"]:
        lines.append(
            f"| {item['name']} | {item['target']} | {item['measured']} "
            f"| {'yes' if item['met'] else '**no**'} |"
        )
    if report["causes"]:
        lines += [
            "",
            "## Causes, each switched off alone",
            "",
            "Stock with only this cause removed; the share is what that saves, of "
            "stock's figure (time and peak RSS of the cold page plus the command; "
            "queries and S3 requests of both pages plus the command).",
            "",
            *table_head(["Cause", *MEASURE_TITLES.values()]),
        ]
        for row in report["causes"]:
            cells = [
                share(row["measures"][measure]["share_of_stock"])
                for measure in MEASURE_TITLES
            ]
            lines.append(table_row([row["description"], *cells]))
        notes = [row for row in report["causes"] if row.get("note")]
        if notes:
            lines.append("")
            lines += [f"- {row['cause']}: {row['note']}" for row in notes]
    return "\n".join(lines) + "\n"


def summary_lines(report: dict) -> list[str]:
    """Each target, met or not."""
    return [
        f"  {item['name']}: {item['measured']} (target {item['target']}): "
        f"{'met' if item['met'] else 'NOT met'}"
        for item in report["targets"]
    ]


REPORTER = Reporter(render, summary_lines)
