"""Request and response bodies seen piece by piece as the server reads and
sends them, so that their bytes are counted, and paced, where they are served.

Each piece is handed to a callback before it goes on: a counter adds its
length, a network profile sleeps for it (shaping.py).
"""

from collections.abc import Callable, Iterable

# A shaped body is paced in pieces this large: small enough that a link's
# share goes round its connections many times a second, large enough that a
# 2 MB original is a few dozen sleeps.
PIECE_BYTES = 64 * 1024


def pieces(data: bytes, size: int = PIECE_BYTES) -> Iterable[bytes]:
    """data in pieces of at most size bytes; nothing for no data."""
    for start in range(0, len(data), size):
        yield data[start : start + size]


class MeteredInput:
    """Stands in for a request's wsgi.input: reads it in pieces, each handed
    to on_piece(length) once read."""

    def __init__(self, stream, on_piece: Callable[[int], None]):
        self._stream = stream
        self._on_piece = on_piece

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            chunks = []
            while chunk := self._read_piece(PIECE_BYTES):
                chunks.append(chunk)
            return b"".join(chunks)
        chunks = []
        while size > 0 and (chunk := self._read_piece(min(size, PIECE_BYTES))):
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)

    def readline(self, size: int | None = -1) -> bytes:
        line = self._stream.readline(size)
        self._on_piece(len(line))
        return line

    def __iter__(self):
        while line := self.readline():
            yield line

    def _read_piece(self, size: int) -> bytes:
        chunk = self._stream.read(size)
        if chunk:
            self._on_piece(len(chunk))
        return chunk


class MeteredResponse:
    """A WSGI response iterable sent in pieces, each handed to
    on_piece(length) before it is sent; closes what it wraps, as WSGI asks."""

    def __init__(self, iterable: Iterable[bytes], on_piece: Callable[[int], None]):
        self._iterable = iterable
        self._on_piece = on_piece

    def __iter__(self):
        for chunk in self._iterable:
            for piece in pieces(chunk):
                self._on_piece(len(piece))
                yield piece

    def close(self) -> None:
        close = getattr(self._iterable, "close", None)
        if close is not None:
            close()
