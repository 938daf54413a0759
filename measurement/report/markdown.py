"""The Markdown pieces every report's writer shares: tables, units, the
sentence that says what a run was measured on, its versions and switches."""

from photos.units import MB

# What growth per photo is fitted to (stats.growth.growth_measure), in words.
GROWTH_MEASURES = {
    "rss_high_water_bytes": "the kernel's high-water mark of RSS as each photo is done",
    # Reports before the watcher read the high-water mark name none.
    "rss_peak_bytes": "each photo's sampled peak",
}


# The figures of stats.figures.flat_figures, as the studies that set
# reproductions side by side show them: (title, key, unit).
FIGURE_ROWS = [
    ("Index page, first load (cold): time", "index_cold_seconds", "s"),
    ("Index page, first load (cold): SQL queries", "index_cold_queries_count", ""),
    ("Index page, first load (cold): S3 requests", "index_cold_s3_requests", ""),
    ("Index page, first load (cold): S3 body bytes", "index_cold_s3_bytes", "MB"),
    (
        "Index page, first load (cold): server peak RSS",
        "index_cold_rss_peak_bytes",
        "MB",
    ),
    ("Index page, reload (warm): time", "index_warm_seconds", "s"),
    ("Index page, reload (warm): SQL queries", "index_warm_queries_count", ""),
    ("Index page, reload (warm): S3 requests", "index_warm_s3_requests", ""),
    ("Index page, reload (warm): S3 body bytes", "index_warm_s3_bytes", "MB"),
    ("generate_all_thumbnail_aliases: time", "generate_seconds", "s"),
    (
        "generate_all_thumbnail_aliases: time per photo",
        "generate_seconds_per_photo",
        "s",
    ),
    ("generate_all_thumbnail_aliases: SQL queries", "generate_queries_count", ""),
    ("generate_all_thumbnail_aliases: S3 requests", "generate_s3_requests", ""),
    ("generate_all_thumbnail_aliases: S3 body bytes", "generate_s3_bytes", "MB"),
    ("generate_all_thumbnail_aliases: peak RSS", "generate_rss_peak_bytes", "MB"),
    (
        "generate_all_thumbnail_aliases: RSS growth per photo",
        "generate_rss_growth_bytes_per_photo",
        "MB",
    ),
]


def table_row(cells) -> str:
    """One row of a Markdown table."""
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def table_head(header: list[str]) -> list[str]:
    """A Markdown table's header row and the rule under it."""
    return [table_row(header), "|---" * len(header) + "|"]


def megabytes(value: int | float) -> str:
    return f"{value / MB:.1f} MB"


def optional_megabytes(value: int | None) -> str:
    return "-" if value is None else megabytes(value)


def rss_change(figures: dict) -> str:
    return (
        f"{megabytes(figures['rss_start_bytes'])} -> {megabytes(figures['rss_end_bytes'])}"
        f" (peak {megabytes(figures['rss_peak_bytes'])})"
    )


def duration(seconds: float) -> str:
    if seconds >= 120:
        return f"{seconds:.1f} s ({seconds / 60:.1f} min)"
    return f"{seconds:.2f} s"


def value(figure, unit: str) -> str:
    """A figure of a table cell: a count by kind as its sum and its parts,
    bytes in MB (by kind too), seconds to the millisecond."""
    if figure is None:
        return "n/a"
    if isinstance(figure, dict) and unit == "MB":
        # S3 body bytes, by direction: {"get": ..., "put": ...}.
        parts = ", ".join(
            f"{kind.upper()} {n / MB:.2f}" for kind, n in figure.items() if n
        )
        return f"{sum(figure.values()) / MB:.2f} MB ({parts})" if parts else "0 MB"
    if isinstance(figure, dict):
        made = ", ".join(f"{op} {n}" for op, n in figure.items() if n)
        return f"{sum(figure.values())} ({made})" if made else "0"
    if unit == "MB":
        return f"{figure / MB:.2f} MB"
    if unit == "s":
        return f"{figure:.3f} s"
    return str(figure)


