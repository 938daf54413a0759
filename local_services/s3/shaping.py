"""Token buckets that pace the local S3 server's bodies to a network's bandwidths.

A bucket holds up to burst_bytes of tokens and gains rate_bytes_per_second
of them; sending n bytes takes n tokens. A reservation may take more tokens
than the bucket holds: the balance goes negative, and the sender waits until
it would be back at zero. Later senders then queue behind it, so the
connections that share one link's bucket share its rate between them.

The arithmetic takes the time as an argument, so it is tested without
waiting; Pace is the one part that reads the clock and sleeps.
"""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


class TokenBucket:
    def __init__(self, rate_bytes_per_second: float, burst_bytes: int):
        if rate_bytes_per_second <= 0:
            raise ValueError("a bucket's rate must be above 0")
        self.rate_bytes_per_second = rate_bytes_per_second
        self.burst_bytes = burst_bytes
        self._tokens = float(burst_bytes)
        self._stamp_seconds: float | None = None
        self._lock = threading.Lock()

    def reserve(self, length_bytes: int, now_seconds: float) -> float:
        """Take length_bytes of tokens at now_seconds; return the seconds to
        wait before sending them (0 when the bucket held them)."""
        with self._lock:
            if self._stamp_seconds is not None:
                gained = (
                    now_seconds - self._stamp_seconds
                ) * self.rate_bytes_per_second
                self._tokens = min(self.burst_bytes, self._tokens + gained)
            self._stamp_seconds = now_seconds
            self._tokens -= length_bytes
            if self._tokens >= 0:
                return 0.0
            return -self._tokens / self.rate_bytes_per_second


def bucket(rate_bytes_per_second: float | None, burst_bytes: int) -> TokenBucket | None:
    """A bucket of that rate, or None for a rate without limit."""
    if rate_bytes_per_second is None:
        return None
    return TokenBucket(rate_bytes_per_second, burst_bytes)


def delay_seconds(
    buckets: list[TokenBucket | None], length_bytes: int, now_seconds: float
) -> float:
    """The wait before sending length_bytes through every bucket given: the
    longest of their waits, since the bytes pass through each."""
    waits = [b.reserve(length_bytes, now_seconds) for b in buckets if b is not None]
    return max(waits, default=0.0)


@dataclass
class Pace:
    """One body's pacing: its connection's bucket and the link's, for one
    direction. A connection carries one request at a time, so a bucket per
    body is a bucket per connection."""

    connection: TokenBucket | None
    link: TokenBucket | None
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep

    def __call__(self, length_bytes: int) -> None:
        wait = delay_seconds([self.connection, self.link], length_bytes, self.clock())
        if wait > 0:
            self.sleep(wait)


class Direction:
    """One direction of a network, down or up: a rate per connection and a
    link's rate, whose one bucket all connections share."""

    def __init__(
        self,
        connection_bytes_per_second: float | None,
        link_bytes_per_second: float | None,
        burst_bytes: int,
    ):
        self.connection_bytes_per_second = connection_bytes_per_second
        self.burst_bytes = burst_bytes
        self.link = bucket(link_bytes_per_second, burst_bytes)

    def pace(self) -> Pace | None:
        """The pacing of one more body, or None when nothing limits it."""
        connection = bucket(self.connection_bytes_per_second, self.burst_bytes)
        if connection is None and self.link is None:
            return None
        return Pace(connection, self.link)
