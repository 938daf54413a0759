"""Ctrl-C tells the run's servers to stop the moment it comes, then raises
KeyboardInterrupt as Python does, so the run's blocks unwind as before."""

import signal

import pytest

from measurement.harness import interrupt


@pytest.fixture(autouse=True)
def pythons_own_handling():
    """SIGINT as a run gets it: KeyboardInterrupt (the test session's own
    handler put back after)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


class Server:
    def __init__(self, events, name):
        self.events, self.name = events, name

    def tell_to_stop(self):
        self.events.append(self.name)


def test_sigint_tells_every_server_entered_then_raises_keyboard_interrupt():
    events = []
    with (
        pytest.raises(KeyboardInterrupt),
        interrupt.stopped_at_once(Server(events, "s3")),
        interrupt.stopped_at_once(Server(events, "database")),
    ):
        signal.raise_signal(signal.SIGINT)
        events.append("not reached")
    assert sorted(events) == ["database", "s3"]


def test_a_server_whose_block_ended_is_not_told():
    events = []
    with (
        pytest.raises(KeyboardInterrupt),
        interrupt.stopped_at_once(Server(events, "s3")),
    ):
        with interrupt.stopped_at_once(Server(events, "database")):
            pass
        signal.raise_signal(signal.SIGINT)
    assert events == ["s3"]


def test_a_server_that_fails_to_be_told_does_not_keep_the_others_from_it():
    class Broken:
        def tell_to_stop(self):
            raise OSError("gone")

    events = []
    with (
        pytest.raises(KeyboardInterrupt),
        interrupt.stopped_at_once(Broken()),
        interrupt.stopped_at_once(Server(events, "s3")),
    ):
        signal.raise_signal(signal.SIGINT)
    assert events == ["s3"]


def test_python_s_own_handling_is_back_once_no_server_is_entered():
    with interrupt.stopped_at_once(Server([], "s3")):
        assert signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_run_started_with_sigint_ignored_keeps_it_ignored():
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        events = []
        with interrupt.stopped_at_once(Server(events, "s3")):
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)
