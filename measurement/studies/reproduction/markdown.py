"""Render a report dict as Markdown, with the 2013 figures beside today's."""

from counting.s3_operations import S3_OPERATIONS
from counting.statement_kinds import OTHER_KIND, STATEMENT_KINDS, TRANSACTION_KINDS
from measurement.report.markdown import (
    GROWTH_MEASURES,
    duration,
    measured_on,
    megabytes,
    optional_megabytes,
    rss_change,
    table_head,
    table_row,
    versions_and_switches,
)
from measurement.report.reporter import Reporter
from measurement.studies.reproduction import plot
from photos.units import MB

# From the 2013 README: 20 photos of about 2 MB (43.8 MB in all), Django 1.5,
# boto 2, PIL 1.1.7, Python 2, DEBUG on, watched in Activity Monitor.
FIGURES_2013 = {
    "index_cold_rss": "24.8 MB -> 404.3 MB",
    "index_cold_seconds": "3.2 min",
    "index_cold_queries": "1443",
    "index_warm_queries": "483",
    "generate_rss": "20 MB -> 220.8 MB",
    "generate_seconds": "151.84 s",
    "load_rss": "never grows",
}


def scenario_rows(report: dict) -> list[tuple[str, dict]]:
    scenarios = report["scenarios"]
    return [
        ("load_photos", scenarios["load"]),
        ("index /, first load (cold)", scenarios["index"]["cold"]),
        ("index /, reload (warm)", scenarios["index"]["warm"]),
        ("generate_all_thumbnail_aliases", scenarios["generate"]),
    ]


def comparison(report: dict) -> list[str]:
    scenarios = report["scenarios"]
    cold, warm = scenarios["index"]["cold"], scenarios["index"]["warm"]
    generate, load = scenarios["generate"], scenarios["load"]
    rows = [
        ("Index page, first load: server RSS", "index_cold_rss", rss_change(cold)),
        (
            "Index page, first load: time",
            "index_cold_seconds",
            duration(cold["seconds"]),
        ),
        (
            "Index page, first load: SQL queries",
            "index_cold_queries",
            cold["queries_count"],
        ),
        (
            "Index page, reload: SQL queries",
            "index_warm_queries",
            warm["queries_count"],
        ),
        ("generate_all_thumbnail_aliases: RSS", "generate_rss", rss_change(generate)),
        (
            "generate_all_thumbnail_aliases: time",
            "generate_seconds",
            duration(generate["seconds"]),
        ),
        ("load_photos: RSS", "load_rss", rss_change(load)),
    ]
    lines = ["| | 2013 | today |", "|---|---|---|"]
    lines += [
        f"| {label} | {FIGURES_2013[key]} | {today} |" for label, key, today in rows
    ]
    return lines


def figures_table(report: dict) -> list[str]:
    header = [
        "scenario",
        "seconds",
        "SQL queries",
        *(f"S3 {op}" for op in S3_OPERATIONS),
    ]
    header += ["RSS start", "RSS peak", "RSS end"]
    lines = table_head(header)
    for label, figures in scenario_rows(report):
        s3 = figures["s3_requests"]
        cells = [label, f"{figures['seconds']:.2f}", str(figures["queries_count"])]
        cells += [str(s3.get(op, 0)) if s3 is not None else "-" for op in S3_OPERATIONS]
        cells += [
            megabytes(figures[key])
            for key in ("rss_start_bytes", "rss_peak_bytes", "rss_end_bytes")
        ]
        lines.append(table_row(cells))
    return lines


def statement_kinds_table(report: dict) -> list[str]:
    """Each scenario's SQL statements by kind, transaction control apart."""
    header = ["scenario", "SQL queries", *STATEMENT_KINDS, "transaction control"]
    header.append(OTHER_KIND)
    lines = table_head(header)
    for label, figures in scenario_rows(report):
        kinds = figures["queries_by_kind"]
        control = {kind: kinds[kind] for kind in TRANSACTION_KINDS if kinds[kind]}
        control_text = str(sum(control.values()))
        if control:
            control_text += (
                " (" + ", ".join(f"{k} {n}" for k, n in control.items()) + ")"
            )
        cells = [label, str(figures["queries_count"])]
        cells += [str(kinds[kind]) for kind in STATEMENT_KINDS]
        cells += [control_text, str(kinds[OTHER_KIND])]
        lines.append(table_row(cells))
    return lines


def statement_kinds_note(report: dict) -> str:
    if report["metadata"]["database"]["vendor"] == "postgresql":
        counted = (
            "the savepoints of atomic blocks inside others (PostgreSQL's BEGIN is "
            "not a statement: Django turns autocommit off instead)"
        )
    else:
        counted = (
            "each SQLite transaction's BEGIN and the savepoints of atomic blocks "
            "inside others"
        )
    return (
        "Transaction control counts the statements that went through a cursor "
        f"like any query: {counted}. Commits go through the database driver "
        "and are not counted."
    )


def per_photo_table(generate: dict) -> list[str]:
    lines = [
        "| photo | seconds | RSS when done | RSS peak sampled | RSS high-water mark "
        "| SQL queries |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {p['photo_number']} | {p['seconds']:.2f} | {megabytes(p['rss_bytes'])}"
        f" | {megabytes(p['rss_peak_bytes'])}"
        f" | {optional_megabytes(p.get('rss_high_water_bytes'))} | {p['queries_count']} |"
        for p in generate["per_photo"]
    ]
    return lines


