import io

from local_services.s3.bodies import PIECE_BYTES, MeteredInput, MeteredResponse, pieces


def test_a_body_goes_in_pieces_of_at_most_piece_bytes():
    data = b"a" * (2 * PIECE_BYTES + 5)

    assert [len(piece) for piece in pieces(data)] == [PIECE_BYTES, PIECE_BYTES, 5]
    assert b"".join(pieces(data)) == data
    assert list(pieces(b"")) == []


def test_a_response_is_sent_as_it_was_each_piece_told_before_it_goes():
    told = []
    chunks = [b"b" * (PIECE_BYTES + 1), b"", b"c" * 10]

    response = MeteredResponse(iter(chunks), told.append)

    assert b"".join(response) == b"".join(chunks)
    assert told == [PIECE_BYTES, 1, 10]


def test_a_response_closes_what_it_wraps():
    class Closing(list):
        closed = False

        def close(self):
            self.closed = True

    wrapped = Closing([b"d"])
    MeteredResponse(wrapped, lambda length: None).close()

    assert wrapped.closed is True


def test_a_request_body_is_read_as_it_was_each_piece_told():
    """However it is read, every byte is told once."""
    data = b"e" * (3 * PIECE_BYTES) + b"line\nlast"
    for read in (
        lambda stream: stream.read(),
        lambda stream: stream.read(None),
        lambda stream: stream.read(100) + stream.read(),
        lambda stream: b"".join(iter(lambda: stream.read(7000), b"")),
        lambda stream: b"".join(stream),
    ):
        told = []
        stream = MeteredInput(io.BytesIO(data), told.append)

        assert read(stream) == data
        assert sum(told) == len(data)
        assert max(told) <= max(PIECE_BYTES, 3 * PIECE_BYTES + 5)


def test_a_large_read_is_made_of_pieces():
    """So that a paced upload is paced as it is read, not after."""
    told = []
    stream = MeteredInput(io.BytesIO(b"f" * (2 * PIECE_BYTES)), told.append)

    stream.read(2 * PIECE_BYTES)

    assert told == [PIECE_BYTES, PIECE_BYTES]
