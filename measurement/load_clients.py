"""A bounded load on a page: a fixed number of clients for a fixed number of seconds.

    python -m measurement.load_clients http://127.0.0.1:8000/ --clients 16 --seconds 60

Each client is a thread with its own connection that requests the page again
as soon as it has read the whole answer. Only this machine's loopback is
accepted: it is a measuring tool, not a load tester of other people's sites.
"""

import argparse
import http.client
import json
import sys
import threading
import time
from urllib.parse import urlsplit

from measurement.load_figures import summarize

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
# A request still unanswered after this long counts as an error.
REQUEST_TIMEOUT_SECONDS = 300


class NotLoopback(ValueError):
    pass


def run_clients(url: str, clients: int, seconds: float) -> dict:
    """Load url with clients threads for seconds; return load_figures.summarize's dict.

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m measurement.load_clients",
        description="Request a page on this machine with a fixed number of clients "
        "for a fixed time; print the latencies, statuses and errors as JSON.",
    )
    parser.add_argument("url", help="The page, on 127.0.0.1, localhost or ::1.")
    parser.add_argument("--clients", type=int, default=16, help="Clients (default 16).")
    parser.add_argument(
        "--seconds", type=float, default=60, help="Seconds (default 60)."
    )
    args = parser.parse_args(argv)
    if args.clients < 1 or args.seconds <= 0:
        parser.error("--clients must be at least 1 and --seconds above 0.")
    try:
        figures = run_clients(args.url, args.clients, args.seconds)
    except NotLoopback as error:
        print(error, file=sys.stderr)
        return 2
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
