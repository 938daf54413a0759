"""Keep image buffers out of the C heap, where they fragment (glibc).

glibc serves allocations above its mmap threshold (128 KB at first) with mmap
and gives them back to the system when freed. But freeing such a block raises
the threshold to that block's size, up to 32 MB: after the first decoded
original is freed, every later image buffer below that size comes from the
heap, and a heap of buffers of a dozen sizes fragments. RSS then climbs for
tens of photos before it levels off. Pinning the threshold stops the sliding.
"""

import ctypes
import sys
import threading

M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_BYTES = 128 * 1024  # glibc's initial value, kept from now on

_pinned = False
_lock = threading.Lock()


def pin_mmap_threshold() -> bool:
    """Pin the threshold once per process; whether it is pinned (glibc only)."""
    global _pinned
    with _lock:
        if not _pinned and sys.platform.startswith("linux"):
            try:
                mallopt = ctypes.CDLL(None).mallopt
            except (OSError, AttributeError):
                return False
            _pinned = bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES))
        return _pinned
