"""A free port on the loopback interface."""

import socket


def free_port() -> int:
    """A port nothing listens on now; the caller binds it soon after."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
