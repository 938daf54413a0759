"""The local S3 server: moto in server mode, as its own process, with objects
kept on disk (app.py is the server, snapshot.py its disk).

S3Server starts, stops and looks at one; the functions below need only an
endpoint, for code that is given one rather than a data folder.
"""

import json
import os
import sys
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import boto3
import psutil
from botocore.config import Config
from botocore.exceptions import ClientError

from ..ports import LOOPBACK_HOSTS, accepts_connections
from ..server import LocalServer, ServiceError

# The server's own requests, beside S3's: none of S3's paths starts so.
CONTROL_PREFIX = "/_local_s3/"
# The project's folder, where the server imports this package from.
ROOT = Path(__file__).resolve().parents[2]


class S3Server(LocalServer):
    """The local S3 server of a data folder, on host:port."""

    NAME = "local S3 server"
    DEFAULT_PORT = 5000
    DEFAULT_DATA_DIR = "var/s3"
    STOP_COMMAND = "make s3-stop"
    PORT_VARIABLE = "S3_PORT"

    @property
    def url(self) -> str:
        return endpoint_url(self.host, self.port)

    def start(self) -> bool:
        started = super().start()
        remember_data_dir(self.port, self.data_dir)
        return started

    def is_running(self) -> bool:
        """Whether a local S3 server answers on the endpoint, whichever data
        folder it serves."""
        return server_info(self.url) is not None

    def already_runs(self) -> bool:
        """Whether this server answers already. Raises ServiceError when the
        port is another's: a local S3 server with another data folder (another
        checkout's), or some other program."""
        port, info = self.port, server_info(self.url)
        if info is not None and info.get("data_dir") != str(self.data_dir.resolve()):
            raise ServiceError(
                f"Port {port} is taken by another local S3 server (pid "
                f"{info.get('pid', 'unknown')}, data in {info.get('data_dir')}), not "
                f"the one of {self.data_dir}: start this one on another port, e.g. "
                f"`{start_command(endpoint_url(self.host, port + 1), self.data_dir)}` "
                f"(and `make run S3_PORT={port + 1}`), "
                f"or stop that one with `{stop_command(info.get('data_dir'))}`."
            )
        if super().already_runs():
            return True
        if accepts_connections(self.host, port):
            raise ServiceError(
                f"Port {port} is taken by another program: start the local S3 server "
                f"of {self.data_dir} on another port, e.g. "
                f"`{start_command(endpoint_url(self.host, port + 1), self.data_dir)}`, "
                "or stop that program."
            )
        return False

    def command(self) -> list[str]:
        return [
            sys.executable, "-m", "local_services", "s3", "serve",
            "--host", self.host,
            "--port", str(self.port),
            "--data-dir", str(self.data_dir),
        ]  # fmt: skip

    def environment(self) -> dict:
        # This checkout's package, wherever the server is started from.
        environment = super().environment()
        pythonpath = environment.get("PYTHONPATH", "")
        environment["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(ROOT), pythonpath])
        )
        return environment

    def is_ours(self, process: psutil.Process) -> bool:
        try:
            return "-m local_services s3 serve" in " ".join(process.cmdline())
        except psutil.Error:
            return False

    def ensure_bucket(
        self, bucket: str, access_key: str = "testing", secret_key: str = "testing"
    ) -> bool:
        """Create the bucket if it is missing; return whether it was created.

        The keys are moto's documented dummies unless given: it takes any.
        """
        client = boto3.client(
            "s3",
            endpoint_url=self.url,
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            region_name="us-east-1",
            config=Config(
                connect_timeout=5, read_timeout=10, retries={"max_attempts": 1}
            ),
        )
        try:
            client.head_bucket(Bucket=bucket)
            return False
        except ClientError:
            client.create_bucket(Bucket=bucket)
            return True
        finally:
            client.close()


def endpoint_url(host: str, port: int) -> str:
    return f"http://{host}:{port}"


def stop_command(data_dir) -> str:
    """The command that stops the local S3 server of data_dir."""
    return f".venv/bin/python -m local_services s3 stop --data-dir {data_dir}"


def is_local_endpoint(url: str | None) -> bool:
    """Whether an S3 endpoint is on this machine, where `make s3` can serve it."""
    return urlsplit(url or "").hostname in LOOPBACK_HOSTS


