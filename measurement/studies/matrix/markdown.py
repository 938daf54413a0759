"""Render the matrix's cells as reports/matrix/report.md: counts, time per
photo and RSS growth per cell, and which releases show the explosion."""

from measurement.report.markdown import table_head, table_row, value
from measurement.report.reporter import Reporter
from photos.units import MB

# The explosion of issue #230: a query per alias on every page view, and the
# original downloaded again for every alias on the first.
EXPLOSION = "a query per alias on the warm page and a GET of the original per alias"


def explosion(figures: dict, aliases_count: int) -> tuple[bool, str]:
    """Whether a cell shows the explosion, and the figures that say so."""
    photos = figures["photos_count"]
    warm_queries = figures["index_warm_queries_count"] / photos
    cold_gets = (figures["index_cold_s3_requests"] or {}).get("GET", 0) / photos
    shown = warm_queries >= aliases_count and cold_gets >= aliases_count
    return shown, (
        f"{warm_queries:g} warm queries and {cold_gets:g} cold GETs per photo"
    )


def cell_row(cell: dict, aliases_count: int) -> str:
    title = f"{cell['package']} {cell['version']}"
    if cell["package"] == "today":
        title = "today's pins"
    if "install_error" in cell:
        reason = cell["install_error"].replace("\n", " ").replace("|", "\\|")
        return f"| {title} | does not install: `{reason}` |" + " |" * 7
    if "reproduce_error" in cell:
        reason = cell["reproduce_error"].replace("\n", " ").replace("|", "\\|")
        return f"| {title} | installs, reproduction fails: `{reason}` |" + " |" * 7
    figures = cell["figures"]
    shown, why = explosion(figures, aliases_count)
    growth = figures["generate_rss_growth_bytes_per_photo"]
    cells = [
        title,
        f"**yes** ({why})" if shown else f"no ({why})",
        value(figures["index_cold_queries_count"], ""),
        value(figures["index_cold_s3_requests"], ""),
        value(figures["index_warm_queries_count"], ""),
        value(figures["generate_s3_requests"], ""),
        f"{figures['generate_seconds_per_photo_median']:.3f} s",
        f"{figures['generate_rss_peak_bytes'] / MB:.1f} MB",
        "n/a (under 4 photos)" if growth is None else f"{growth / MB:+.3f} MB",
    ]
    return table_row(cells)


def summary(results: list[dict], aliases_count: int) -> list[str]:
    measured = [cell for cell in results if "figures" in cell]
    showing = [
        cell for cell in measured if explosion(cell["figures"], aliases_count)[0]
    ]
    names = ", ".join(
        "today's pins" if c["package"] == "today" else f"{c['package']} {c['version']}"
        for c in showing
    )
    failed = len(results) - len(measured)
    lines = [
        f"{len(showing)} of {len(measured)} measured cells show the explosion "
        f"({EXPLOSION})" + (f": {names}." if showing else "."),
    ]
    if failed:
        lines.append(
            f"{failed} cell{'' if failed == 1 else 's'} could not install or run; "
            "the table says why."
        )
    return lines


def render(report: dict) -> str:
    results, aliases_count = report["cells"], report["metadata"]["aliases_count"]
    created_utc = report["metadata"]["created_utc"]
    photos = {cell["photos"] for cell in results}
    header = [
        "Cell",
        "explosion",
        "cold page: queries",
        "cold page: S3 requests",
        "warm page: queries",
        "generate: S3 requests",
        "generate: time per photo (median)",
        "generate: peak RSS",
        "generate: RSS growth per photo",
    ]
    lines = [
        "# Stock easy-thumbnails across releases",
        "",
        f"Made {created_utc}. Each cell is today's pins (constraints.txt) with one "
        "package at another release, in an environment of its own (`make matrix`, "
        f"noxfile.py), running the stock reproduction on {', '.join(map(str, sorted(photos)))} "
        f"photos with {aliases_count} aliases. Each cell's own report is in "
        "reports/matrix/cells/<cell>/latest/.",
        "",
        *summary(results, aliases_count),
        "",
        *table_head(header),
        *(cell_row(cell, aliases_count) for cell in results),
        "",
    ]
    return "\n".join(lines)


def summary_lines(report: dict) -> list[str]:
    return summary(report["cells"], report["metadata"]["aliases_count"])


REPORTER = Reporter(render, summary_lines)
