"""A page's originals are fetched one photo ahead, each once, in page order."""

import gc
import threading
import weakref
from types import SimpleNamespace

import pytest
from easy_thumbnails_fix import read_ahead


@pytest.fixture
def downloads(monkeypatch):
    """Each download the read-ahead sends: the original's name, and the
    thread it ran on."""
    sent = []

    def read_original(storage, name):
        sent.append((name, threading.current_thread().name))
        return f"bytes of {name}".encode()

    monkeypatch.setattr(read_ahead, "read_original", read_original)
    return SimpleNamespace(sent=sent)


class Photo:
    """A field file as the read-ahead sees it: a name and a storage."""

    def __init__(self, name):
        self.name = name
        self.source_storage = None


def photos(*names):
    return [Photo(name) for name in names]


def test_each_photo_takes_its_original_and_starts_the_next_one(downloads):
    a, b, c = photos("a.jpg", "b.jpg", "c.jpg")
    reader = read_ahead.ReadAhead([a, b, c])

    assert reader.original(a) == b"bytes of a.jpg"
    assert reader.original(b) == b"bytes of b.jpg"
    assert reader.original(c) == b"bytes of c.jpg"
    reader.close()

    assert [name for name, _ in downloads.sent] == ["a.jpg", "b.jpg", "c.jpg"]
    assert all(thread.startswith("original-read-ahead") for _, thread in downloads.sent)


def test_nothing_is_fetched_before_the_first_photo_takes_its_original(downloads):
    a, b = photos("a.jpg", "b.jpg")
    reader = read_ahead.ReadAhead([a, b])
    reader.close()

    assert downloads.sent == []


def test_it_keeps_one_original_ahead_not_the_whole_page(downloads):
    a, b, c = photos("a.jpg", "b.jpg", "c.jpg")
    reader = read_ahead.ReadAhead([a, b, c])
    reader.original(a)
    reader._pending[id(b)].result(5)

    assert [name for name, _ in downloads.sent] == ["a.jpg", "b.jpg"]
    reader.close()


def test_a_photo_reading_its_original_again_reads_it_itself(downloads):
    """The second read is the photo's own GET, as without the read-ahead: the
    read-ahead neither serves it nor starts the next photo a second time."""
    a, b = photos("a.jpg", "b.jpg")
    reader = read_ahead.ReadAhead([a, b])
    reader.original(a)
    reader.original(b)

    assert reader.original(a) is None
    reader.close()
    assert [name for name, _ in downloads.sent] == ["a.jpg", "b.jpg"]


def test_a_photo_not_on_the_page_is_not_its_business(downloads):
    (a,) = photos("a.jpg")
    reader = read_ahead.ReadAhead([a])
    assert reader.original(photos("other.jpg")[0]) is None
    reader.close()


def test_a_failed_download_raises_in_the_photo_that_takes_it(monkeypatch):
    def read_original(storage, name):
        raise OSError(f"{name}: connection reset")

    monkeypatch.setattr(read_ahead, "read_original", read_original)
    (a,) = photos("a.jpg")
    reader = read_ahead.ReadAhead([a])

    with pytest.raises(OSError, match="a.jpg: connection reset"):
        reader.original(a)


def test_it_keeps_no_photo_alive(downloads):
    """Kept beside objects loaded together, it holds their files weakly: a
    photo gone is neither fetched nor mistaken for one that takes its id."""
    a, b = photos("a.jpg", "b.jpg")
    reader = read_ahead.ReadAhead([a, b])
    gone = weakref.ref(b)
    del b
    gc.collect()

    assert gone() is None
    reader.original(a)
    assert [name for name, _ in downloads.sent] == ["a.jpg"]
    assert all(reader.original(other) is None for other in photos("c.jpg", "d.jpg"))
    reader.close()
