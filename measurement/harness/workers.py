"""Celery worker instances of a run, each watched from outside, and what their logs say.

Each worker is a real `celery -A et_issue_example worker --pool prefork
--concurrency 1`: a main process that takes tasks off the broker and one pool
process that makes the photos. The main process runs under the project's
watcher (`python -m measurement watch --children`), and each pool process,
as it appears, gets a watcher of its own (`watch --pid`); neither reads USS
(watch_argv says why). The memory cap
applies to a pool process, and replaces it with a new one (a new pid).
"""

import datetime
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from photos import progress

START_TIMEOUT_SECONDS = 60
STOP_TIMEOUT_SECONDS = 60
# A new pool process is looked for this often, to be watched from as near its
# start as can be: it may take a photo at once.
DISCOVER_EVERY_SECONDS = 0.05
# The workers' logs are read this often for photos finished: what is measured
# comes from the logs' time stamps, not from when they are read.
READ_LOGS_EVERY_SECONDS = 0.5
READY = re.compile(r"@\S+ ready\.$")
# Celery's log prefix, before the task's own messages (photos.progress).
LOG_TIME = re.compile(r"^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}): \w+/[^\]]+\] ")


class WorkerFailed(Exception):
    pass


def log_time(text: str) -> float:
    """Unix seconds of Celery's log time stamp (the machine's local time, ms)."""
    moment = datetime.datetime.strptime(text, "%Y-%m-%d %H:%M:%S,%f")
    return moment.timestamp()


@dataclass
class PhotoMade:
    photo_id: int
    pid: int
    start_unix_seconds: float
    end_unix_seconds: float | None = None
    failed: bool = False


def photos_in_log(text: str) -> list[PhotoMade]:
    """Each photo a worker's log shows it taking, in order, with when it ended."""
    photos: list[PhotoMade] = []
    open_by_id: dict[int, PhotoMade] = {}
    for line in text.splitlines():
        stamp = LOG_TIME.match(line)
        task = progress.read_task_line(line) if stamp else None
        if task is None:
            continue
        if task.event == "making":
            photo = PhotoMade(task.pk, task.pid, log_time(stamp[1]))
            photos.append(photo)
            open_by_id[photo.photo_id] = photo
        elif task.pk in open_by_id:
            photo = open_by_id.pop(task.pk)
            photo.end_unix_seconds = log_time(stamp[1])
            photo.failed = task.event == "failed"
    return photos


def worker_argv(name: str) -> list[str]:
    return [
        sys.executable, "-m", "celery", "-A", "et_issue_example", "worker",
        "--pool", "prefork", "--concurrency", "1",
        "--hostname", f"{name}@%h", "--loglevel", "INFO",
        # Worker-to-worker chatter only slows the start.
        "--without-gossip", "--without-mingle",
    ]  # fmt: skip


def watch_argv(interval_seconds: float, csv_path: Path, target: list[str]) -> list[str]:
    # RSS and the kernel's high-water mark are what the queue figures use.
    # USS would read each process's /proc/PID/smaps at every sample: with two
    # workers (a tree watcher and a pool watcher each), that took 0.4 of a
    # core from the two the workers share, and the 2-worker run ran slower
    # for being watched.
    return [
        sys.executable, "-m", "measurement", "watch", "--no-uss",
        "--interval", str(interval_seconds), "--csv", str(csv_path), *target,
    ]  # fmt: skip


