"""gunicorn's gthread worker, with a bound on each read of a request's body."""

from gunicorn.workers.gthread import ThreadWorker as StockThreadWorker

# A client whose body sends nothing for this long is cut off: the view sees
# an unreadable request, and its thread is free again.
REQUEST_READ_TIMEOUT_SECONDS = 30


class ThreadWorker(StockThreadWorker):
    def handle_request(self, req, conn):
        # Stock reads the body in blocking mode, with no bound on a read.
        conn.sock.settimeout(REQUEST_READ_TIMEOUT_SECONDS)
        return super().handle_request(req, conn)
