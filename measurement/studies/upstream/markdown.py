"""Render the upstream-check report dict as Markdown: stock, patched, fixed."""

from measurement.report.markdown import FIGURE_ROWS, table_head, table_row, value
from measurement.report.reporter import Reporter

# What each column's page and command do differently, for the reader.
NOTES = [
    "The patched column runs the project's code unchanged: the index view does "
    "not call the series' `prefetch_thumbnail_caches()` (0005), and a page asks "
    "for each alias on its own, outside `shared_source_image()` (0004); "
    "`generate_all_thumbnail_aliases` goes through `generate_all_aliases()`, "
    "which uses it.",
    "The fixed column is the project's `THUMBNAIL_FIX=1` on the released "
    "easy-thumbnails.",
]


def render(report: dict) -> str:
    columns, titles = report["columns"], report["column_titles"]
    metadata, suite = report["metadata"], report["suite_patched"]
    names = list(columns)
    photos = columns["stock"]["photos_count"]
    lines = [
        "# easy-thumbnails as released, patched with upstream/, and the fix",
        "",
        f"{photos} photos; switches: `{metadata['switches']}`; "
        f"versions: `{metadata['versions']}`.",
        "",
        f"Patches: {', '.join(f'`{name}`' for name in metadata['patches'])}; the "
        f"patched column imported easy_thumbnails from "
        f"`{metadata['patched_easy_thumbnails_imported_from']}`.",
        f"easy-thumbnails' own suite on the patched source: {suite['passed_count']} "
        f"passed, {suite['failed_count']} failed, {suite['skipped_count']} skipped.",
        "",
        *table_head(["Figure", *(titles[name] for name in names)]),
    ]
    for title, key, unit in FIGURE_ROWS:
        cells = [value(columns[name][key], unit) for name in names]
        lines.append(table_row([title, *cells]))
    cells = [
        value(columns[name]["generate_seconds_per_photo_median"], "s") for name in names
    ]
    lines.append(
        table_row(["generate_all_thumbnail_aliases: median time per photo", *cells])
    )
    lines += ["", *(f"- {note}" for note in NOTES)]
    return "\n".join(lines) + "\n"


def summary_lines(report: dict) -> list[str]:
    suite = report["suite_patched"]
    return [
        f"  easy-thumbnails' suite on the patched source: {suite['passed_count']} "
        f"passed, {suite['failed_count']} failed, {suite['skipped_count']} skipped"
    ]


REPORTER = Reporter(render, summary_lines)
