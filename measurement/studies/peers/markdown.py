"""Render the --peers report dict as Markdown: one table, the floors, and in
words, from the figures, where the fix is not the best."""

from measurement.report.markdown import table_head, table_row, value
from measurement.report.reporter import Reporter
from measurement.stats.percentiles import median
from measurement.studies.peers import chart
from measurement.studies.peers.figures import COLUMNS, FIXED, NOT_RANKED

FLOOR_TITLES = {
    "pillow_floor": "Pillow (draft decode once, nine sizes in memory)",
    "vips_floor": "libvips (shrink-on-load once, nine sizes in memory)",
}


def not_best_lines(report: dict) -> list[str]:
    """The fix's place, in words: each column where a row beats it."""
    found = report["fix_not_best"]
    if not found:
        return ["The fix is the best, or level with the best, on every column."]
    ranked = len(COLUMNS) - len(NOT_RANKED)
    lines = [f"The fix is not the best on {len(found)} of {ranked} columns:"]
    for item in found:
        better = ", ".join(
            f"{row['title']} {value(row['value'], item['unit'])}"
            for row in item["better"]
        )
        lines.append(
            f"- {item['title']}: the fix {value(item['fixed'], item['unit'])}; "
            f"better: {better}."
        )
    return lines


def made_before_lines(report: dict) -> list[str]:
    return [
        f"- {row['title']} stored no thumbnail on the cold page: it made them when "
        f"the photos were saved, in load_photos ({row['load_seconds']:.2f} s, "
        f"{row['load_put_count']} PUT in all, the photos included)."
        for row in report["made_before_the_page"]
    ]


def floor_lines(report: dict) -> list[str]:
    fixed = report["rows"][FIXED]
    lines = ["| Floor | time per photo | median | the fix's median / floor's |"]
    lines.append("|---|---|---|---|")
    for key, title in FLOOR_TITLES.items():
        floor = report.get(key)
        if floor is None:
            continue
        floor_median = median(floor["per_photo_seconds"])
        lines.append(
            f"| {title} | {floor['seconds_per_photo']:.3f} s | {floor_median:.3f} s | "
            f"{fixed['generate_seconds_per_photo_median'] / floor_median:.2f} |"
        )
    return lines


def render(report: dict) -> str:
    rows = report["rows"]
    metadata = report["metadata"]
    photos = next(iter(rows.values()))["photos_count"]
    header = ["Library and mode", *(title for title, _, _ in COLUMNS.values())]
    lines = [
        "# easy-thumbnails beside sorl-thumbnail and django-imagekit",
        "",
        f"{photos} photos, the site's nine aliases, each row a full reproduction "
        f"on a local S3 server of its own ({', '.join(report['reports'].values())}); "
        f"switches: `{metadata['switches']}`; versions: `{metadata['versions']}`. "
        f"The whole run took {report['seconds']:.1f} s.",
        "",
        "## Where the fix is not the best",
        "",
        *not_best_lines(report),
        "",
        "Counts are compared exactly; times and peak RSS within 5% count as level "
        "(they move that much from run to run), and RSS growth below "
        "0.05 MB per photo is flat. load_photos is shown, not ranked: it is the "
        "same code in every row, and only Optimistic makes thumbnails there.",
        *(["", *made_before_lines(report)] if report["made_before_the_page"] else []),
        "",
        "## Figures",
        "",
        *table_head(header),
    ]
    for row in rows.values():
        cells = [row["title"]]
        cells += [value(row.get(key), unit) for key, (_, unit, _) in COLUMNS.items()]
        lines.append(table_row(cells))
    lines += [
        "",
        "![Each column, one bar per library and mode](peers.png)",
        "",
        "## The floors",
        "",
        *floor_lines(report),
        "",
    ]
    return "\n".join(lines)


REPORTER = Reporter(render, not_best_lines, plots=(("peers.png", chart.plot),))
