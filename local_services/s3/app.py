"""The WSGI app and process of the local S3 server.

moto's own app does the S3 work. Around it sit three things the project needs
from the server itself: a count of requests by operation, taken where they are
served (outside the measured process), saving objects to disk after every
change, and PUTs that fail on request, to test what a failed upload does.
"""

import json
import os
import signal
import sys
import threading
from pathlib import Path
from urllib.parse import unquote

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server
from werkzeug.wsgi import get_input_stream

from counting.kinds import KindCounter
from counting.s3_operations import is_counted, s3_operation

from . import CONTROL_PREFIX, snapshot

MUTATING_METHODS = {"PUT", "POST", "DELETE"}
# Saving waits this long after the last change, so a burst of uploads is
# written once, not once per object.
SAVE_DELAY_SECONDS = 0.3


def operation_of(method: str, path: str) -> str:
    """Name the S3 operation of a path-style request: GET on a bucket is a LIST."""
    return s3_operation(method, lists=object_key(path) is None)


class FailingPuts:
    """Key prefixes whose PUTs are answered with an S3 error instead of stored."""

    ERRORS = {
        403: ("403 Forbidden", "AccessDenied", "Access Denied"),
        500: (
            "500 Internal Server Error",
            "InternalError",
            "We encountered an internal error. Please try again.",
        ),
        503: ("503 Slow Down", "SlowDown", "Please reduce your request rate."),
    }

    def __init__(self):
        self._lock = threading.Lock()
        self._rules: dict[str, int] = {}  # prefix -> HTTP status

    def add(self, prefix: str, status: int) -> None:
        if status not in self.ERRORS:
            raise ValueError(f"status must be one of {sorted(self.ERRORS)}")
        with self._lock:
            self._rules[prefix] = status

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def rules(self) -> dict:
        with self._lock:
            return dict(self._rules)

    def status_for(self, key: str) -> int | None:
        with self._lock:
            for prefix, status in self._rules.items():
                if key.startswith(prefix):
                    return status
        return None

    def respond(self, status: int, key: str, environ, start_response):
        # Read the body: the client sent it and waits for its connection.
        stream = get_input_stream(environ)
        while stream.read(64 * 1024):
            pass
        line, code, message = self.ERRORS[status]
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{code}</Code><Message>{message}</Message>"
            f"<Key>{key}</Key></Error>"
        ).encode()
        start_response(
            line,
            [("Content-Type", "application/xml"), ("Content-Length", str(len(body)))],
        )
        return [body]


def object_key(path: str) -> str | None:
    """The key of a path-style object request, or None for a bucket request."""
    bucket_and_key = path.lstrip("/").split("/", 1)
    if len(bucket_and_key) == 2 and bucket_and_key[1]:
        return unquote(bucket_and_key[1])
    return None


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
    def __init__(self, counter: KindCounter, saver: Saver | None):
        # moto's dispatcher finds the service of every request by listing
        # moto's own package folder and matching the host against each
        # service's URLs: more CPU than the S3 work of a small PUT. Every
        # request here is S3's, so it goes to moto's S3 app directly; only
        # moto's own API (/moto-api/) goes through the dispatcher.
        self.moto_app = DomainDispatcherApplication(create_backend_app)
        self.s3_app = create_backend_app("s3")
        self.counter = counter
        self.saver = saver
        self.failing_puts = FailingPuts()

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        method = environ["REQUEST_METHOD"]
        if path.startswith(CONTROL_PREFIX):
            return self._control(
                method, path[len(CONTROL_PREFIX) :], environ, start_response
            )
        app = self.s3_app
        if path.startswith("/moto-api/"):
            app = self.moto_app
        else:
            if is_counted(environ.get("HTTP_USER_AGENT")):
                self.counter.add(operation_of(method, path))
            key = object_key(path)
            if method == "PUT" and key is not None:
                status = self.failing_puts.status_for(key)
                if status is not None:
                    return self.failing_puts.respond(
                        status, key, environ, start_response
                    )
        response = app(environ, start_response)
        if self.saver is not None and method in MUTATING_METHODS:
            self.saver.mark_changed()
        return response

    def _control(self, method, name, environ, start_response):
        if name == "requests" and method == "GET":
            return _json(start_response, self.counter.snapshot())
        if name == "requests/reset" and method == "POST":
            self.counter.reset()
            return _json(start_response, {})
        if name == "save" and method == "POST" and self.saver is not None:
            self.saver.save_now()
            return _json(start_response, {})
        if name == "fail-puts" and method == "POST":
            try:
                rule = json.loads(_read_body(environ) or b"{}")
                self.failing_puts.add(str(rule["prefix"]), int(rule.get("status", 500)))
            except (ValueError, KeyError, TypeError) as error:
                start_response(
                    "400 Bad Request", [("Content-Type", "application/json")]
                )
                return [json.dumps({"error": str(error)}).encode("utf-8")]
            return _json(start_response, self.failing_puts.rules())
        if name == "fail-puts" and method == "GET":
            return _json(start_response, self.failing_puts.rules())
        if name == "fail-puts" and method == "DELETE":
            self.failing_puts.clear()
            return _json(start_response, {})
        if name == "ping":
            # Who answers: `start` tells its own server from another one on the port.
            data_dir = str(self.saver.data_dir) if self.saver is not None else None
            return _json(
                start_response, {"ok": True, "data_dir": data_dir, "pid": os.getpid()}
            )
        start_response("404 Not Found", [("Content-Type", "application/json")])
        return [b"{}"]


def _read_body(environ) -> bytes:
    return get_input_stream(environ).read()


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
    app = LocalS3App(KindCounter(), saver)
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