@dataclass
class Worker:
    """One celery worker instance under its watcher, and its pool processes' watchers."""

    name: str
    directory: Path
    interval_seconds: float
    watcher: subprocess.Popen | None = None
    pool_watchers: dict[int, subprocess.Popen] = field(default_factory=dict)
    _main_pid: int | None = None

    @property
    def log_path(self) -> Path:
        return self.directory / f"{self.name}.log"

    @property
    def csv_name(self) -> str:
        return f"rss-{self.name}.csv"

    def pool_csv_name(self, pid: int) -> str:
        return f"rss-{self.name}-pool-{pid}.csv"

    def start(self, root: Path, environment: dict) -> None:
        with self.log_path.open("w") as log:
            self.watcher = subprocess.Popen(
                watch_argv(
                    self.interval_seconds,
                    self.directory / self.csv_name,
                    ["--children", "--", *worker_argv(self.name)],
                ),
                cwd=root,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Its own session: a Ctrl-C in the terminal reaches the run,
                # which stops the worker itself (warm, then killed).
                start_new_session=True,
            )

    def log_text(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""

    def is_ready(self) -> bool:
        if self.watcher.poll() is not None:
            raise WorkerFailed(
                f"Celery worker {self.name} exited at start; see {self.log_path}."
            )
        return bool(READY.search(self.log_text()))

    def main_pid(self) -> int | None:
        """The worker's main process: its watcher's one child, found once.

        Finding a child reads every process's /proc entry; the pool
        processes are looked for 20 times a second, on the cores the workers
        measured share.
        """
        if self._main_pid is None:
            try:
                (main,) = psutil.Process(self.watcher.pid).children()
            except (psutil.NoSuchProcess, ValueError):
                return None
            self._main_pid = main.pid
        return self._main_pid

    def pool_pids(self) -> list[int]:
        """The worker's pool processes now: the children of its main process."""
        main = self.main_pid()
        try:
            return [child.pid for child in psutil.Process(main).children()]
        except (psutil.NoSuchProcess, TypeError, ValueError):
            return []

    def watch_new_pool_processes(self, root: Path) -> None:
        for pid in self.pool_pids():
            if pid not in self.pool_watchers:
                self.pool_watchers[pid] = subprocess.Popen(
                    watch_argv(
                        self.interval_seconds,
                        self.directory / self.pool_csv_name(pid),
                        ["--pid", str(pid)],
                    ),
                    cwd=root,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )

    def stop(self) -> None:
        """Warm shutdown (the photo in hand is finished), then killed if it hangs."""
        if self.watcher is not None and self.watcher.poll() is None:
            # The watcher passes SIGTERM on to the worker and keeps its samples.
            self.watcher.send_signal(signal.SIGTERM)
            try:
                self.watcher.wait(STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(self.watcher.pid, signal.SIGKILL)
                self.watcher.wait(10)
        for pool_watcher in self.pool_watchers.values():
            if pool_watcher.poll() is None:
                pool_watcher.send_signal(signal.SIGTERM)
            try:
                pool_watcher.wait(10)
            except subprocess.TimeoutExpired:
                pool_watcher.kill()
                pool_watcher.wait(10)


class Workers:
    """Start count workers, watch their pool processes as they come, stop them all.

    A context manager: whatever happens inside (a failure, Ctrl-C), every
    worker and watcher it started is stopped.
    """

    def __init__(
        self,
        count: int,
        prefix: str,
        run_root: Path,
        run_dir: Path,
        env: dict,
        interval_seconds: float,
    ):
        self.root = run_root
        self.environment = env
        self.workers = [
            Worker(f"{prefix}-worker{number}", run_dir, interval_seconds)
            for number in range(1, count + 1)
        ]
        self._stop_watching = threading.Event()
        self._discovery = threading.Thread(target=self._discover, daemon=True)

    def __enter__(self) -> "Workers":
        try:
            for worker in self.workers:
                worker.start(self.root, self.environment)
            deadline = time.monotonic() + START_TIMEOUT_SECONDS
            while not all(worker.is_ready() for worker in self.workers):
                if time.monotonic() > deadline:
                    raise WorkerFailed(
                        "The Celery workers did not say they were ready within "
                        f"{START_TIMEOUT_SECONDS} s; see {self.workers[0].log_path}."
                    )
                time.sleep(0.1)
            for worker in self.workers:
                worker.watch_new_pool_processes(self.root)
            self._discovery.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def _discover(self) -> None:
        while not self._stop_watching.wait(DISCOVER_EVERY_SECONDS):
            for worker in self.workers:
                worker.watch_new_pool_processes(self.root)

    def stop(self) -> None:
        self._stop_watching.set()
        if self._discovery.is_alive():
            self._discovery.join()
        for worker in self.workers:
            worker.stop()

    def main_pids(self) -> list[int]:
        """The workers' main processes (each with its pool below it)."""
        return [pid for worker in self.workers if (pid := worker.main_pid())]

    def photos(self) -> dict[str, list[PhotoMade]]:
        return {
            worker.name: photos_in_log(worker.log_text()) for worker in self.workers
        }

    def wait_for_photos(self, count: int, timeout_seconds: float, say) -> None:
        """Until count photos are finished across the workers.

        timeout_seconds is without progress: a long batch is fine as long as
        photos keep being finished.
        """
        finished, last_progress, said = 0, time.monotonic(), time.monotonic()
        while finished < count:
            for worker in self.workers:
                if worker.watcher.poll() is not None:
                    raise WorkerFailed(
                        f"Celery worker {worker.name} exited; see {worker.log_path}."
                    )
            now_finished = sum(
                1
                for photos in self.photos().values()
                for photo in photos
                if photo.end_unix_seconds is not None
            )
            if now_finished > finished:
                finished, last_progress = now_finished, time.monotonic()
            if time.monotonic() - last_progress > timeout_seconds:
                raise WorkerFailed(
                    f"No photo finished for {timeout_seconds:.0f} s ({finished} of "
                    f"{count} done); see {self.workers[0].log_path}."
                )
            if time.monotonic() - said > 5:
                say(f"      {finished} of {count} photos made")
                said = time.monotonic()
            time.sleep(READ_LOGS_EVERY_SECONDS)
