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
from measurement.stats import growth
from measurement.studies.reproduction import plot
from measurement.studies.reproduction.figures import network_floor_seconds
from photos.page_costs import PHOTOS_2013, QUERIES_2013
from photos.units import MB

# From the 2013 README: 20 photos of about 2 MB (43.8 MB in all), Django 1.5,
# boto 2, PIL 1.1.7, Python 2, DEBUG on, watched in Activity Monitor.
FIGURES_2013 = {
    "index_cold_rss": "24.8 MB -> 404.3 MB",
    "index_cold_seconds": "3.2 min",
    "index_cold_queries": str(QUERIES_2013["cold"]),
    "index_warm_queries": str(QUERIES_2013["warm"]),
    "generate_rss": "20 MB -> 220.8 MB",
    "generate_seconds": "151.84 s",
    "load_rss": "never grows",
}


def memory_sentence(memory: dict) -> str:
    """The memory verdict in words: its estimate, its interval, its steps."""
    count = memory["photos_count"]
    command = f'`make reproduce ARGS="--photos {growth.photos_to_tell(count)}"`'
    if memory["ci95_bytes_per_photo"] is None:
        return (
            f"**Memory: cannot tell from {count} photos.** Whether memory keeps "
            f"growing needs {growth.PHOTOS_TO_TELL} photos or more "
            f"({growth.WARM_UP_PHOTOS} of warm-up, then "
            f"seven more for a 95% interval): run {command}."
        )
    low, high = memory["ci95_bytes_per_photo"]
    measured = (
        f"after {memory['warm_up_photos_count']} photos of warm-up, the high-water mark "
        "of generate_all_thumbnail_aliases rose by "
        f"{memory['bytes_per_photo'] / MB:.2f} MB per photo, one-time steps "
        "left out, over the next "
        f"{memory['photos_fitted']} (95% interval {low / MB:.2f} to "
        f"{high / MB:.2f} MB)"
    )
    steps = memory["steps"]
    if memory["verdict"] == "grows":
        return (
            f"**Memory grows**: {measured}. A process that makes thumbnails keeps "
            "getting fatter with every photo."
        )
    if memory["verdict"] == "does not grow":
        step_text = ""
        if steps:
            listed = ", ".join(
                f"+{step['bytes'] / MB:.2f} MB at photo {step['photo_number']}"
                for step in steps
            )
            step_text = (
                f" It rose in one-time steps at {len(steps)} "
                f"{'photo' if len(steps) == 1 else 'photos'} ({listed}): paid once, "
                "not per photo."
            )
        return f"**Memory does not grow**: {measured}.{step_text}"
    return (
        f"**Memory: cannot tell from {count} photos**: {measured}, an interval "
        "that holds both growth and none "
        f"({len(steps)} of the photos raised it). Run {command}."
    )


def queries_sentence(answer: dict) -> str:
    queries = answer["queries_per_photo"]
    return (
        f"**Queries**: the index page cost {queries['cold']:g} SQL queries per "
        f"photo cold and {queries['warm']:g} warm; 2013's cost "
        f"{queries['cold_2013']:g} and {queries['warm_2013']:g} per photo "
        f"({QUERIES_2013['cold']} and {QUERIES_2013['warm']} over {PHOTOS_2013} "
        "photos)."
    )


def requests_text(per_photo: dict) -> str:
    return ", ".join(
        f"{per_photo[op]:g} {op}" for op in S3_OPERATIONS if per_photo.get(op)
    )


def downloads_text(answer: dict) -> str:
    """What the cold page downloaded per photo, as a multiple of the original."""
    s3_bytes = answer.get("s3_bytes_per_photo")
    if s3_bytes is None:
        return ""
    times = answer["originals_downloaded_per_photo"]
    text = (
        f"; it downloaded {s3_bytes.get('get', 0) / MB:.1f} MB and uploaded "
        f"{s3_bytes.get('put', 0) / MB:.1f} MB per photo, {times:g} times the "
        "photo's original"
    )
    if times >= 1.5:
        text += ": each alias downloads the whole original"
    return text


def s3_sentence(answer: dict) -> str:
    if not answer["s3_per_photo"]:
        return "**S3**: none in this run (--storage filesystem)."
    total = sum(answer["s3_per_photo"].values())
    return (
        f"**S3**: the cold page sent {total:g} requests per photo "
        f"({requests_text(answer['s3_per_photo'])}){downloads_text(answer)}."
    )


