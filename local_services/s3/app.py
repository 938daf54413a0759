"""The WSGI app and process of the local S3 server.

moto's own app does the S3 work. Around it sit what the project needs from
the server itself: a count of requests, and of their body bytes, by
operation, taken where they are served (outside the measured process),
saving objects to disk after every change, PUTs that fail on request, to
test what a failed upload does, and a network profile (network.py): each
request answered after a latency, its bodies paced to bandwidths.
"""

import json
import os
import signal
import sys
import threading
import time
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
from .bodies import PIECE_BYTES, MeteredInput, MeteredResponse
from .network import LOOPBACK, Profile, profile
from .shaping import Direction

MUTATING_METHODS = {"PUT", "POST", "DELETE"}
# Saving waits this long after the last change, so a burst of uploads is
# written once, not once per object.
SAVE_DELAY_SECONDS = 0.3
# How long the last save waits for changes under way; well inside the 20 s
# that stopping the server waits for it to exit.
CLOSE_WAIT_SECONDS = 5


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
    """Writes the objects to disk on a thread of its own, shortly after changes,
    and a last time when the server stops."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self._changed = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._under_way = 0
        self._closing = False
        self._idle = threading.Condition()

    def start(self) -> None:
        self._thread.start()

    def mark_changed(self) -> None:
        self._changed.set()

    def begin_change(self) -> bool:
        """Count a request that changes objects as under way until end_change;
        False once the server is stopping. Without this, a change answered 200
        after the last save would be lost with the server."""
        with self._idle:
            if self._closing:
                return False
            self._under_way += 1
            return True

    def end_change(self) -> None:
        with self._idle:
            self._under_way -= 1
            self._idle.notify_all()
        self.mark_changed()

    def close(self) -> None:
        """Take no more changes, let those under way be answered, save them."""
        with self._idle:
            self._closing = True
            self._idle.wait_for(lambda: self._under_way == 0, CLOSE_WAIT_SECONDS)
        self.save_now()

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


class BodyBytes:
    """The body bytes the server received (requests) and sent (responses),
    by S3 operation."""

    def __init__(self):
        self.received = KindCounter()
        self.sent = KindCounter()

    def snapshot(self) -> dict:
        return {"received": self.received.snapshot(), "sent": self.sent.snapshot()}

    def reset(self) -> None:
        self.received.reset()
        self.sent.reset()

    def counting(self, counter: KindCounter, operation: str, counted: bool):
        """What adds each piece of a body to counter, or ignores it when the
        request is not counted."""

        def count(length: int) -> None:
            if counted:
                counter.add(operation, length)

        return count


class Network:
    """The network the server answers as: a profile, and its two directions'
    buckets (the link's shared by every connection)."""

    def __init__(self, network: Profile):
        self.profile = network
        self.down = Direction(
            network.connection_download_bytes_per_second,
            network.link_download_bytes_per_second,
            PIECE_BYTES,
        )
        self.up = Direction(
            network.connection_upload_bytes_per_second,
            network.link_upload_bytes_per_second,
            PIECE_BYTES,
        )


class Closing:
    """A WSGI response that calls on_close once the server has sent it and
    closed what it wraps."""

    def __init__(self, iterable, on_close):
        self._iterable = iterable
        self._on_close = on_close

    def __iter__(self):
        return iter(self._iterable)

    def close(self) -> None:
        try:
            close = getattr(self._iterable, "close", None)
            if close is not None:
                close()
        finally:
            self._on_close()


def both(first, second):
    """A callback that calls first, then second when there is one."""
    if second is None:
        return first

    def call(length: int) -> None:
        first(length)
        second(length)

    return call


class LocalS3App:
    def __init__(
        self, counter: KindCounter, saver: Saver | None, network: Profile = LOOPBACK
    ):
        # moto's dispatcher finds the service of every request by listing
        # moto's own package folder and matching the host against each
        # service's URLs: more CPU than the S3 work of a small PUT. Every
        # request here is S3's, so it goes to moto's S3 app directly; only
        # moto's own API (/moto-api/) goes through the dispatcher.
        self.moto_app = DomainDispatcherApplication(create_backend_app)
        self.s3_app = create_backend_app("s3")
        self.counter = counter
        self.body_bytes = BodyBytes()
        self.saver = saver
        self.failing_puts = FailingPuts()
        self.network = Network(network)

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        method = environ["REQUEST_METHOD"]
        if path.startswith(CONTROL_PREFIX):
            return self._control(
                method, path[len(CONTROL_PREFIX) :], environ, start_response
            )
        if path.startswith("/moto-api/"):
            return self.moto_app(environ, start_response)
        operation = operation_of(method, path)
        # The site's own storage check is served, and shaped, but not counted.
        counted = is_counted(environ.get("HTTP_USER_AGENT"))
        if counted:
            self.counter.add(operation)
        network = self.network
        if network.profile.latency_seconds:
            time.sleep(network.profile.latency_seconds)
        environ["wsgi.input"] = MeteredInput(
            environ["wsgi.input"],
            both(
                self.body_bytes.counting(self.body_bytes.received, operation, counted),
                network.up.pace(),
            ),
        )
        response = self._s3(method, path, environ, start_response)
        if method == "HEAD":
            # The HTTP server sends no body to a HEAD, whatever moto returns.
            return response
        return MeteredResponse(
            response,
            both(
                self.body_bytes.counting(self.body_bytes.sent, operation, counted),
                network.down.pace(),
            ),
        )

    def _s3(self, method, path, environ, start_response):
        key = object_key(path)
        if method == "PUT" and key is not None:
            status = self.failing_puts.status_for(key)
            if status is not None:
                return self.failing_puts.respond(status, key, environ, start_response)
        if self.saver is None or method not in MUTATING_METHODS:
            return self.s3_app(environ, start_response)
        if not self.saver.begin_change():
            # Stopping: a change now would not reach the disk.
            return self.failing_puts.respond(503, key or "", environ, start_response)
        try:
            response = self.s3_app(environ, start_response)
        except BaseException:
            self.saver.end_change()
            raise
        # Under way until its answer is sent: the WSGI server closes it then.
        return Closing(response, self.saver.end_change)

    def _control(self, method, name, environ, start_response):
        if name == "requests" and method == "GET":
            return _json(start_response, self.counter.snapshot())
        if name == "network" and method == "GET":
            return _json(start_response, self.network.profile.as_report())
        if name == "network" and method == "POST":
            try:
                chosen = profile(json.loads(_read_body(environ) or b"{}")["profile"])
            except (ValueError, KeyError, TypeError) as error:
                start_response(
                    "400 Bad Request", [("Content-Type", "application/json")]
                )
                return [json.dumps({"error": str(error)}).encode("utf-8")]
            self.network = Network(chosen)
            return _json(start_response, chosen.as_report())
        if name == "bytes" and method == "GET":
            return _json(start_response, self.body_bytes.snapshot())
        if name == "requests/reset" and method == "POST":
            # The bytes go with the requests they are the bodies of.
            self.counter.reset()
            self.body_bytes.reset()
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


def serve(
    host: str, port: int, data_dir: Path | None, network: Profile = LOOPBACK
) -> None:
    """Run the server in this process until SIGTERM or SIGINT, saving on the way out."""
    saver = None
    if data_dir is not None:
        data_dir = data_dir.resolve()
        data_dir.mkdir(parents=True, exist_ok=True)
        restored = snapshot.restore(data_dir)
        print(f"Restored {restored} objects from {data_dir}.", flush=True)
        saver = Saver(data_dir)
        saver.start()
    app = LocalS3App(KindCounter(), saver, network)
    server = make_server(
        host, port, app, threaded=True, request_handler=MotoRequestHandler
    )

    def stop(signum, frame):
        # shutdown() blocks until serve_forever returns: call it off this thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(
        f"Local S3 server listening on http://{host}:{port}, network {network.name}",
        flush=True,
    )
    server.serve_forever()
    if saver is not None:
        saver.close()
    sys.exit(0)
