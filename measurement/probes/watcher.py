"""Sample a process's memory from outside it, as a separate process.

The watcher never runs inside the measured process: anything it allocated
there would be counted as the program's own memory. It only needs psutil, so
it works for any command, Django or not.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field

import psutil

from measurement.errors import UsageError
from measurement.probes.samples import Sample, SampleWriter


@dataclass
class WatchResult:
    samples: list[Sample] = field(default_factory=list)
    returncode: int | None = None
    # The kernel's own high-water mark of the child, for checking the samples.
    # It counts the watcher's image the child starts as, before exec: that is
    # why the watcher imports nothing heavy.
    ru_maxrss_bytes: int | None = None

    @property
    def rss_peak_bytes(self) -> int | None:
        return max((s.rss_bytes for s in self.samples), default=None)


def read_memory(process: psutil.Process, uss_allowed: bool) -> tuple[int, int | None]:
    """Return (rss_bytes, uss_bytes); uss is None where the kernel refuses it."""
    if uss_allowed:
        try:
            info = process.memory_full_info()
            return info.rss, info.uss
        except psutil.AccessDenied:
            pass
    return process.memory_info().rss, None


def read_high_water(pid: int) -> int | None:
    """The kernel's high-water mark of pid's RSS (VmHWM), read only: None
    where /proc has none."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def uss_readable(process: psutil.Process) -> bool:
    # USS needs /proc/PID/smaps, which some kernels hide from other users.
    try:
        process.memory_full_info()
    except psutil.AccessDenied:
        return False
    except psutil.NoSuchProcess:
        return True
    return True


class StopRequested(Exception):
    pass


def _raise_stop(signum, frame):
    raise StopRequested


def _restore(previous: dict) -> None:
    for signum, handler in previous.items():
        signal.signal(signum, handler)


def read_tree_memory(
    process: psutil.Process, uss_allowed: bool
) -> tuple[int, int | None]:
    """(rss_bytes, uss_bytes) of process and all its descendants added up.

    For a server with worker processes (gunicorn): the workers do the work.
    Pages the workers share with their parent count once per process in the
    RSS; the USS, each process's own pages, does not double count.
    """
    rss_bytes, uss_bytes = read_memory(process, uss_allowed)
    try:
        children = process.children(recursive=True)
    except psutil.NoSuchProcess:
        children = []
    for child in children:
        try:
            child_rss, child_uss = read_memory(child, uss_allowed)
        except (psutil.NoSuchProcess, psutil.ZombieProcess):
            continue  # a worker that exited between listing and reading
        rss_bytes += child_rss
        if uss_bytes is not None:
            uss_bytes = None if child_uss is None else uss_bytes + child_uss
    return rss_bytes, uss_bytes


def watch_pid(
    pid: int,
    interval: float,
    csv_path: str | None,
    children: bool = False,
    uss: bool = True,
) -> WatchResult:
    """Sample PID (with its children, if asked) until it exits or this
    process is told to stop; its USS too, unless uss is False."""
    result = WatchResult()
    try:
        process = psutil.Process(pid)
    except psutil.NoSuchProcess:
        raise UsageError(f"No process with PID {pid}.") from None
    writer = SampleWriter(csv_path)
    previous = {
        s: signal.signal(s, _raise_stop) for s in (signal.SIGINT, signal.SIGTERM)
    }
    uss_allowed = uss and uss_readable(process)
    started = time.time()
    due = time.monotonic()
    try:
        while True:
            try:
                _sample(process, uss_allowed, started, result, writer, children)
            except (psutil.NoSuchProcess, psutil.ZombieProcess):
                break
            due = wait_until_due(due, interval)
    except StopRequested:
        pass
    finally:
        _restore(previous)
        writer.close()
    return result


def watch_command(
    command: list[str],
    interval: float,
    csv_path: str | None,
    children: bool = False,
    uss: bool = True,
) -> WatchResult:
    """Start COMMAND, sample it (with its children, if asked; its USS too,
    unless uss is False) until it exits, and collect its rusage.

    SIGINT and SIGTERM sent to the watcher are passed on to the child, so a
    server can be stopped through its watcher and the last samples are kept.
    """
    result = WatchResult()
    writer = SampleWriter(csv_path)
    started_child = []

    def forward(signum, frame):
        for child in started_child:
            child.send_signal(signum)

    # Handled before the child starts, for two reasons: a signal that comes
    # while it starts is not lost, and the child gets these signals' default
    # handling even where the watcher was started with SIGINT ignored (as a
    # shell starts a command run in the background with &). An ignored signal
    # stays ignored across exec, and a Python child that starts with SIGINT
    # ignored never raises KeyboardInterrupt, so runserver would not stop.
    previous = {s: signal.signal(s, forward) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        child = subprocess.Popen(command)
    except FileNotFoundError:
        _restore(previous)
        writer.close()
        raise UsageError(f"Command not found: {command[0]}") from None
    started_child.append(child)
    started = time.time()
    process = psutil.Process(child.pid)
    uss_allowed = uss and uss_readable(process)
    due = time.monotonic()
    try:
        while True:
            # Sample before reaping: once reaped the memory figures are gone.
            with contextlib.suppress(psutil.NoSuchProcess, psutil.ZombieProcess):
                _sample(process, uss_allowed, started, result, writer, children)
            pid, status, rusage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            due = wait_until_due(due, interval)
    finally:
        _restore(previous)
        writer.close()
    # Tell Popen the child is reaped, so it does not wait or warn again.
    child.returncode = os.waitstatus_to_exitcode(status)
    result.returncode = child.returncode
    result.ru_maxrss_bytes = ru_maxrss_to_bytes(rusage.ru_maxrss)
    return result


def wait_until_due(due: float, interval: float) -> float:
    """Sleep until the next sample is due, and return that moment.

    Keeping to a clock, rather than sleeping a whole interval after each
    sample, holds the rate at 1/interval whatever a sample costs. A late
    sample moves the clock on instead of being followed by a burst.
    """
    due = max(due + interval, time.monotonic())
    time.sleep(max(0.0, due - time.monotonic()))
    return due


def ru_maxrss_to_bytes(ru_maxrss: int) -> int:
    # Linux reports kilobytes, macOS bytes.
    return ru_maxrss if sys.platform == "darwin" else ru_maxrss * 1024


def _sample(process, uss_allowed, started, result, writer, children=False):
    now = time.time()
    if process.status() == psutil.STATUS_ZOMBIE:
        raise psutil.ZombieProcess(process.pid)
    read = read_tree_memory if children else read_memory
    rss_bytes, uss_bytes = read(process, uss_allowed)
    if rss_bytes == 0:
        # The process is exiting and has already given its memory back: a
        # zero here is the end of the program, not a reading of it.
        raise psutil.ZombieProcess(process.pid)
    # Of a tree, the sum of each process's high-water mark is no high-water
    # mark of the sum: none is given.
    high_water = None if children else read_high_water(process.pid)
    sample = Sample(now, now - started, rss_bytes, uss_bytes, high_water)
    result.samples.append(sample)
    writer.write(sample)
