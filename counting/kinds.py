"""The shape every counter of the project shares: counts by kind, from any thread."""

import threading
from collections import Counter


class KindCounter:
    """Counts by kind (an S3 operation, an SQL statement's kind, an operation's
    body bytes); thread-safe, since requests and uploads are counted from
    threads of their own."""

    def __init__(self):
        self._lock = threading.Lock()
        self._counts = Counter()

    def add(self, kind: str, count: int = 1) -> None:
        """Count one of kind, or count of them (bytes, for a counter of bytes)."""
        with self._lock:
            self._counts[kind] += count

    def snapshot(self) -> dict[str, int]:
        """The counts so far, by kind, in the kinds' order."""
        with self._lock:
            return dict(sorted(self._counts.items()))

    def since(self, before: dict[str, int]) -> dict[str, int]:
        """The counts since the snapshot before, kinds without any left out."""
        return difference(self.snapshot(), before)

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()

    @property
    def count(self) -> int:
        """All kinds together."""
        with self._lock:
            return sum(self._counts.values())


def difference(after: dict[str, int], before: dict[str, int]) -> dict[str, int]:
    """after less before, kind by kind; kinds that did not change left out."""
    return {
        kind: count - before.get(kind, 0)
        for kind, count in after.items()
        if count != before.get(kind, 0)
    }
