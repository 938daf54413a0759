"""A free port on the loopback interface, and whether a port takes connections."""

import socket


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
