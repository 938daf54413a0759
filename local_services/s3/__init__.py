"""Start, stop and look at the local S3 server running in the background."""

import json
import os
import sys
import urllib.error
import urllib.request
from pathlib import Path

import boto3
import psutil
from botocore.config import Config
from botocore.exceptions import ClientError

from local_servers import background
from local_servers.ports import accepts_connections

START_TIMEOUT_SECONDS = 20
STOP_TIMEOUT_SECONDS = 20


class LocalS3Error(Exception):
    pass


def endpoint_url(host: str, port: int) -> str:
    return f"http://{host}:{port}"


def server_info(endpoint: str) -> dict | None:
    """What the local S3 server at endpoint says of itself (its data folder and
    pid), or None when no local S3 server answers there."""
    try:
        with urllib.request.urlopen(f"{endpoint}/_local_s3/ping", timeout=2) as r:
            info = json.load(r)
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) and info.get("ok") is True else None


def is_running(endpoint: str) -> bool:
    return server_info(endpoint) is not None


def running_pid(data_dir: Path) -> int | None:
    """The pid of the server started with data_dir, if it still runs."""
    try:
        process = psutil.Process(int((data_dir / "server.pid").read_text()))
        if "local_s3" in " ".join(process.cmdline()):
            return process.pid
    except (OSError, ValueError, psutil.Error):
        pass
    return None


def start(host: str, port: int, data_dir: Path) -> tuple[str, bool]:
    """Start the server unless it runs; return its endpoint and whether it was started.

    Raises LocalS3Error when the port is another's: a local S3 server with
    another data folder (another checkout's), or some other program.
    """
    endpoint = endpoint_url(host, port)
    info = server_info(endpoint)
    if info is not None:
        if info.get("data_dir") == str(data_dir.resolve()):
            return endpoint, False
        raise LocalS3Error(
            f"Port {port} is taken by another local S3 server (pid "
            f"{info.get('pid', 'unknown')}, data in {info.get('data_dir')}), not the "
            f"one of {data_dir}: start this one on another port, e.g. "
            f"`make s3 S3_PORT={port + 1}` (and `make run S3_PORT={port + 1}`), or stop "
            f"that one with `.venv/bin/python -m local_s3 stop --data-dir {info.get('data_dir')}`."
        )
    pid = running_pid(data_dir)
    if pid is not None:
        # On another port, or stuck: two servers saving into one folder would
        # overwrite each other's objects.
        raise LocalS3Error(
            f"The local S3 server of {data_dir} already runs (pid {pid}) but does "
            f"not answer on port {port}: stop it with `make s3-stop`, then start it "
            "again."
        )
    if accepts_connections(host, port):
        raise LocalS3Error(
            f"Port {port} is taken by another program: start the local S3 server "
            f"on another port, e.g. `make s3 S3_PORT={port + 1}`, or stop that program."
        )
    data_dir.mkdir(parents=True, exist_ok=True)
    root = Path(__file__).resolve().parent.parent
    pythonpath = os.environ.get("PYTHONPATH", "")
    process = background.spawn(
        [sys.executable, "-m", "local_s3", "serve", "--host", host]
        + ["--port", str(port), "--data-dir", str(data_dir)],
        data_dir,
        {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(root), pythonpath])),
        },
    )
    background.wait_until_answers(
        process,
        lambda: is_running(endpoint),
        name="local S3 server",
        where=endpoint,
        log_path=data_dir / background.LOG_NAME,
        port=port,
        timeout_seconds=START_TIMEOUT_SECONDS,
        error=LocalS3Error,
    )
    return endpoint, True


def stop(data_dir: Path) -> bool:
    """Stop the server started with this data directory; return whether one ran."""
    return background.stop(
        data_dir,
        lambda process: "local_s3" in " ".join(process.cmdline()),
        name="local S3 server",
        timeout_seconds=STOP_TIMEOUT_SECONDS,
        error=LocalS3Error,
    )


def ensure_bucket(endpoint: str, bucket: str, access_key: str, secret_key: str):
    """Create the bucket if it is missing; return whether it was created."""
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        region_name="us-east-1",
        config=Config(connect_timeout=5, read_timeout=10, retries={"max_attempts": 1}),
    )
    try:
        client.head_bucket(Bucket=bucket)
        return False
    except ClientError:
        client.create_bucket(Bucket=bucket)
        return True


def request_counts(endpoint: str) -> dict:
    with urllib.request.urlopen(f"{endpoint}/_local_s3/requests", timeout=5) as r:
        return json.load(r)


def reset_request_counts(endpoint: str) -> None:
    request = urllib.request.Request(
        f"{endpoint}/_local_s3/requests/reset", data=b"", method="POST"
    )
    urllib.request.urlopen(request, timeout=5).close()


def fail_puts(endpoint: str, prefix: str, status: int = 500) -> None:
    """Make the server answer every PUT of a key starting with prefix with an
    S3 error (403 AccessDenied, 500 InternalError or 503 SlowDown), storing
    nothing, until clear_failing_puts."""
    request = urllib.request.Request(
        f"{endpoint}/_local_s3/fail-puts",
        data=json.dumps({"prefix": prefix, "status": status}).encode("utf-8"),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    urllib.request.urlopen(request, timeout=5).close()


def clear_failing_puts(endpoint: str) -> None:
    request = urllib.request.Request(f"{endpoint}/_local_s3/fail-puts", method="DELETE")
    urllib.request.urlopen(request, timeout=5).close()
