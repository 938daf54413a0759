"""The queue scenario: the photos made by 1, then 2 (or more) Celery workers.

For each count of workers, the run deletes the thumbnails, starts that many
workers (`--pool prefork --concurrency 1` each: one process makes photos per
worker) on a Redis server of the run's own, queues every photo with
`generate_all_thumbnail_aliases --queue`, waits until each photo is made and
stops the workers. Each worker's memory is sampled from outside (its main
process with its pool process, and each pool process alone), and so is the
CPU the machine and the workers spend meanwhile (cpu_use); the S3 server
counts the requests.
"""

import contextlib
import dataclasses
import os
import re
import shutil
import subprocess
import tempfile
from importlib.metadata import version
from pathlib import Path

from local_redis import control as local_redis
from local_servers.ports import free_port
from measurement import queue_figures
from measurement.celery_workers import WorkerFailed, Workers
from measurement.cpu_use import CpuSampler
from measurement.scenarios import PAGE_TIMEOUT_SECONDS, Run, ScenarioFailed
from measurement.watcher import read_samples

QUEUED = re.compile(r"^Queued (\d+) photos? on ")


@contextlib.contextmanager
def running_broker(say):
    """A Redis server of the run's own (free port, own data folder); yields its URL."""
    data_dir = Path(tempfile.mkdtemp(prefix="reproduce-redis-"))
    port = free_port()
    say(f"Starting a Redis server of its own on port {port} ...")
    try:
        try:
            url, _ = local_redis.start("127.0.0.1", port, data_dir)
        except local_redis.LocalRedisError as error:
            raise ScenarioFailed(str(error)) from None
        yield url
    finally:
        try:
            local_redis.stop(data_dir)
        except local_redis.LocalRedisError as error:
            say(f"Warning: {error}")
        shutil.rmtree(data_dir, ignore_errors=True)


def with_broker(run: Run, broker_url: str, **variables: str) -> Run:
    """The run, its processes pointed at the run's own broker."""
    return dataclasses.replace(
        run,
        environment={**run.environment, "CELERY_BROKER_URL": broker_url, **variables},
    )


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


def redis_server_version() -> str | None:
    try:
        out = subprocess.run(
            [local_redis.redis_server_binary(), "--version"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (local_redis.LocalRedisError, OSError, subprocess.CalledProcessError):
        return None
    match = re.search(r"v=(\S+)", out)
    return match[1] if match else out.strip()


def queue_photos(run: Run) -> int:
    out = run.manage("generate_all_thumbnail_aliases", "--queue")
    match = QUEUED.match(out)
    if not match:
        raise ScenarioFailed(f"generate_all_thumbnail_aliases --queue said: {out}")
    return int(match[1])


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
        "cpu": cpu_figures,
        "workers": results,
    }


def measure(run: Run, workers_counts: list[int], delete: list[str]) -> dict:
    """The queue scenario's figures: one run per count of workers."""
    with running_broker(run.say) as broker_url:
        run = with_broker(run, broker_url)
        limits = worker_limits(run)
        runs = []
        for count in workers_counts:
            run.say(
                f"    {count} worker(s): delete the thumbnails, then queue every photo"
            )
            run.say("    " + run.manage(*delete).strip())
            try:
                runs.append(measure_workers(run, count, limits["max_tasks_per_child"]))
            except WorkerFailed as error:
                raise ScenarioFailed(str(error)) from None
    return {
        "pool": "prefork",
        "concurrency_per_worker": 1,
        "versions": {
            "celery": version("celery"),
            "redis_server": redis_server_version(),
        },
        **limits,
        "runs": runs,
        "speedup": queue_figures.speedup(runs),
        "cap_check": queue_figures.cap_check(
            runs, limits["max_memory_per_child_kib"] * 1024
        ),
    }
