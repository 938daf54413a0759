"""A bounded load on a page: a fixed number of clients for a fixed number of seconds.

    python -m measurement load http://127.0.0.1:8000/ --clients 16 --seconds 60

Each client is a thread with its own connection that requests the page again
as soon as it has read the whole answer. Only this machine's loopback is
accepted: it is a measuring tool, not a load tester of other people's sites.
"""

import http.client
import threading
import time
from urllib.parse import urlsplit

from local_services.ports import LOOPBACK_HOSTS
from measurement.errors import UsageError
from measurement.stats.latencies import summarize

# A request still unanswered after this long counts as an error.
REQUEST_TIMEOUT_SECONDS = 300


class NotLoopback(UsageError):
    pass


def run_clients(url: str, clients: int, seconds: float) -> dict:
    """Load url with clients threads for seconds; return stats.latencies.summarize's dict.

    A request started before the end is waited for, so each one counts.
    """
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname not in LOOPBACK_HOSTS:
        raise NotLoopback(f"{url}: only http:// on this machine's loopback is loaded.")
    path = parts.path or "/"
    responses: list[tuple[float, int]] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    deadline = [0.0]

    def client():
        connection = http.client.HTTPConnection(
            parts.hostname, parts.port or 80, timeout=REQUEST_TIMEOUT_SECONDS
        )
        start.wait()
        try:
            while time.monotonic() < deadline[0]:
                began = time.perf_counter()
                try:
                    connection.request("GET", path)
                    response = connection.getresponse()
                    response.read()
                    outcome = (time.perf_counter() - began, response.status)
                    if response.will_close:
                        connection.close()
                except (OSError, http.client.HTTPException) as error:
                    connection.close()
                    with lock:
                        errors.append(type(error).__name__)
                    continue
                with lock:
                    responses.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    began = time.monotonic()
    deadline[0] = began + seconds
    start.wait()
    for thread in threads:
        thread.join()
    return summarize(responses, errors, time.monotonic() - began)
