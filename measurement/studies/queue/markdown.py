"""Render the queue scenario's report (--scenario queue) as Markdown."""

from counting.s3_operations import S3_OPERATIONS
from measurement.report.markdown import (
    GROWTH_MEASURES,
    megabytes,
    opening,
    optional_megabytes,
    table_head,
    table_row,
    value,
    versions_and_switches,
)
from measurement.report.reporter import Reporter


def growth_measure_text(queue: dict) -> str:
    """What the workers' growth was fitted to (growth.fit), in words."""
    measures = dict.fromkeys(
        worker["rss_growth_fitted_to"]
        for run in queue["runs"]
        for worker in run["workers"]
    )
    return " or ".join(GROWTH_MEASURES[measure] for measure in measures)


def cpu_cells(cpu: dict | None) -> list[str]:
    if cpu is None:
        return ["-", "-", "-"]
    return [
        f"{cpu['busy_cores']:.2f} of {cpu['cores']}",
        f"{cpu['workers_cores']:.2f}",
        f"{cpu['other_cores']:.2f}",
    ]


def speed_table(queue: dict) -> list[str]:
    header = [
        "workers",
        "photos queued",
        "made",
        "failed",
        "seconds",
        "photos per second",
        "cores busy: all",
        "the workers",
        "the rest",
    ]
    header += [f"S3 {op}" for op in S3_OPERATIONS] + ["S3 body bytes"]
    lines = table_head(header)
    for run in queue["runs"]:
        s3 = run["s3_requests"]
        cells = [
            run["workers_count"],
            run["tasks_queued_count"],
            run["tasks_done_count"],
            run["tasks_failed_count"],
            f"{run['seconds']:.2f}",
            f"{run['photos_per_second']:.3f}",
            *cpu_cells(run.get("cpu")),
            *(s3.get(op, 0) if s3 is not None else "-" for op in S3_OPERATIONS),
            value(run.get("s3_bytes"), "MB"),
        ]
        lines.append(table_row(cells))
    return lines


def speedup_text(queue: dict, fix: bool) -> str:
    speedup = queue["speedup"]
    if speedup is None:
        return (
            "One count of workers: no speedup to give (run with --queue-workers 1,2)."
        )
    fewest, most = speedup["workers_counts"]
    text = f"{most} workers over {fewest}: **{speedup['ratio']:.2f}x**"
    if not speedup["target_applies"]:
        return text + f" (the target of {speedup['target']}x is for 2 workers over 1)."
    verdict = "met" if speedup["target_met"] else "NOT met"
    text += (
        f"; target at least {speedup['target']}x on 2 cores with the fix: **{verdict}**"
    )
    if not fix:
        text += " (this run is stock; the target is the fix's)"
    return text + "." + ceiling_text(queue)


def ceiling_text(queue: dict) -> str:
    speedup = queue["speedup"]
    ceiling = speedup.get("cores_ceiling")
    if ceiling is None:
        return ""
    fewest = min(queue["runs"], key=lambda run: run["workers_count"])
    cpu = fewest["cpu"]
    return (
        f" With {fewest['workers_count']} worker(s) the machine was busy on "
        f"{cpu['busy_cores']:.2f} of its {cpu['cores']} cores, "
        f"{cpu['other_cores']:.2f} of them outside the workers; at that CPU per "
        f"photo, {speedup['workers_counts'][1]} workers can be at most "
        f"**{ceiling:.2f}x** as fast here."
    )


