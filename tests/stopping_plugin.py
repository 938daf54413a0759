"""A stopped test run leaves nothing running.

SIGTERM (a CI time-out, `kill`, make passing its own on) and SIGHUP (a closed
terminal) stop pytest as Ctrl-C does, with KeyboardInterrupt, so that the
fixtures' teardown and the server plugins' pytest_unconfigure stop what the
tests started. From the first signal on, a deadline holds: whatever of the
run still runs TEARDOWN_SECONDS later (a worker finishing its task, a
teardown that waits) is killed, and pytest exits by EXIT_SECONDS, well
within the ten seconds a stopped run is given. At the end of any run,
stopped or not, whatever it left is stopped too.

The run's processes are this process's descendants. The local servers start
in sessions of their own (local_services.background) but stay its children;
the servers a test's command starts are its grandchildren until the command
is killed, and from the first signal on this process is their subreaper
(PR_SET_CHILD_SUBREAPER), so that they stay its descendants then too.

Under pytest-xdist the controller passes the signal on to its workers, each a
pytest process with this plugin; a worker, and a run that make started, gets
SIGTERM from the kernel when its parent dies, however it died
(PR_SET_PDEATHSIG).
"""

import atexit
import contextlib
import ctypes
import os
import signal
import sys
import threading
import time

import psutil
import pytest

TEARDOWN_SECONDS = 4
# Between the SIGTERM and the SIGKILL of a process left running.
TERM_SECONDS = 2
EXIT_SECONDS = 7
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
# The parents a run goes with: make forwards SIGTERM but not SIGKILL, and an
# xdist worker has no business outliving its controller.
PARENTS_TO_DIE_WITH = {"make", "gmake"}

_PR_SET_PDEATHSIG = 1
_PR_SET_CHILD_SUBREAPER = 36

_stopping = threading.Event()
_passes_signals_to_children = False


def prctl(option: int, value: int) -> None:
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0)


def stop_run(signum, frame):
    """The handler of STOP_SIGNALS: the run stops as on Ctrl-C."""
    if _stopping.is_set():
        # Teardown is under way, and the deadline watches it: a second
        # signal (Ctrl-C twice, or make's SIGTERM and then its death's)
        # would cut it short and leave what it had yet to stop.
        return
    _stopping.set()
    # Not from the start of the run: an orphan adopted while tests run would
    # stay a zombie until the end, and a command that stops a server
    # (local_services' `stop`) would wait for it in vain.
    prctl(_PR_SET_CHILD_SUBREAPER, 1)
    if _passes_signals_to_children:
        for worker in psutil.Process().children():
            with contextlib.suppress(psutil.Error):
                worker.send_signal(signum)
    threading.Thread(target=keep_deadline, name="stop deadline", daemon=True).start()
    raise KeyboardInterrupt


def keep_deadline() -> None:
    started = time.monotonic()
    time.sleep(TEARDOWN_SECONDS)
    stop_descendants()
    # The main thread's teardown may still be removing folders, or writing
    # the summary.
    time.sleep(max(0.0, started + EXIT_SECONDS - time.monotonic()))
    stop_descendants()
    os._exit(pytest.ExitCode.INTERRUPTED)


def descendants() -> list[psutil.Process]:
    """This process's descendants that have not ended."""
    alive = []
    for process in psutil.Process().children(recursive=True):
        try:
            if process.status() != psutil.STATUS_ZOMBIE:
                alive.append(process)
        except psutil.Error:
            pass
    return alive


def stop_descendants() -> list[str]:
    """SIGTERM every process this one started, and every one they started;
    SIGKILL those still there after TERM_SECONDS. Return the ones found, as
    "pid (name)"."""
    found: dict[int, str] = {}
    deadline = time.monotonic() + TERM_SECONDS
    while True:
        running = descendants()
        # Zombies of this process's own children go too: reaping them is
        # what lets a pid go.
        psutil.wait_procs(psutil.Process().children(), timeout=0)
        if not running:
            return [f"{pid} ({name})" for pid, name in found.items()]
        past_deadline = time.monotonic() >= deadline
        for process in running:
            if past_deadline or process.pid not in found:
                try:
                    found.setdefault(process.pid, process.name())
                    process.send_signal(
                        signal.SIGKILL if past_deadline else signal.SIGTERM
                    )
                except psutil.Error:
                    pass
        psutil.wait_procs(running, timeout=0.1)


def stop_leftovers() -> None:
    """Stop what the run left, and say so: a test or plugin that leaves a
    process running at the end of a run that was not stopped is a bug."""
    left = stop_descendants()
    if left and not _stopping.is_set():
        print(
            f"The test run left processes running, now stopped: {', '.join(left)}",
            file=sys.stderr,
        )


def die_with_parent() -> None:
    parent = psutil.Process().parent()
    if parent is None:
        return
    try:
        name = parent.name()
    except psutil.Error:
        return
    if os.environ.get("PYTEST_XDIST_WORKER") or name in PARENTS_TO_DIE_WITH:
        prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent.pid:  # it died before the prctl
            os.kill(os.getpid(), signal.SIGTERM)


def pytest_configure(config):
    global _passes_signals_to_children
    # An xdist controller's only children are its workers.
    _passes_signals_to_children = config.pluginmanager.hasplugin("dsession")


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    stop_leftovers()


for _signal in STOP_SIGNALS:
    signal.signal(_signal, stop_run)
atexit.register(stop_leftovers)
die_with_parent()
