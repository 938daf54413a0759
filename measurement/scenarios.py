"""The three measurements of the 2013 README, each in a process of its own.

Every measured process runs under the watcher (`python -m measurement watch`)
and through `measurement.counting_manage`, so memory is sampled from outside
and queries and S3 requests are counted inside. S3 requests are also counted
where they are served, by the local S3 server; the report takes those.
"""

import concurrent.futures
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from counting.s3_operations import all_operations
from counting.statement_kinds import all_statement_kinds
from local_s3 import control as local_s3
from local_servers import background
from local_servers.ports import accepts_connections, free_port
from measurement import growth
from measurement.errors import MeasurementError
from measurement.rss_figures import rss_figures
from measurement.watcher import read_samples

# After a response, the server's RSS is read this much later, once freed
# memory has had a chance to show.
SETTLE_SECONDS = 0.5
SERVER_START_TIMEOUT_SECONDS = 60
# Seconds a server has to stop after SIGINT before it is killed.
STOP_TIMEOUT_SECONDS = 30
PAGE_TIMEOUT_SECONDS = 900
PROGRESS_EVERY_SECONDS = 5


class ScenarioFailed(MeasurementError):
    """A scenario that could not run; the message says where to look."""


@dataclass
class Run:
    root: Path
    directory: Path
    environment: dict
    interval_seconds: float
    s3_endpoint: str | None
    say: callable
    # What serves the index page: "runserver", or "gunicorn" with workers.
    server: str = "runserver"
    workers: int = 4

    def manage(self, *args: str) -> str:
        """Run a manage.py command unmeasured; return its output."""
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=self.root,
            env=self.environment,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode:
            raise ScenarioFailed(
                f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}".rstrip()
            )
        return result.stdout

    def watched_command(
        self, name: str, manage_args: list[str], children: bool = False
    ) -> list[str]:
        """The command line that runs manage_args counted, under the watcher
        (which adds up the memory of the command's children if asked)."""
        return [
            sys.executable, "-m", "measurement", "watch",
            *(["--children"] if children else []),
            "--interval", str(self.interval_seconds),
            "--csv", str(self.directory / f"rss-{name}.csv"),
            "--",
            sys.executable, "-m", "measurement.counting_manage",
            str(self.counts_path(name)), *manage_args,
        ]  # fmt: skip

    def counts_path(self, name: str) -> Path:
        return self.directory / f"counts-{name}.jsonl"

    def reset_s3_counts(self) -> None:
        if self.s3_endpoint:
            local_s3.reset_request_counts(self.s3_endpoint)

    def s3_counts(self) -> dict[str, int] | None:
        if not self.s3_endpoint:
            return None
        return all_operations(local_s3.request_counts(self.s3_endpoint))


def read_counts(path: Path) -> list[dict]:
    with open(path) as f:
        return [json.loads(line) for line in f]