def ratio(figure) -> str:
    return "n/a" if figure is None else f"{figure:.3f}"


def share(figure) -> str:
    return "n/a" if figure is None else f"{figure * 100:.0f}%"


def database_name(database: dict) -> str:
    vendor = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[database["vendor"]]
    return f"{vendor} {database['version']}"


def served_by(switches: dict) -> str:
    """How the index page was served, when not by runserver (2013's way)."""
    if switches.get("server", "runserver") == "runserver":
        return ""
    return (
        f", index page served by gunicorn with {switches['workers']} workers "
        "(their memory added up)"
    )


def rate(bytes_per_second: float | None) -> str:
    """A bandwidth as networks are sold: megabits per second."""
    if bytes_per_second is None:
        return "unlimited"
    return f"{bytes_per_second * 8 / 1_000_000:g} Mbit/s"


def network_sentence(network: dict | None) -> str:
    """What network the S3 server answered as (metadata.network), in a sentence."""
    if network is None:
        return ""
    if not network["simulated"]:
        return (
            f" Network: {network['profile']}, this machine's own, not shaped: S3 "
            "answers as fast as it can."
        )
    return (
        f" Network: {network['profile']}, simulated by the local S3 server: each "
        f"request answered after {network['latency_seconds'] * 1000:g} ms, bodies at "
        f"{rate(network['download_bytes_per_second'])} down and "
        f"{rate(network['upload_bytes_per_second'])} up (per connection "
        f"{rate(network['connection_download_bytes_per_second'])} down, "
        f"{rate(network['connection_upload_bytes_per_second'])} up; a link all "
        f"connections share, {rate(network['link_download_bytes_per_second'])} down, "
        f"{rate(network['link_upload_bytes_per_second'])} up)."
    )


def measured_on(report: dict) -> str:
    """The sentence under a run's title: when, on what, which photos and switches."""
    meta = report["metadata"]
    photos, machine, switches = meta["photos"], meta["machine"], meta["switches"]
    dimensions = ", ".join(
        f"{d['count']} of {d['width_pixels']}x{d['height_pixels']}"
        for d in photos["dimensions"]
    )
    fix = switches["fix"]
    code = "stock easy-thumbnails" if not fix else f"THUMBNAIL_FIX={fix}"
    if fix is True:
        code = "the fix (THUMBNAIL_FIX=1)"
    return (
        f"Measured {meta['created_utc']} on {machine['platform']}, {machine['cores']} "
        f"cores, {megabytes(machine['memory_bytes'])}: {photos['count']} photos, "
        f"{megabytes(photos['total_bytes'])} in all ({dimensions}); storage "
        f"{switches['storage']}, database {database_name(meta['database'])}, "
        f"DEBUG {'on' if switches['debug'] else 'off'}, {code}"
        f"{served_by(switches)}. The whole run took {report['seconds']:.1f} s."
        f"{network_sentence(meta.get('network'))}"
    )


def opening(report: dict, title: str) -> list[str]:
    """A session's report opens with its title, what the run was measured
    on, and its load_photos."""
    load = report["scenarios"]["load"]
    return [
        f"# {title}",
        "",
        measured_on(report),
        "",
        f"load_photos: {duration(load['seconds'])}, RSS {rss_change(load)}.",
    ]


def versions_and_switches(report: dict, versions: dict | None = None) -> list[str]:
    """The section naming every version and switch the run was measured with."""
    meta = report["metadata"]
    return [
        "## Versions and switches",
        "",
        "| | |",
        "|---|---|",
        *(f"| {name} | {value} |" for name, value in meta["versions"].items()),
        *(f"| {name} | {value} |" for name, value in (versions or {}).items()),
        *(f"| switch `{name}` | {value} |" for name, value in meta["switches"].items()),
        "",
    ]
