"""A manage.py command run measured: its progress echoed, its counts and
memory samples read back, and the figures of it a report keeps."""

import json
import subprocess
from pathlib import Path

from counting.s3_bytes import all_kinds
from counting.s3_operations import all_operations
from counting.statement_kinds import all_statement_kinds
from measurement.harness.run import Run, ScenarioFailed
from measurement.probes.samples import read_samples
from measurement.stats.rss import rss_figures

# How long a command the run gives up on has to stop before it is killed.
ABANDON_TIMEOUT_SECONDS = 0.5


def read_counts(path: Path) -> list[dict]:
    """The counting log of a measured process (probes.counting_manage), record by record."""
    with open(path) as f:
        return [json.loads(line) for line in f]


def run_command(
    run: Run, name: str, manage_args: list[str], ok_returncodes=(0,)
) -> dict:
    """Run one command measured, echoing its progress; return its figures,
    with its counting log (records), its samples and its output lines."""
    run.reset_s3_counts()
    process = subprocess.Popen(
        run.watched_command(name, manage_args),
        cwd=run.root,
        env=run.environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    try:
        for line in process.stdout:
            lines.append(line.rstrip())
            run.say(f"    {line.rstrip()}")
        process.wait()
    except BaseException:
        abandon(process)
        raise
    finally:
        process.stdout.close()
    if process.returncode not in ok_returncodes:
        raise ScenarioFailed(
            f"{manage_args[0]} exited with {process.returncode}; see above."
        )
    records = read_counts(run.counts_path(name))
    start = next(r for r in records if r["event"] == "start")
    end = next(r for r in records if r["event"] == "end")
    samples = read_samples(run.samples_path(name))
    return {
        "seconds": round(end["time_unix_seconds"] - start["time_unix_seconds"], 3),
        "queries_count": end["queries_count"],
        "queries_by_kind": all_statement_kinds(end["queries_by_kind"]),
        "s3_requests": run.s3_counts(),
        "s3_requests_client": all_operations(end["s3_requests"]),
        "s3_bytes": run.s3_bytes(),
        "s3_bytes_client": all_kinds(end["s3_bytes"]),
        "debug_queries_count": end["debug_queries_count"],
        "debug_transactions_count": end["debug_transactions_count"],
        "debug_lock_queries_count": end["debug_lock_queries_count"],
        **rss_figures(samples, start["time_unix_seconds"], end["time_unix_seconds"]),
        "process_start_unix_seconds": samples[0].time_unix_seconds,
        "start_unix_seconds": start["time_unix_seconds"],
        "end_unix_seconds": end["time_unix_seconds"],
        "records": records,
        "samples": samples,
        "lines": lines,
    }


def abandon(process: subprocess.Popen) -> None:
    """Stop a measured command the run gives up on (Ctrl-C, an error):
    SIGTERM, which the watcher passes on to the command; SIGKILL if it has
    not ended within ABANDON_TIMEOUT_SECONDS."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=ABANDON_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def report_figures(figures: dict, name: str) -> dict:
    """The figures of run_command that go in the report, with times relative
    to the process start."""
    origin = figures["process_start_unix_seconds"]
    return {
        "seconds": figures["seconds"],
        "queries_count": figures["queries_count"],
        "queries_by_kind": figures["queries_by_kind"],
        "s3_requests": figures["s3_requests"],
        "s3_bytes": figures["s3_bytes"],
        "rss_start_bytes": figures["rss_start_bytes"],
        "rss_peak_bytes": figures["rss_peak_bytes"],
        "rss_end_bytes": figures["rss_end_bytes"],
        "checks": {
            "s3_requests_client": figures["s3_requests_client"],
            "s3_bytes_client": figures["s3_bytes_client"],
            "debug_queries_count": figures["debug_queries_count"],
            "debug_transactions_count": figures["debug_transactions_count"],
            "debug_lock_queries_count": figures["debug_lock_queries_count"],
        },
        "phases": [
            {
                "name": "command",
                "start_seconds": round(figures["start_unix_seconds"] - origin, 3),
                "end_seconds": round(figures["end_unix_seconds"] - origin, 3),
            }
        ],
        "rss_csv": f"rss-{name}.csv",
    }
