"""A local S3 server: moto in server mode, as its own process, with objects kept on disk."""

from urllib.parse import urlsplit

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5000
DEFAULT_DATA_DIR = "var/s3"
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


def is_local_endpoint(url: str | None) -> bool:
    """Whether an S3 endpoint is on this machine, where `make s3` can serve it."""
    return urlsplit(url or "").hostname in LOOPBACK_HOSTS


def start_command(url: str) -> str:
    """The command that starts the local S3 server at a local endpoint."""
    port = urlsplit(url).port or 80
    return "make s3" if port == DEFAULT_PORT else f"make s3 S3_PORT={port}"
