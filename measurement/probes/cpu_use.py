"""CPU time, read from outside: the machine's busy cores and some processes' own.

Adding workers makes photos faster only while cores are idle. The queue
scenario samples, a few times a second, how many CPU seconds the whole
machine has spent busy (Linux's /proc/stat) and how many the workers' own
processes have (their CPU times, with those of pool processes already gone);
the queue study's figures turn two samples into cores busy over a stretch of the run.
"""

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import psutil

SAMPLE_EVERY_SECONDS = 0.25
# /proc/stat's first line: cpu user nice system idle iowait irq softirq steal.
# Time a core was idle or waiting for a disk is not busy.
BUSY_FIELDS = (0, 1, 2, 5, 6, 7)


@dataclass(frozen=True)
class CpuSample:
    time_unix_seconds: float
    # CPU seconds the machine spent busy since it started; None off Linux.
    machine_busy_seconds: float | None
    processes_seconds: float


def machine_busy_seconds() -> float | None:
    try:
        with open("/proc/stat") as stat:
            fields = stat.readline().split()[1:]
    except OSError:
        return None
    ticks = sum(int(fields[index]) for index in BUSY_FIELDS if index < len(fields))
    return ticks / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds of pid and its descendants, the ones they have reaped
    included (a Celery pool process replaced, for one); 0 once pid is gone."""
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    seconds = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except (psutil.NoSuchProcess, psutil.ZombieProcess):
            continue
        seconds += times.user + times.system + times.children_user
        seconds += times.children_system
    return seconds


def sample(pids: list[int]) -> CpuSample:
    return CpuSample(
        time.time(),
        machine_busy_seconds(),
        sum(tree_cpu_seconds(pid) for pid in pids),
    )


class CpuSampler:
    """Samples on a thread of its own while in a with block; pids() names the
    processes (each with its descendants) whose own CPU time is added up."""

    def __init__(self, pids: Callable[[], list[int]]):
        self.pids = pids
        self.samples: list[CpuSample] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "CpuSampler":
        self.samples.append(sample(self.pids()))
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()
        self.samples.append(sample(self.pids()))

    def _run(self) -> None:
        while not self._stop.wait(SAMPLE_EVERY_SECONDS):
            self.samples.append(sample(self.pids()))
