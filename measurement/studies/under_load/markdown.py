"""Render the load scenario's report (--scenario load) as Markdown."""

from measurement.report.markdown import (
    megabytes,
    opening,
    table_row,
    value,
    versions_and_switches,
)
from measurement.report.reporter import Reporter


def seconds_text(value: float | None) -> str:
    return "-" if value is None else f"{value * 1000:.0f} ms"


def window_row(label: str, figures: dict) -> str:
    statuses = ", ".join(
        f"{n} x {status}" for status, n in figures["status_counts"].items()
    )
    errors = ", ".join(f"{n} x {name}" for name, n in figures["errors"].items())
    cells = [
        label,
        figures["requests_count"],
        figures["requests_per_second"],
        seconds_text(figures["latency_p50_seconds"]),
        seconds_text(figures["latency_p99_seconds"]),
        seconds_text(figures["latency_max_seconds"]),
        statuses or "-",
        f"{figures['errors_count']}" + (f" ({errors})" if errors else ""),
        figures["status_5xx_count"],
        figures["queries_per_request_p50_count"],
        figures["thumbnails_made_in_requests_count"],
        megabytes(figures["rss_peak_bytes"]),
    ]
    return table_row(cells)


def no_5xx_line(under_load: dict) -> str:
    count = sum(under_load[w]["status_5xx_count"] for w in ("warm", "during_batch"))
    verdict = "met" if count == 0 else f"NOT met ({count} answers 5xx)"
    return f"Target: no 5xx answer: **{verdict}**."


def render(report: dict) -> str:
    under_load = report["scenarios"]["under_load"]
    batch = under_load["during_batch"]["batch"]
    lines = [
        *opening(report, "The index page under load"),
        "",
        f"{under_load['clients']} clients request `/` over and over for "
        f"{under_load['seconds']} s, each as soon as it has read the last answer "
        f"(`measurement/probes/load_clients.py`, threads with http.client, loopback only), "
        f"served by {under_load['server']}. First on the warm page (every thumbnail "
        "made before), then the same while Celery workers make a new batch: "
        f"{batch['photos_count']} more photos loaded by `load_photos` with "
        "`THUMBNAIL_ON_UPLOAD=queue` as the run starts, made by "
        f"{batch['workers_count']} worker(s) (prefork, concurrency 1 each). The page "
        "shows each new photo once it is loaded, so a request that finds one not "
        "made yet makes it, or waits for the worker that is making it: what a "
        "visitor gets while a batch is made.",
        "",
        "| run | requests | per second | p50 | p99 | max | statuses | errors | 5xx "
        "| queries per request (p50) | thumbnails made in requests | server peak RSS |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
        window_row("warm page", under_load["warm"]),
        window_row("while the batch is made", under_load["during_batch"]),
        "",
        no_5xx_line(under_load),
        "",
        f"The batch: {batch['tasks_done_count']} of {batch['photos_count']} photos made "
        f"by the workers, {batch['made_in_window_count']} of them within the load run; "
        f"the last one {batch['seconds']:.1f} s after the run started "
        f"(load_photos took {batch['load_photos_seconds']:.1f} s). Its S3 requests, "
        "page requests included: "
        f"{value(batch.get('s3_requests'), '')}, "
        f"{value(batch.get('s3_bytes'), 'MB')} of bodies. Latencies are from "
        "the request sent to the answer read, nearest rank; an error is a request "
        "with no answer (refused, reset, timed out). Queries and thumbnails made are "
        "counted by the server in each request (its memory: master and workers added "
        "up, sampled from outside).",
        "",
        *versions_and_switches(report, under_load["versions"]),
    ]
    return "\n".join(lines)


def summary_lines(report: dict) -> list[str]:
    under_load = report["scenarios"]["under_load"]
    return [
        f"  {label}: {figures['requests_count']} requests, "
        f"{figures['requests_per_second']} per second, p50 "
        f"{seconds_text(figures['latency_p50_seconds'])}, p99 "
        f"{seconds_text(figures['latency_p99_seconds'])}, "
        f"{figures['errors_count']} errors, {figures['status_5xx_count']} 5xx"
        for label, figures in [
            ("warm page", under_load["warm"]),
            ("during the batch", under_load["during_batch"]),
        ]
    ]


REPORTER = Reporter(render, summary_lines)