def checkout_data_dir() -> Path:
    """The data folder `make s3` serves: this checkout's var/s3."""
    return ROOT / S3Server.DEFAULT_DATA_DIR


def start_command(url: str, data_dir=None) -> str:
    """The command that starts the local S3 server of data_dir (`make s3`'s
    own when None) at a local endpoint."""
    if data_dir is not None and Path(data_dir).resolve() != checkout_data_dir():
        port = urlsplit(url).port or 80
        return (
            f".venv/bin/python -m local_services s3 start --port {port} "
            f"--data-dir {data_dir}"
        )
    return make_command("s3", url)


def make_command(target: str, url: str) -> str:
    """`make target` for the local S3 server at a local endpoint, with its
    S3_PORT unless it is the default: make run, make load-photos..."""
    port = urlsplit(url).port or 80
    if port == S3Server.DEFAULT_PORT:
        return f"make {target}"
    return f"make {target} S3_PORT={port}"


def ports_record_dir() -> Path:
    """Where this checkout notes the data folder of each port's last server."""
    return ROOT / "var" / "s3-ports"


def remember_data_dir(port: int, data_dir) -> None:
    ports_record_dir().mkdir(parents=True, exist_ok=True)
    (ports_record_dir() / str(port)).write_text(str(Path(data_dir).resolve()))


def data_dir_in_use(url: str) -> Path:
    """The data folder of the local S3 server at a local endpoint: the one
    serving there, else the last one this checkout started on its port, else
    `make s3`'s."""
    info = server_info(url)
    if info is not None and info.get("data_dir"):
        return Path(info["data_dir"])
    port = urlsplit(url).port or 80
    try:
        return Path((ports_record_dir() / str(port)).read_text())
    except (FileNotFoundError, ValueError):
        return checkout_data_dir()


def server_info(endpoint: str) -> dict | None:
    """What the local S3 server at endpoint says of itself (its data folder and
    pid), or None when no local S3 server answers there."""
    try:
        with urllib.request.urlopen(f"{endpoint}{CONTROL_PREFIX}ping", timeout=2) as r:
            info = json.load(r)
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) and info.get("ok") is True else None


def request_counts(endpoint: str) -> dict:
    """The requests the server served since the last reset, by S3 operation."""
    with urllib.request.urlopen(f"{endpoint}{CONTROL_PREFIX}requests", timeout=5) as r:
        return json.load(r)


def body_bytes(endpoint: str) -> dict:
    """The body bytes the server received and sent since the last reset of its
    request counts: {"received": {operation: bytes}, "sent": {...}}."""
    with urllib.request.urlopen(f"{endpoint}{CONTROL_PREFIX}bytes", timeout=5) as r:
        return json.load(r)


def set_network(endpoint: str, profile_name: str) -> dict:
    """Have the server answer as the network profile of that name
    (network.py) from now on; return the profile's figures."""
    request = urllib.request.Request(
        f"{endpoint}{CONTROL_PREFIX}network",
        data=json.dumps({"profile": profile_name}).encode("utf-8"),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as r:
        return json.load(r)


def reset_request_counts(endpoint: str) -> None:
    """Set the request counts, and their body bytes, back to zero."""
    _control(endpoint, "requests/reset", "POST", b"")


def fail_puts(endpoint: str, prefix: str, status: int = 500) -> None:
    """Make the server answer every PUT of a key starting with prefix with an
    S3 error (403 AccessDenied, 500 InternalError or 503 SlowDown), storing
    nothing, until clear_failing_puts."""
    _control(
        endpoint,
        "fail-puts",
        "POST",
        json.dumps({"prefix": prefix, "status": status}).encode("utf-8"),
    )


def clear_failing_puts(endpoint: str) -> None:
    _control(endpoint, "fail-puts", "DELETE")


def _control(endpoint: str, name: str, method: str, data: bytes | None = None):
    request = urllib.request.Request(
        f"{endpoint}{CONTROL_PREFIX}{name}",
        data=data,
        method=method,
        headers={"Content-Type": "application/json"} if data else {},
    )
    urllib.request.urlopen(request, timeout=5).close()
