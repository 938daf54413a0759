"""gunicorn's settings for the site as it is deployed: `make serve` and the
tests' gunicorn read them with `--config python:et_issue_example.gunicorn_config`.

A sync worker is held by one client for as long as that client takes to send
its request, so a few slow or stalled bodies take the site offline. Each
gthread worker process serves `threads` requests at once, and waits for a new
connection's first bytes in its main loop, not in a thread: a client that
trickles its body holds one thread, until a read waits longer than
gunicorn_worker.REQUEST_READ_TIMEOUT_SECONDS.

Threads, not gevent's event loop: the site blocks in C where a loop cannot
switch, in flock() on the lock of each thumbnail (two requests of one process
waiting on each other's lock would hang it) and in Pillow's decoding.

After each request the worker gives the memory it freed back to the system
(glibc's malloc_trim). glibc gives each thread an arena of its own and keeps
in it what the thread freed, for that thread's next request: without the
trim, a photo's upload on one thread and its page on another each keep a
decoded photo's worth, and one worker reached 750 MB where one photo takes
550 (docs/site.md, "Memory per photo").
"""

import ctypes
import ctypes.util

# glibc's, where the system's C library has it (not macOS's, not musl's).
_malloc_trim = getattr(ctypes.CDLL(ctypes.util.find_library("c")), "malloc_trim", None)


def post_request(worker, req, environ, resp):
    if _malloc_trim is not None:
        _malloc_trim(0)


# gthread's worker, its reads of a body bounded (gunicorn_worker.py).
worker_class = "et_issue_example.gunicorn_worker.ThreadWorker"
# Requests each worker process serves at once, slow clients included: with
# make serve's 4 processes, 128 clients may stall before a page waits.
threads = 32
# A stock cold page of 20 photos takes longer than gunicorn's default 30 s.
timeout = 300
