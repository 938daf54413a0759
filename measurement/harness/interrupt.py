"""Ctrl-C tells every server of a run to stop at once.

As a run's blocks unwind, its servers stop one after another, each waited
for: the site's, then the S3 server's, then the database's. After Ctrl-C
nothing they would still do is wanted, so the servers entered here are told
to stop (``tell_to_stop``) the moment the signal comes, before
KeyboardInterrupt is raised: the unwinding then waits for the slowest of
them, not for each in turn, and a run ends within two seconds of Ctrl-C on
a loaded machine too.
"""

import contextlib
import signal
import threading

# The servers of the blocks entered, by id: told in any order, each stops alone.
_servers: dict[int, object] = {}
_previous_handler = None


def _interrupted(signum, frame):
    for server in list(_servers.values()):
        # Best effort: the unwinding stops each server, and says so if it fails.
        with contextlib.suppress(Exception):
            server.tell_to_stop()
    raise KeyboardInterrupt


@contextlib.contextmanager
def stopped_at_once(server):
    """For the block, server is told to stop as soon as SIGINT comes.

    Only where SIGINT raises KeyboardInterrupt (Python's default) in the main
    thread: a run started with SIGINT ignored, or from another thread, keeps
    its handling as it is.
    """
    global _previous_handler
    handled_by_python = signal.getsignal(signal.SIGINT) in (
        signal.default_int_handler,
        _interrupted,
    )
    if (
        threading.current_thread() is not threading.main_thread()
        or not handled_by_python
    ):
        yield server
        return
    if not _servers:
        _previous_handler = signal.signal(signal.SIGINT, _interrupted)
    _servers[id(server)] = server
    try:
        yield server
    finally:
        _servers.pop(id(server), None)
        if not _servers:
            signal.signal(signal.SIGINT, _previous_handler)
