"""The WSGI app and process of the local S3 server.

moto's own app does the S3 work. Around it sit two things the project needs
from the server itself: a count of requests by operation, taken where they are
served (outside the measured process), and saving objects to disk after every
change.
"""

import json
import os
import signal
import sys
import threading
from collections import Counter
from pathlib import Path

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server

from . import snapshot

CONTROL_PREFIX = "/_local_s3/"
MUTATING_METHODS = {"PUT", "POST", "DELETE"}
# Saving waits this long after the last change, so a burst of uploads is
# written once, not once per object.
SAVE_DELAY_SECONDS = 0.3


def operation_of(method: str, path: str) -> str:
    """Name the S3 operation of a path-style request: GET on a bucket is a LIST."""
    bucket_and_key = path.lstrip("/").split("/", 1)
    has_key = len(bucket_and_key) == 2 and bucket_and_key[1] != ""
    if method == "GET" and not has_key:
        return "LIST"
    return method


class RequestCounter:
    def __init__(self):
        self._lock = threading.Lock()
        self._counts = Counter()

    def add(self, operation: str) -> None:
        with self._lock:
            self._counts[operation] += 1

    def snapshot(self) -> dict:
        with self._lock:
            return dict(sorted(self._counts.items()))

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()


class Saver:
    """Writes the objects to disk on a thread of its own, shortly after changes."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self._changed = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def mark_changed(self) -> None:
        self._changed.set()

    def save_now(self) -> None:
        with self._lock:
            self._changed.clear()
            snapshot.save(self.data_dir)

    def _run(self) -> None:
        while True:
            self._changed.wait()
            # Let a burst of changes settle before writing.
            while True:
                self._changed.clear()
                if not self._changed.wait(SAVE_DELAY_SECONDS):
                    break
            self.save_now()


class LocalS3App:
    def __init__(self, counter: RequestCounter, saver: Saver | None):
        self.moto_app = DomainDispatcherApplication(create_backend_app)
        self.counter = counter
        self.saver = saver

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        method = environ["REQUEST_METHOD"]
        if path.startswith(CONTROL_PREFIX):
            return self._control(method, path[len(CONTROL_PREFIX) :], start_response)
        if not path.startswith("/moto-api/"):
            self.counter.add(operation_of(method, path))
        response = self.moto_app(environ, start_response)
        if self.saver is not None and method in MUTATING_METHODS:
            self.saver.mark_changed()
        return response

    def _control(self, method, name, start_response):
        if name == "requests" and method == "GET":
            return _json(start_response, self.counter.snapshot())
        if name == "requests/reset" and method == "POST":
            self.counter.reset()
            return _json(start_response, {})
        if name == "save" and method == "POST" and self.saver is not None:
            self.saver.save_now()
            return _json(start_response, {})
        if name == "ping":
            # Who answers: `start` tells its own server from another one on the port.
            data_dir = str(self.saver.data_dir) if self.saver is not None else None
            return _json(
                start_response, {"ok": True, "data_dir": data_dir, "pid": os.getpid()}
            )
        start_response("404 Not Found", [("Content-Type", "application/json")])
        return [b"{}"]


def _json(start_response, data):
    body = json.dumps(data).encode("utf-8")
    start_response(
        "200 OK",
        [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
    )
    return [body]


def serve(host: str, port: int, data_dir: Path | None) -> None:
    """Run the server in this process until SIGTERM or SIGINT, saving on the way out."""
    saver = None
    if data_dir is not None:
        data_dir = data_dir.resolve()
        data_dir.mkdir(parents=True, exist_ok=True)
        restored = snapshot.restore(data_dir)
        print(f"Restored {restored} objects from {data_dir}.", flush=True)
        saver = Saver(data_dir)
        saver.start()
    app = LocalS3App(RequestCounter(), saver)
    server = make_server(
        host, port, app, threaded=True, request_handler=MotoRequestHandler
    )

    def stop(signum, frame):
        # shutdown() blocks until serve_forever returns: call it off this thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"Local S3 server listening on http://{host}:{port}", flush=True)
    server.serve_forever()
    if saver is not None:
        saver.save_now()
    sys.exit(0)
