"""gunicorn's gevent worker, with a bound on each read of a request's body."""

from gunicorn.workers.ggevent import GeventWorker as StockGeventWorker

# A client whose body sends nothing for this long is cut off: the view sees
# an unreadable request, and its greenlet and socket are freed.
REQUEST_READ_TIMEOUT_SECONDS = 30


class GeventWorker(StockGeventWorker):
    def handle(self, listener, client, addr):
        # Stock puts the connection in blocking mode, with no bound on a read.
        client.settimeout(REQUEST_READ_TIMEOUT_SECONDS)
        super(StockGeventWorker, self).handle(listener, client, addr)