def fix_sentence(answer: dict) -> str:
    """What causes the cost and what fixes it: the fix's own figures when the
    run measured it, else the command that does."""
    fixed = answer.get("fixed")
    if fixed is not None:
        queries = fixed["queries_per_photo"]
        s3 = requests_text(fixed["s3_per_photo"]) or "no S3 requests"
        memory = fixed["memory"]
        return (
            "**What fixes it**: with `THUMBNAIL_FIX = True` on the same photos, "
            f"{queries['cold']:g} queries per photo cold and {queries['warm']:g} "
            f"warm, {s3} per photo on the cold page{downloads_text(fixed)}; "
            f"memory: {growth.verdict_text(memory)}."
        )
    if answer.get("peer"):
        return (
            f"**This run measured {answer['peer']}** in easy-thumbnails' place: "
            '`make reproduce ARGS="--peers"` sets every library beside the others, '
            "stock and fixed."
        )
    if answer["fix"]:
        return (
            f"**This run had the fix on** (THUMBNAIL_FIX={answer['fix']}): "
            '`make reproduce ARGS="--compare"` measures stock beside it.'
        )
    return (
        f"**Why, and what fixes it**: for each of the {answer['aliases_count']} "
        "aliases, stock reads and writes a Thumbnail row, downloads and decodes "
        "the whole original, and deletes the thumbnail before uploading it. "
        "`THUMBNAIL_FIX = True` (easy-thumbnails-fix) removes each cause; "
        '`make reproduce ARGS="--compare"` measures it beside stock on these '
        'photos, and `ARGS="--compare --causes"` what each cause costs.'
    )


def answer_lines(answer: dict) -> list[str]:
    """The section a report opens with: the answer in words, each sentence
    resting on a figure of the run (report.json's `answer`)."""
    return [
        "## The answer",
        "",
        f"- {memory_sentence(answer['memory'])}",
        f"- {queries_sentence(answer)}",
        f"- {s3_sentence(answer)}",
        f"- {fix_sentence(answer)}",
    ]


def scenario_rows(report: dict) -> list[tuple[str, dict]]:
    scenarios = report["scenarios"]
    return [
        ("load_photos", scenarios["load"]),
        ("index /, first load (cold)", scenarios["index"]["cold"]),
        ("index /, reload (warm)", scenarios["index"]["warm"]),
        ("generate_all_thumbnail_aliases", scenarios["generate"]),
    ]


# The 2013 figures that add up photo by photo, as numbers: (seconds or count).
TOTALS_2013 = {
    "index_cold_seconds": 3.2 * 60,
    "index_cold_queries": QUERIES_2013["cold"],
    "index_warm_queries": QUERIES_2013["warm"],
    "generate_seconds": 151.84,
}


def comparison(report: dict) -> list[str]:
    """2013's figures beside today's: totals when today's run has 2013's 20
    photos, per photo when not (RSS, which does not add up, stays as it is)."""
    scenarios = report["scenarios"]
    cold, warm = scenarios["index"]["cold"], scenarios["index"]["warm"]
    generate, load = scenarios["generate"], scenarios["load"]
    photos = report["metadata"]["photos"]["count"]
    like_2013 = photos == PHOTOS_2013
    today = {
        "index_cold_seconds": cold["seconds"],
        "index_cold_queries": cold["queries_count"],
        "index_warm_queries": warm["queries_count"],
        "generate_seconds": generate["seconds"],
    }

    def added_up(key: str, title: str) -> tuple[str, str, str]:
        if like_2013:
            shown = today[key]
            shown = duration(shown) if key.endswith("seconds") else shown
            return title, FIGURES_2013[key], shown
        then = TOTALS_2013[key] / PHOTOS_2013
        now = today[key] / photos
        if key.endswith("seconds"):
            return f"{title} per photo", f"{then:.2f} s", f"{now:.2f} s"
        return f"{title} per photo", f"{then:.1f}", f"{now:.1f}"

    rows = [
        (
            "Index page, first load: server RSS",
            FIGURES_2013["index_cold_rss"],
            rss_change(cold),
        ),
        added_up("index_cold_seconds", "Index page, first load: time"),
        added_up("index_cold_queries", "Index page, first load: SQL queries"),
        added_up("index_warm_queries", "Index page, reload: SQL queries"),
        (
            "generate_all_thumbnail_aliases: RSS",
            FIGURES_2013["generate_rss"],
            rss_change(generate),
        ),
        added_up("generate_seconds", "generate_all_thumbnail_aliases: time"),
        ("load_photos: RSS", FIGURES_2013["load_rss"], rss_change(load)),
    ]
    head = "| | 2013 | today |"
    if not like_2013:
        head = f"| | 2013 (20 photos) | today ({photos} photos) |"
    lines = [head, "|---|---|---|"]
    lines += [f"| {label} | {then} | {now} |" for label, then, now in rows]
    if not like_2013:
        lines += [
            "",
            f"Today's run had {photos} photos, 2013's 20: times and queries are "
            "per photo on both sides; RSS is as measured, over each run's own photos.",
        ]
    network = report["metadata"].get("network")
    if network is not None:
        lines += ["", network_2013_note(network)]
    return lines


def network_2013_note(network: dict) -> str:
    """Whether today's times were taken on a network like 2013's."""
    if not network["simulated"]:
        return (
            f"2013's times were taken over the internet to AWS, today's on "
            f"{network['profile']}: `--network internet` simulates a line like "
            "2013's."
        )
    return (
        "2013's times were taken over the internet to AWS, today's on the "
        f"simulated {network['profile']} network (above); its counts are those of "
        "loopback."
    )


