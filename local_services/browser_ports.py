"""The ports browsers refuse to load anything from.

A page on a good port whose images are on one of these shows every image
broken (Chromium and Firefox: ERR_UNSAFE_PORT), and nothing says why. The
list is the Fetch standard's "bad port" list
(https://fetch.spec.whatwg.org/#port-blocking), which Chromium
(net/base/port_util.cc, kRestrictedPorts) and Firefox share.
"""

from .server import ServiceError

BAD_PORTS = frozenset(
    {
        1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77,
        79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123,
        135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526,
        530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993,
        995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566,
        6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
    }
)  # fmt: skip


def refuse_bad_port(port: int, variable: str) -> None:
    """Raise ServiceError, naming the reason and a port to use instead, if
    browsers refuse port."""
    if port not in BAD_PORTS:
        return
    instead = next(p for p in range(port + 1, 65536) if p not in BAD_PORTS)
    raise ServiceError(
        f"Port {port} is one that browsers refuse (ERR_UNSAFE_PORT, the Fetch "
        f"standard's bad ports), so a page shows nothing loaded from it. "
        f"Use another, such as {variable}={instead}."
    )
