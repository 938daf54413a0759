"""The site served under its watcher, counted, and its pages fetched."""

import contextlib
import os
import signal
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

from local_services import background
from local_services.ports import accepts_connections, free_port
from measurement.harness.run import PAGE_TIMEOUT_SECONDS, Run, ScenarioFailed

# After a response, the server's RSS is read this much later, once freed
# memory has had a chance to show.
SETTLE_SECONDS = 0.5
SERVER_START_TIMEOUT_SECONDS = 60
# Seconds a server has to stop after SIGINT before it is killed.
STOP_TIMEOUT_SECONDS = 30
# The same when the run is interrupted or failed: its figures are not wanted.
ABANDON_TIMEOUT_SECONDS = 0.5
PROGRESS_EVERY_SECONDS = 5


def fetch(url: str) -> tuple[int, int]:
    """GET url and read the whole body; return (status, body_bytes)."""
    with urllib.request.urlopen(url, timeout=PAGE_TIMEOUT_SECONDS) as response:
        return response.status, len(response.read())


def fetch_showing_progress(run: Run, url: str) -> tuple[int, int]:
    """fetch(url), saying every few seconds how far the server has got.

    The thumbnails stored so far are read off the S3 server's PUT count: its
    control requests are not counted, so asking does not change the figures.
    The fetch runs on a daemon thread: Ctrl-C ends the wait at once, and
    stopping the server then ends the fetch.
    """
    outcome = {}

    def fetch_into_outcome():
        try:
            outcome["result"] = fetch(url)
        except BaseException as error:  # handed to the waiting thread
            outcome["error"] = error

    page = threading.Thread(target=fetch_into_outcome, daemon=True)
    started = time.monotonic()
    page.start()
    while True:
        page.join(PROGRESS_EVERY_SECONDS)
        if not page.is_alive():
            if "error" in outcome:
                raise outcome["error"]
            return outcome["result"]
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


def stop_site(
    run: Run, process: subprocess.Popen, timeout_seconds: float = STOP_TIMEOUT_SECONDS
) -> None:
    """Stop a site's server started (in a session of its own) under its
    watcher: SIGINT, which the watcher passes on and keeps its samples; if
    the server has not stopped within timeout_seconds, SIGKILL to its whole
    session, so no server outlives the run."""
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=timeout_seconds)
    except subprocess.TimeoutExpired:
        if timeout_seconds == STOP_TIMEOUT_SECONDS:
            run.say(
                f"    the server did not stop within {timeout_seconds} s of "
                "SIGINT: killed"
            )
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@contextlib.contextmanager
def serving(run: Run, scenario: str):
    """The site served on a free port under its watcher, counted and sampled
    as scenario (with gunicorn, its workers' memory added up); yields (port,
    log_path) once it answers, and stops it (stop_site) however the block ends:
    within ABANDON_TIMEOUT_SECONDS when it ends in an error or Ctrl-C."""
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
    except BaseException:
        stop_site(run, process, ABANDON_TIMEOUT_SECONDS)
        raise
    stop_site(run, process)