def network_floor_note(report: dict) -> list[str]:
    """On a simulated network, how close each scenario that moved bodies came
    to what its bytes alone need there (figures.network_floor_seconds)."""
    network = report["metadata"].get("network")
    parts = []
    for label, figures in scenario_rows(report):
        floor = network_floor_seconds(figures.get("s3_bytes"), network)
        if floor:
            parts.append(
                f"{label} {figures['seconds']:.1f} s against {floor:.1f} s "
                f"({figures['seconds'] / floor:.2f}×)"
            )
    if not parts:
        return []
    return [
        "",
        f"On the simulated {network['profile']} network, the bodies alone need "
        "at least their downloads at its download bandwidth or their uploads at "
        "its upload bandwidth, whichever is longer, plus one latency: "
        + "; ".join(parts)
        + ". Near 1×, the transfers overlap each other and the image work. Well "
        "above it, the time is the scenario's own work (a loopback run shows "
        "how much) or requests waited for one at a time.",
    ]


def s3_megabytes(s3_bytes: dict | None, kind: str) -> str:
    """A scenario's S3 body bytes of one kind (get, put) in MB, without a unit:
    the column names it."""
    if s3_bytes is None:
        return "-"
    return f"{s3_bytes.get(kind, 0) / MB:.1f}"


def figures_table(report: dict) -> list[str]:
    header = [
        "scenario",
        "seconds",
        "SQL queries",
        *(f"S3 {op}" for op in S3_OPERATIONS),
        "S3 GET MB",
        "S3 PUT MB",
    ]
    header += ["RSS start", "RSS peak", "RSS end"]
    lines = table_head(header)
    for label, figures in scenario_rows(report):
        s3 = figures["s3_requests"]
        cells = [label, f"{figures['seconds']:.2f}", str(figures["queries_count"])]
        cells += [str(s3.get(op, 0)) if s3 is not None else "-" for op in S3_OPERATIONS]
        s3_bytes = figures.get("s3_bytes")
        cells += [s3_megabytes(s3_bytes, "get"), s3_megabytes(s3_bytes, "put")]
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


# Why a photo's row and the command's own line for it differ.
PER_PHOTO_MOMENTS = (
    "Each row is measured from outside, from one photo's line to the next: "
    "its seconds include writing the line and reading the next photo's row "
    "(photo 1's, the command's start), its RSS is sampled, its queries include "
    "photo 1's listing of the photos. The command's own line is measured inside "
    "it: the photo's work alone, the process's RSS as it printed the line."
)


def per_photo_table(generate: dict) -> list[str]:
    lines = table_head(
        [
            "photo",
            "seconds",
            "RSS when done",
            "RSS peak sampled",
            "RSS high-water mark",
            "SQL queries",
            "its line: seconds, RSS, queries",
        ]
    )
    for p in generate["per_photo"]:
        line = p.get("line")
        line_text = "-"
        if line is not None:
            line_text = (
                f"{line['seconds']:.2f} s, {megabytes(line['rss_bytes'])}, "
                f"{line['queries_count']}"
            )
        lines.append(
            table_row(
                [
                    p["photo_number"],
                    f"{p['seconds']:.2f}",
                    megabytes(p["rss_bytes"]),
                    megabytes(p["rss_peak_bytes"]),
                    optional_megabytes(p.get("rss_high_water_bytes")),
                    p["queries_count"],
                    line_text,
                ]
            )
        )
    return lines


def bytes_check_text(server: dict | None, client: dict | None) -> str:
    """Whether the S3 server's GET and PUT body bytes equal botocore's."""
    if server is None or client is None:
        return ""
    if server == client:
        return ", and so do its GET and PUT body bytes"
    return f"; S3 body bytes DIFFER: server {server}, botocore {client}"


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
        s3_text += bytes_check_text(
            figures.get("s3_bytes"), check.get("s3_bytes_client")
        )
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
        "transaction, and, with the fix, none for the lock that makes each "
        "thumbnail once: PostgreSQL's is an advisory lock, taken and released by queries, and "
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
    lines = [
        "# easy-thumbnails issue #230, reproduced",
        "",
        *answer_lines(report["answer"]),
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
        *network_floor_note(report),
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
        f"Memory per photo: **{generate['rss_growth_verdict']}**, from "
        f"{GROWTH_MEASURES[generate['rss_growth_fitted_to']]}; "
        f"{generate['rss_growth']['method']}.",
        "",
        PER_PHOTO_MOMENTS,
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
        f"{generate['rss_peak_bytes'] / MB:.1f} MB",
        f"  memory per photo: {generate['rss_growth_verdict']}",
    ]


REPORTER = Reporter(render, summary_lines, plots=(("memory.png", plot.plot),))
