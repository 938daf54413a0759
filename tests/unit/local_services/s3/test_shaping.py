import pytest

from local_services.s3.shaping import (
    Direction,
    Pace,
    TokenBucket,
    bucket,
    delay_seconds,
)


def test_a_full_bucket_sends_its_burst_at_once():
    full = TokenBucket(rate_bytes_per_second=1000, burst_bytes=500)

    assert full.reserve(500, now_seconds=0.0) == 0.0


def test_bytes_beyond_the_tokens_wait_until_the_rate_has_made_them():
    paced = TokenBucket(rate_bytes_per_second=1000, burst_bytes=500)
    paced.reserve(500, now_seconds=0.0)

    assert paced.reserve(250, now_seconds=0.0) == pytest.approx(0.25)
    # Reserved already: the next sender queues behind the first.
    assert paced.reserve(250, now_seconds=0.0) == pytest.approx(0.5)


def test_a_body_takes_its_length_over_the_rate_less_the_burst():
    """Piece after piece, each sent when its wait is over: 1 MB at 100 kB/s
    takes 10 s, less the burst sent at once."""
    paced = TokenBucket(rate_bytes_per_second=100_000, burst_bytes=10_000)
    now = 0.0
    for _ in range(100):
        now += paced.reserve(10_000, now)

    assert now == pytest.approx(9.9)


def test_tokens_come_back_at_the_rate_and_no_more_than_the_burst():
    paced = TokenBucket(rate_bytes_per_second=1000, burst_bytes=500)
    paced.reserve(500, now_seconds=0.0)

    assert paced.reserve(100, now_seconds=0.1) == 0.0
    # An hour idle fills it to its burst only.
    assert paced.reserve(1000, now_seconds=3600.0) == pytest.approx(0.5)


def test_connections_on_one_link_share_its_rate():
    """Two bodies at once through one link's bucket each get half of it:
    both are done when the link has carried the two."""
    link = TokenBucket(rate_bytes_per_second=1000, burst_bytes=100)
    waits = [link.reserve(100, now_seconds=0.0) for _ in range(20)]

    assert waits[-1] == pytest.approx(1.9)


def test_a_body_waits_for_the_narrower_of_its_connection_and_the_link():
    connection = TokenBucket(rate_bytes_per_second=100, burst_bytes=0)
    link = TokenBucket(rate_bytes_per_second=1000, burst_bytes=0)

    assert delay_seconds([connection, link], 100, now_seconds=0.0) == 1.0
    assert delay_seconds([None, None], 100, now_seconds=0.0) == 0.0


def test_no_rate_is_no_bucket_and_a_rate_must_be_above_zero():
    assert bucket(None, 100) is None
    with pytest.raises(ValueError, match="above 0"):
        TokenBucket(0, 100)


def test_a_pace_sleeps_for_its_wait_and_not_when_there_is_none():
    slept = []
    pace = Pace(
        TokenBucket(1000, burst_bytes=100),
        None,
        clock=lambda: 0.0,
        sleep=slept.append,
    )

    pace(100)
    pace(500)

    assert slept == [pytest.approx(0.5)]


def test_each_body_gets_a_connection_of_its_own_and_all_share_the_link():
    direction = Direction(2000, 1000, burst_bytes=100)
    first, second = direction.pace(), direction.pace()

    assert first.connection is not second.connection
    assert first.link is second.link is direction.link
    assert Direction(None, None, burst_bytes=100).pace() is None
    assert Direction(None, 1000, burst_bytes=100).pace().connection is None
