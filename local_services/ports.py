"""Ports on this machine: a free one, whether one takes connections, and the
host names of the loopback interface."""

import socket

# The names of this machine's own interface: an endpoint on one of them is a
# server here, which the project may start, stop and load.
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def free_port() -> int:
    """A port nothing listens on now; the caller binds it soon after."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def accepts_connections(host: str, port: int, timeout_seconds: float = 2) -> bool:
    """Whether something listens on host:port (whatever it is)."""
    try:
        socket.create_connection((host, port), timeout=timeout_seconds).close()
    except OSError:
        return False
    return True