def run_command(
    run: Run, name: str, manage_args: list[str], ok_returncodes=(0,)
) -> dict:
    """Run one command measured, echoing its progress; return its figures."""
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
    for line in process.stdout:
        lines.append(line.rstrip())
        run.say(f"    {line.rstrip()}")
    process.wait()
    if process.returncode not in ok_returncodes:
        raise ScenarioFailed(
            f"{manage_args[0]} exited with {process.returncode}; see above."
        )
    records = read_counts(run.counts_path(name))
    start = next(r for r in records if r["event"] == "start")
    end = next(r for r in records if r["event"] == "end")
    samples = read_samples(run.directory / f"rss-{name}.csv")
    return {
        "seconds": round(end["time_unix_seconds"] - start["time_unix_seconds"], 3),
        "queries_count": end["queries_count"],
        "queries_by_kind": all_statement_kinds(end["queries_by_kind"]),
        "s3_requests": run.s3_counts(),
        "s3_requests_client": all_operations(end["s3_requests"]),
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


def load(run: Run, photo_dir: Path) -> dict:
    # load_photos exits 1 when some files were refused (a user's own folder
    # may hold a few); the rest loaded and the run goes on with them.
    figures = run_command(
        run, "load", ["load_photos", str(photo_dir)], ok_returncodes=(0, 1)
    )
    refused = [line for line in figures["lines"] if ": failed, " in line]
    if refused and len(refused) == len(list(photo_dir.iterdir())):
        raise ScenarioFailed("load_photos loaded none of the photos; see above.")
    return {**report_figures(figures, "load"), "refused_files": refused}


def generate(run: Run, command: str = "generate_all_thumbnail_aliases") -> dict:
    """command makes every alias of every photo, printing a line per photo."""
    figures = run_command(run, "generate", [command])
    per_photo = growth.per_photo(figures["records"], figures["samples"])
    return {
        **report_figures(figures, "generate"),
        **growth.fit(per_photo),
        "per_photo": per_photo,
    }


def report_figures(figures: dict, name: str) -> dict:
    """The figures that go in the report, with times relative to the process start."""
    origin = figures["process_start_unix_seconds"]
    return {
        "seconds": figures["seconds"],
        "queries_count": figures["queries_count"],
        "queries_by_kind": figures["queries_by_kind"],
        "s3_requests": figures["s3_requests"],
        "rss_start_bytes": figures["rss_start_bytes"],
        "rss_peak_bytes": figures["rss_peak_bytes"],
        "rss_end_bytes": figures["rss_end_bytes"],
        "checks": {
            "s3_requests_client": figures["s3_requests_client"],
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


def fetch(url: str) -> tuple[int, int]:
    """GET url and read the whole body; return (status, body_bytes)."""
    with urllib.request.urlopen(url, timeout=PAGE_TIMEOUT_SECONDS) as response:
        return response.status, len(response.read())


def fetch_showing_progress(run: Run, url: str) -> tuple[int, int]:
    """fetch(url), saying every few seconds how far the server has got.

    The thumbnails stored so far are read off the S3 server's PUT count: its
    control requests are not counted, so asking does not change the figures.
    """
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        page = pool.submit(fetch, url)
        started = time.monotonic()
        while True:
            try:
                return page.result(timeout=PROGRESS_EVERY_SECONDS)
            except concurrent.futures.TimeoutError:
                progress = f"      {time.monotonic() - started:.0f} s"
                if run.s3_endpoint:
                    progress += f", {run.s3_counts()['PUT']} thumbnails stored so far"
                run.say(progress)


def server_args(run: Run, port: int) -> list[str]:
    """The counted command that serves the site: runserver, or gunicorn."""
    if run.server == "gunicorn":
        return [
            "gunicorn", "et_issue_example.wsgi",
            "--bind", f"127.0.0.1:{port}", "--workers", str(run.workers),
            # A cold page of stock takes longer than gunicorn's 30 s default.
            "--timeout", str(PAGE_TIMEOUT_SECONDS), "--no-control-socket",
        ]  # fmt: skip
    return ["runserver", "--noreload", f"127.0.0.1:{port}"]


def wait_for_site(process: subprocess.Popen, port: int, log_path: Path) -> None:
    """Return once the site's server accepts connections on port; ScenarioFailed
    naming its log if it exits or does not answer in time."""
    background.wait_until_answers(
        process,
        lambda: accepts_connections("127.0.0.1", port),
        name="server",
        where=f"port {port}",
        log_path=log_path,
        port=port,
        timeout_seconds=SERVER_START_TIMEOUT_SECONDS,
        error=ScenarioFailed,
    )


def stop_site(run: Run, process: subprocess.Popen) -> None:
    """Stop a site's server started (in a session of its own) under its
    watcher: SIGINT, which the watcher passes on and keeps its samples; if
    the server has not stopped within STOP_TIMEOUT_SECONDS, SIGKILL to its
    whole session, so no server outlives the run."""
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        run.say(
            f"    the server did not stop within {STOP_TIMEOUT_SECONDS} s of "
            "SIGINT: killed"
        )
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@contextlib.contextmanager
def serving(run: Run, scenario: str):
    """The site served on a free port under its watcher, counted and sampled
    as scenario (with gunicorn, its workers' memory added up); yields (port,
    log_path) once it answers, and stops it (stop_site) however the block ends."""
    port = free_port()
    log_path = run.directory / f"{run.server}-{scenario}.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            run.watched_command(
                scenario, server_args(run, port), children=run.server == "gunicorn"
            ),
            cwd=run.root,
            env=run.environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for_site(process, port, log_path)
        yield port, log_path
    finally:
        stop_site(run, process)


def index(
    run: Run,
    path: str = "/",
    loads_named: tuple[str, ...] = ("cold", "warm"),
    scenario: str = "index",
) -> dict:
    """Serve the site and load its page (path) once per name in loads_named:
    by default twice, cold then warm. With gunicorn the memory is the
    master's and its workers' added up."""
    with serving(run, scenario) as (port, log_path):
        time.sleep(SETTLE_SECONDS)
        loads = {}
        for name in loads_named:
            run.say(f"    GET {path} ({name}) ...")
            run.reset_s3_counts()
            started = time.time()
            try:
                status, body_bytes = fetch_showing_progress(
                    run, f"http://127.0.0.1:{port}{path}"
                )
            except OSError as error:
                raise ScenarioFailed(
                    f"GET {path} ({name}) failed: {error}; see {log_path}."
                ) from None
            finished = time.time()
            s3_requests = run.s3_counts()
            time.sleep(SETTLE_SECONDS)
            run.say(
                f"    GET {path} ({name}): HTTP {status}, {finished - started:.2f} s"
            )
            loads[name] = {
                "seconds": round(finished - started, 3),
                "status": status,
                "body_bytes": body_bytes,
                "s3_requests": s3_requests,
                "started": started,
                "settled": finished + SETTLE_SECONDS,
            }
    samples = read_samples(run.directory / f"rss-{scenario}.csv")
    requests = [
        r for r in read_counts(run.counts_path(scenario)) if r["event"] == "request"
    ]
    requests = [r for r in requests if r["path"] == path]
    if len(requests) != len(loads_named):
        raise ScenarioFailed(
            f"Expected {len(loads_named)} requests of {path} in the server, "
            f"counted {len(requests)}."
        )
    origin = samples[0].time_unix_seconds
    result = {}
    for (name, page), request in zip(loads.items(), requests, strict=True):
        result[name] = {
            "seconds": page["seconds"],
            "queries_count": request["queries_count"],
            "queries_by_kind": all_statement_kinds(request["queries_by_kind"]),
            "s3_requests": page["s3_requests"],
            **rss_figures(samples, page["started"], page["settled"]),
            "http_status": page["status"],
            "body_bytes": page["body_bytes"],
            "checks": {
                "s3_requests_client": all_operations(request["s3_requests"]),
                "debug_queries_count": request["debug_queries_count"],
                "debug_transactions_count": request["debug_transactions_count"],
                "debug_lock_queries_count": request["debug_lock_queries_count"],
            },
            "phases": [
                {
                    "name": f"GET {path} {name}",
                    "start_seconds": round(page["started"] - origin, 3),
                    "end_seconds": round(page["started"] + page["seconds"] - origin, 3),
                }
            ],
        }
    result["rss_csv"] = f"rss-{scenario}.csv"
    return result
