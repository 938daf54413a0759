"""The load scenario: clients on the warm page served by gunicorn, then the same
while Celery workers make a new batch of photos.

The thumbnails of the photos loaded first are made before (unmeasured), so
the page is warm. The server is gunicorn under the watcher and counting each
request, as in the index scenario. During the second run the next batch of
photos is loaded with THUMBNAIL_ON_UPLOAD=queue, which queues each photo as
it is saved, and the workers make them; the page shows each new photo as
soon as it is loaded, so a request that finds one not made yet makes it, or
waits for the worker making it (one maker per thumbnail): what a visitor
gets while a batch is made.
"""

import concurrent.futures
import time
from importlib.metadata import version
from pathlib import Path

from measurement.harness import services
from measurement.harness.measured_command import read_counts
from measurement.harness.run import PAGE_TIMEOUT_SECONDS, Run, ScenarioFailed
from measurement.harness.session import session
from measurement.harness.site import SETTLE_SECONDS, serving
from measurement.harness.workers import WorkerFailed, Workers
from measurement.probes import load_clients
from measurement.probes.samples import read_samples
from measurement.report import files
from measurement.stats.percentiles import percentile
from measurement.stats.rss import rss_figures
from measurement.studies.under_load.markdown import REPORTER
from measurement.switches import Switches

LATEST = "latest"
SCENARIO = "under-load"
# Seconds of load before the measured runs: every gunicorn worker has served
# the page once and set itself up.
WARM_UP_SECONDS = 2


def server_figures(run: Run, started: float, ended: float) -> dict:
    """What gunicorn counted of the requests in a window, and its memory then."""
    requests = [
        r
        for r in read_counts(run.counts_path(SCENARIO))
        if r["event"] == "request" and started <= r["started_unix_seconds"] <= ended
    ]
    queries = sorted(r["queries_count"] for r in requests)
    puts = sum(r["s3_requests"].get("PUT", 0) for r in requests)
    samples = read_samples(run.samples_path(SCENARIO))
    return {
        "server_requests_count": len(requests),
        "queries_per_request_p50_count": percentile(queries, 50),
        "queries_per_request_max_count": queries[-1] if queries else None,
        "thumbnails_made_in_requests_count": puts,
        **rss_figures(samples, started, ended),
    }


def load_window(run: Run, url: str, clients: int, seconds: int) -> dict:
    started = time.time()
    figures = load_clients.run_clients(url, clients, seconds)
    ended = time.time()
    # The server logs a request once its answer is sent: give the last a moment.
    time.sleep(SETTLE_SECONDS)
    return {**figures, **server_figures(run, started, ended)}


def count_photos(path: Path) -> int:
    return sum(1 for _ in path.iterdir())


def batch_window(
    run: Run, url: str, clients: int, seconds: int, batch_dir: Path, workers_count: int
) -> dict:
    """The load while workers make the photos of batch_dir, loaded at its start."""
    batch_count = count_photos(batch_dir)
    with (
        Workers(
            workers_count,
            "under-load",
            run.root,
            run.directory,
            run.environment,
            run.interval_seconds,
        ) as workers,
        concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool,
    ):
        run.reset_s3_counts()
        started = time.time()
        load = pool.submit(load_window, run, url, clients, seconds)
        run.with_environment(THUMBNAIL_ON_UPLOAD="queue").manage(
            "load_photos", str(batch_dir)
        )
        loaded = time.time()
        figures = load.result()
        window_end = started + figures["seconds"]
        workers.wait_for_photos(batch_count, PAGE_TIMEOUT_SECONDS, run.say)
        s3_requests = run.s3_counts()
        s3_bytes = run.s3_bytes()
    made = [
        photo
        for photos in workers.photos().values()
        for photo in photos
        if photo.end_unix_seconds is not None
    ]
    last_end = max(photo.end_unix_seconds for photo in made)
    return {
        **figures,
        "batch": {
            "photos_count": batch_count,
            "workers_count": workers_count,
            "load_photos_seconds": round(loaded - started, 3),
            "tasks_done_count": sum(1 for photo in made if not photo.failed),
            "made_in_window_count": sum(
                1 for photo in made if photo.end_unix_seconds <= window_end
            ),
            "seconds": round(last_end - started, 3),
            "s3_requests": s3_requests,
            "s3_bytes": s3_bytes,
        },
    }


def measure_load(run: Run, switches: Switches, batch_dir: Path, redis_version) -> dict:
    clients, seconds = switches.clients, switches.seconds
    workers_count = max(switches.queue_workers)
    run.say("    making every thumbnail first (generate_all_thumbnail_aliases)")
    run.manage("generate_all_thumbnail_aliases")
    with serving(run, SCENARIO) as (port, _):
        url = f"http://127.0.0.1:{port}/"
        load_clients.run_clients(url, run.workers, WARM_UP_SECONDS)
        run.say(f"    warm page: {clients} clients, {seconds} s ...")
        warm = load_window(run, url, clients, seconds)
        run.say(f"    {window_line(warm)}")
        run.say(
            f"    the same while {workers_count} worker(s) make "
            f"{count_photos(batch_dir)} new photos ..."
        )
        try:
            batch = batch_window(run, url, clients, seconds, batch_dir, workers_count)
        except WorkerFailed as error:
            raise ScenarioFailed(str(error)) from None
        run.say(f"    {window_line(batch)}")
    return {
        "clients": clients,
        "seconds": seconds,
        "server": f"gunicorn, {run.workers} workers",
        "versions": {
            "gunicorn": version("gunicorn"),
            "celery": version("celery"),
            "redis_server": redis_version,
        },
        "warm": warm,
        "during_batch": batch,
        "rss_csv": f"rss-{SCENARIO}.csv",
    }


def measure(switches: Switches, out_dir: Path, say=print) -> tuple[dict, Path]:
    """load_photos, then the page under load, warm and during a batch; the
    report written. The page is served by gunicorn, as the site is deployed."""
    switches = switches.replace(server="gunicorn")
    with files.run_folder(out_dir) as (run_dir, started):
        say(f"Measuring the page under load into {run_dir}/")
        with session(
            switches, run_dir, started, say, batch_count=switches.photos
        ) as run_session:
            load = run_session.load_photos(steps=2)
            say(
                f"2/2 under load: {switches.clients} clients for {switches.seconds} s "
                f"on gunicorn ({switches.workers} workers), warm, then while Celery "
                "workers make a new batch"
            )
            with services.broker(say) as broker:
                run = run_session.run.with_environment(CELERY_BROKER_URL=broker.url)
                under_load = measure_load(
                    run, switches, run_dir / "photos-batch", broker.version()
                )
            report = run_session.report({"load": load, "under_load": under_load})
        files.write(report, REPORTER, run_dir, run_dir.parent / LATEST)
    return report, run_dir


def window_line(figures: dict) -> str:
    return (
        f"{figures['requests_count']} requests, {figures['requests_per_second']} per "
        f"second, p50 {figures['latency_p50_seconds']} s, p99 "
        f"{figures['latency_p99_seconds']} s, {figures['errors_count']} errors, "
        f"{figures['status_5xx_count']} 5xx"
    )