def memory_table(queue: dict) -> list[str]:
    lines = [
        "| workers | worker | photos | pool processes | replaced by the memory cap "
        "| replaced by the task limit | peak RSS, pool process | peak RSS, worker "
        "(main + pool) | growth, second half |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for run in queue["runs"]:
        for worker in run["workers"]:
            cells = [
                run["workers_count"],
                worker["name"],
                worker["photos_count"],
                worker["pool_processes_count"],
                worker["replaced_by_memory_cap_count"],
                worker["replaced_by_task_limit_count"],
                optional_megabytes(worker["rss_peak_bytes"]),
                optional_megabytes(worker["rss_total_peak_bytes"]),
                worker["rss_growth_verdict"],
            ]
            lines.append(table_row(cells))
    return lines


def pool_process_table(queue: dict) -> list[str]:
    lines = [
        "| workers | worker | pool process | photos | peak RSS | replaced |",
        "|---|---|---|---|---|---|",
    ]
    for run in queue["runs"]:
        for worker in run["workers"]:
            for process in worker["pool_processes"]:
                cells = [
                    run["workers_count"],
                    worker["name"],
                    process["pid"],
                    process["photos_count"],
                    optional_megabytes(process["rss_peak_bytes"]),
                    process["replaced_by"] or "no",
                ]
                lines.append(table_row(cells))
    return lines


def cap_check_lines(report: dict) -> list[str]:
    queue = report["scenarios"]["queue"]
    check = queue["cap_check"]
    switches = report["metadata"]["switches"]
    cap = (
        f"`CELERY_WORKER_MAX_MEMORY_PER_CHILD` = {queue['max_memory_per_child_kib']} KiB "
        f"({megabytes(check['cap_bytes'])}, "
        f"{'the default' if queue['max_memory_per_child_is_default'] else 'set in the environment'})"
    )
    if check["met"] is None:
        return [f"Cap {cap}: no photo was watched from its start; nothing to check."]
    verdict = "met" if check["met"] else "NOT met"
    return [
        f"No pool process's peak RSS above the cap plus one photo's working set: "
        f"**{verdict}**. Highest peak of a pool process "
        f"{megabytes(check['rss_peak_bytes'])}; cap {cap} plus one photo's working "
        f"set {megabytes(check['working_set_bytes'])} = "
        f"{megabytes(check['limit_bytes'])}.",
        "",
        "One photo's working set is the largest, over the "
        f"{check['working_set_photos_count']} photos whose pool process was watched "
        "from before the photo started, of the photo's peak RSS less the process's "
        "RSS as it started the photo, both off that process's own watcher. Celery "
        "replaces a pool process after the photo during which its peak passed the "
        "cap, so a process starts each photo at or below the cap. The issue's check "
        f"is at 500 photos, stock, the cap at its default; this run: "
        f"{report['metadata']['photos']['count']} photos, "
        f"{'the fix' if switches['fix'] else 'stock'}.",
    ]


def render(report: dict) -> str:
    queue = report["scenarios"]["queue"]
    switches = report["metadata"]["switches"]
    lines = [
        *opening(report, "Thumbnails made by Celery workers"),
        "",
        f"Each count of workers makes every photo from scratch (thumbnails deleted "
        f"first), from `generate_all_thumbnail_aliases --queue`, on a Redis server and "
        f"an S3 server of the run's own. Each worker is a `celery -A et_issue_example "
        f"worker --pool {queue['pool']} --concurrency {queue['concurrency_per_worker']}`"
        ": one process of its pool makes its photos. Photos per second run from the first photo's start "
        "to the last one's end, off the workers' logs. Cores busy are over the same "
        "stretch, sampled from outside: the whole machine's (Linux's /proc/stat), the "
        "workers' own processes', and the rest (the S3 server, the broker, the run's "
        "watchers, anything else the machine ran).",
        "",
        "## Photos per second",
        "",
        *speed_table(queue),
        "",
        speedup_text(queue, bool(switches["fix"])),
        "",
        "## Memory per worker",
        "",
        *memory_table(queue),
        "",
        "Each pool process (the one that makes photos) is sampled every "
        f"{report['metadata']['sample_interval_seconds']} s by a watcher of its own, "
        "started as the process appears; each worker's main process by another, its "
        "pool process added (their shared pages counted in both). The watchers read "
        "RSS and the kernel's high-water mark, not USS: reading every process's "
        "smaps at every sample took CPU the workers share. Growth: the least-"
        f"squares slope, over the worker's second half of photos, of {growth_measure_text(queue)}. "
        "Replacements are counted from the process each photo was made in "
        "(the pid in the worker's log): a pool process followed by another was "
        f"replaced, by Celery's task limit (`CELERY_WORKER_MAX_TASKS_PER_CHILD` = "
        f"{queue['max_tasks_per_child']}) once it had made that many photos, by the "
        "memory cap before that.",
        "",
        *pool_process_table(queue),
        "",
        "## Memory cap",
        "",
        *cap_check_lines(report),
        "",
        *versions_and_switches(report, queue["versions"]),
    ]
    return "\n".join(lines)


def summary_lines(report: dict) -> list[str]:
    queue = report["scenarios"]["queue"]
    lines = [
        f"  {run['workers_count']} worker(s): {run['tasks_done_count']} photos in "
        f"{run['seconds']:.1f} s, {run['photos_per_second']:.3f} photos per second, "
        f"{sum(w['replacements_count'] for w in run['workers'])} pool processes replaced"
        for run in queue["runs"]
    ]
    if speedup := queue["speedup"]:
        line = f"  speedup: {speedup['ratio']:.2f}x"
        if speedup.get("cores_ceiling") is not None:
            line += (
                f" (the machine's cores allow at most {speedup['cores_ceiling']:.2f}x)"
            )
        lines.append(line)
    check = queue["cap_check"]
    if check["met"] is not None:
        lines.append(
            f"  peak RSS of a pool process {megabytes(check['rss_peak_bytes'])}, "
            f"cap + one photo {megabytes(check['limit_bytes'])}"
        )
    return lines


REPORTER = Reporter(render, summary_lines)
