import threading

from counting.kinds import KindCounter, difference


def test_counts_by_kind_from_many_threads():
    """Every add is counted, whichever thread makes it."""
    counter = KindCounter()

    def add_many():
        for _ in range(1000):
            counter.add("GET")

    threads = [threading.Thread(target=add_many) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    counter.add("PUT")

    assert counter.snapshot() == {"GET": 4000, "PUT": 1}
    assert counter.count == 4001


def test_since_a_snapshot_leaves_out_the_kinds_that_did_not_change():
    counter = KindCounter()
    counter.add("HEAD")
    before = counter.snapshot()
    counter.add("GET")
    counter.add("GET")

    assert counter.since(before) == {"GET": 2}
    assert difference({"GET": 3, "PUT": 1}, {"GET": 1, "PUT": 1}) == {"GET": 2}


def test_reset_forgets_every_count():
    counter = KindCounter()
    counter.add("DELETE")
    counter.reset()

    assert counter.snapshot() == {}
    assert counter.count == 0


def test_an_add_may_count_many_at_once():
    """A counter of bytes adds a body's length in one go."""
    counter = KindCounter()
    counter.add("GET", 65536)
    counter.add("GET", 100)
    counter.add("PUT")

    assert counter.snapshot() == {"GET": 65636, "PUT": 1}