def checks(report: dict) -> list[str]:
    postgres = report["metadata"]["database"]["vendor"] == "postgresql"
    lines = []
    for label, figures in scenario_rows(report):
        check = figures["checks"]
        s3 = figures["s3_requests"]
        if s3 is None:
            s3_text = "no S3 in this run"
        elif s3 == check["s3_requests_client"]:
            s3_text = "S3 requests: the server's count equals botocore's"
        else:
            s3_text = f"S3 requests DIFFER: server {s3}, botocore {check['s3_requests_client']}"
        debug = check["debug_queries_count"]
        if debug is None:
            query_text = "no second query count (DEBUG off)"
        elif debug == figures["queries_count"]:
            query_text = "SQL queries: equal to Django's own query log"
        else:
            query_text = f"SQL queries DIFFER: Django's query log has {debug}"
        if postgres and check["debug_transactions_count"] is not None:
            query_text += (
                f"; {check['debug_transactions_count']} transactions begun, "
                "not counted as queries; "
                f"{check['debug_lock_queries_count']} of the queries are the "
                "thumbnail maker's advisory lock"
            )
        lines.append(f"- {label}: {s3_text}; {query_text}.")
    return lines


def postgres_counts_note(report: dict) -> list[str]:
    """Why a PostgreSQL run counts fewer queries than a SQLite one."""
    if report["metadata"]["database"]["vendor"] != "postgresql":
        return []
    return [
        "",
        "On PostgreSQL the SQL query counts leave out each transaction's BEGIN: "
        "Django begins a transaction there by turning autocommit off, which sends "
        "no statement through a cursor, while SQLite's BEGIN is a statement and is "
        "counted. A SQLite run of the same photos counts one more query per "
        "transaction, and none for the lock that makes each thumbnail once: "
        "PostgreSQL's is an advisory lock, taken and released by queries, and "
        "since PostgreSQL keeps no note of when it was released, a maker that "
        "holds it reads the rows again; SQLite's is a file lock beside the "
        "database (each scenario's transactions and lock statements are under "
        "Checks).",
    ]


def refused_files(report: dict) -> list[str]:
    """The photos load_photos refused: the figures are of the others."""
    refused = report["scenarios"]["load"].get("refused_files") or []
    if not refused:
        return []
    return [
        "",
        f"load_photos refused {len(refused)} of the photos; the figures are of the rest:",
        "",
        *(f"- `{line}`" for line in refused),
    ]


def render(report: dict) -> str:
    meta = report["metadata"]
    generate = report["scenarios"]["generate"]
    slope = generate["rss_growth_bytes_per_photo"]
    slope_text = "" if slope is None else f" (slope {slope:+,.0f} bytes per photo)"
    lines = [
        "# easy-thumbnails issue #230, reproduced",
        "",
        measured_on(report),
        *refused_files(report),
        "",
        "## 2013 beside today",
        "",
        *comparison(report),
        "",
        "2013: Django 1.5, boto 2, PIL 1.1.7, Python 2, 20 photos of about 2 MB (43.8 MB), "
        "RSS read off Activity Monitor. Today: RSS sampled every "
        f"{meta['sample_interval_seconds']} s by a separate process; start is once Django "
        "is set up (commands) or just before the request (index); end is after the "
        "command's last line or half a second after the response. MB is 2^20 bytes.",
        "",
        "## Today's figures",
        "",
        *figures_table(report),
        *postgres_counts_note(report),
        "",
        "![RSS over time](memory.png)",
        "",
        "## SQL statements by kind",
        "",
        *statement_kinds_table(report),
        "",
        statement_kinds_note(report),
        "",
        "## generate_all_thumbnail_aliases, photo by photo",
        "",
        f"RSS per photo over the second half: **{generate['rss_growth_verdict']}**"
        f"{slope_text}, fitted to "
        f"{GROWTH_MEASURES[generate.get('rss_growth_fitted_to', 'rss_peak_bytes')]}.",
        "",
        *per_photo_table(generate),
        "",
        "## Checks",
        "",
        *checks(report),
        "",
        *versions_and_switches(report),
    ]
    return "\n".join(lines)


def summary_lines(report: dict) -> list[str]:
    scenarios = report["scenarios"]
    cold, warm = scenarios["index"]["cold"], scenarios["index"]["warm"]
    generate = scenarios["generate"]
    return [
        f"  index cold: {cold['seconds']:.1f} s, {cold['queries_count']} queries, "
        f"RSS {cold['rss_start_bytes'] / MB:.1f} -> {cold['rss_peak_bytes'] / MB:.1f} MB",
        f"  index warm: {warm['seconds']:.1f} s, {warm['queries_count']} queries",
        f"  generate:   {generate['seconds']:.1f} s, {generate['queries_count']} queries, "
        f"RSS {generate['rss_start_bytes'] / MB:.1f} -> "
        f"{generate['rss_peak_bytes'] / MB:.1f} MB, {generate['rss_growth_verdict']}",
    ]


REPORTER = Reporter(render, summary_lines, plots=(("memory.png", plot.plot),))
