"""gunicorn's settings for the site as it is deployed: `make serve` and the
tests' gunicorn read them with `--config python:et_issue_example.gunicorn_config`.

A sync worker is held by one client for as long as that client takes to send
its request, so a few slow or stalled bodies take the site offline. gevent's
worker gives each connection a greenlet of an event loop instead: a client
that trickles costs a few kilobytes until it is done, or until a read waits
longer than REQUEST_READ_TIMEOUT_SECONDS. gunicorn's gevent worker patches the
standard library (sockets, threads, select) as the worker starts, before the
site is loaded, so boto3's and psycopg's sockets wait in the loop as well.
"""

# gevent's worker, its reads of a body bounded (gunicorn_worker.py).
worker_class = "et_issue_example.gunicorn_worker.GeventWorker"
# Connections each worker process holds at once, slow ones included.
worker_connections = 1000
# A stock cold page of 20 photos takes longer than gunicorn's default 30 s.
timeout = 300
# Seconds a request's line and headers may take to arrive, the first request's
# as a kept-alive connection's next; a body's reads are bounded by the worker.
keepalive = 5
