"""The queue scenario: the photos made by 1, then 2 (or more) Celery workers.

For each count of workers, the run deletes the thumbnails, starts that many
workers (`--pool prefork --concurrency 1` each: one process makes photos per
worker) on a Redis server of the run's own, queues every photo with
`generate_all_thumbnail_aliases --queue`, waits until each photo is made and
stops the workers. Each worker's memory is sampled from outside (its main
process with its pool process, and each pool process alone), and so is the
CPU the machine and the workers spend meanwhile (probes.cpu_use); the S3
server counts the requests.
"""

import os
from importlib.metadata import version
from pathlib import Path

from measurement.harness import services
from measurement.harness.run import PAGE_TIMEOUT_SECONDS, Run, ScenarioFailed
from measurement.harness.session import session
from measurement.harness.workers import WorkerFailed, Workers
from measurement.probes.cpu_use import CpuSampler
from measurement.probes.samples import read_samples
from measurement.report import files
from measurement.studies.queue import figures as queue_figures
from measurement.studies.queue.markdown import REPORTER
from measurement.switches import Switches
from photos import progress

LATEST = "latest"
DELETE_THUMBNAILS = ["delete_photo_thumbnails", "--noinput"]


def worker_limits(run: Run) -> dict:
    """The limits the workers read from the settings (and so the environment)."""
    out = run.manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings\n"
        "print(settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD,"
        " settings.CELERY_WORKER_MAX_TASKS_PER_CHILD)",
    )
    memory_kib, tasks = (int(value) for value in out.split())
    return {
        "max_memory_per_child_kib": memory_kib,
        "max_memory_per_child_is_default": "CELERY_WORKER_MAX_MEMORY_PER_CHILD"
        not in run.environment,
        "max_tasks_per_child": tasks,
    }


def queue_photos(run: Run) -> int:
    out = run.manage("generate_all_thumbnail_aliases", "--queue")
    queued = progress.read_queued(out)
    if queued is None:
        raise ScenarioFailed(f"generate_all_thumbnail_aliases --queue said: {out}")
    return queued


def worker_results(workers: Workers, max_tasks_per_child: int) -> list[dict]:
    """Each worker's figures, from its log and its watchers' samples."""
    results = []
    for worker, made in zip(workers.workers, workers.photos().values(), strict=True):
        samples_by_pid = {}
        for pid in worker.pool_watchers:
            path = worker.directory / worker.pool_csv_name(pid)
            samples_by_pid[pid] = read_samples(path) if path.exists() else []
        photos = [
            queue_figures.photo_figures(photo, samples_by_pid.get(photo.pid, []))
            for photo in made
            if photo.end_unix_seconds is not None
        ]
        total = read_samples(worker.directory / worker.csv_name)
        figures = queue_figures.worker_figures(
            worker.name,
            photos,
            queue_figures.pool_processes(photos, samples_by_pid, max_tasks_per_child),
            max((s.rss_bytes for s in total), default=None),
        )
        figures["rss_csv"] = worker.csv_name
        results.append(figures)
    return results


def measure_workers(run: Run, count: int, max_tasks_per_child: int) -> dict:
    """Queue every photo and have count workers make them; return the figures."""
    with Workers(
        count,
        f"queue-{count}w",
        run.root,
        run.directory,
        run.environment,
        run.interval_seconds,
    ) as workers:
        run.reset_s3_counts()
        with CpuSampler(workers.main_pids) as cpu:
            queued = queue_photos(run)
            run.say(f"    queued {queued} photos; {count} worker(s) making them ...")
            workers.wait_for_photos(queued, PAGE_TIMEOUT_SECONDS, run.say)
        s3_requests = run.s3_counts()
        s3_bytes = run.s3_bytes()
    results = worker_results(workers, max_tasks_per_child)
    photos = [photo for worker in results for photo in worker["per_photo"]]
    seconds, per_second = queue_figures.photos_per_second(photos)
    cpu_figures = queue_figures.cpu_figures(
        cpu.samples, *queue_figures.photos_window(photos), os.cpu_count()
    )
    run.say(
        f"    {count} worker(s): {len(photos)} photos in {seconds:.1f} s, "
        f"{per_second:.2f} photos per second"
        + (f", {cpu_figures['busy_cores']:.2f} cores busy" if cpu_figures else "")
    )
    return {
        "workers_count": count,
        "tasks_queued_count": queued,
        "tasks_done_count": sum(1 for photo in photos if not photo["failed"]),
        "tasks_failed_count": sum(1 for photo in photos if photo["failed"]),
        "seconds": seconds,
        "photos_per_second": per_second,
        "s3_requests": s3_requests,
        "s3_bytes": s3_bytes,
        "cpu": cpu_figures,
        "workers": results,
    }


def measure_counts(run: Run, workers_counts: tuple[int, ...], redis_version) -> dict:
    """The queue scenario's figures: one run per count of workers."""
    limits = worker_limits(run)
    runs = []
    for count in workers_counts:
        run.say(f"    {count} worker(s): delete the thumbnails, then queue every photo")
        run.say("    " + run.manage(*DELETE_THUMBNAILS).strip())
        try:
            runs.append(measure_workers(run, count, limits["max_tasks_per_child"]))
        except WorkerFailed as error:
            raise ScenarioFailed(str(error)) from None
    return {
        "pool": "prefork",
        "concurrency_per_worker": 1,
        "versions": {"celery": version("celery"), "redis_server": redis_version},
        **limits,
        "runs": runs,
        "speedup": queue_figures.speedup(runs),
        "cap_check": queue_figures.cap_check(
            runs, limits["max_memory_per_child_kib"] * 1024
        ),
    }


def measure(switches: Switches, out_dir: Path, say=print) -> tuple[dict, Path]:
    """load_photos, then the photos made by each count of workers; the report written."""
    with files.run_folder(out_dir) as (run_dir, started):
        say(f"Measuring the task queue into {run_dir}/")
        with session(switches, run_dir, started, say) as run_session:
            load = run_session.load_photos(steps=2)
            say(
                f"2/2 queue: the photos made by {list(switches.queue_workers)} Celery workers"
            )
            with services.broker(say) as broker:
                run = run_session.run.with_environment(CELERY_BROKER_URL=broker.url)
                queue = measure_counts(run, switches.queue_workers, broker.version())
            report = run_session.report({"load": load, "queue": queue})
        files.write(report, REPORTER, run_dir, run_dir.parent / LATEST)
    return report, run_dir
