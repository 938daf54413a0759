"""Each thumbnail made once: the fix's field files make a missing thumbnail
under a lock per photo, held until its rows are written; stock's files take
no lock and make again what another maker made meanwhile. Path by path.

Each path's cost is exact: queries, requests at the local S3 server, the
locks taken and released, and easy-thumbnails' signals. The tests' SQLite
database is in memory, so its lock is one in this process and costs no
query; PostgreSQL's is an advisory lock, and its holder always reads the rows
again (PostgreSQL keeps no note of when the lock was last released).
"""

import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from easy_thumbnails import signals
from easy_thumbnails.alias import aliases
from easy_thumbnails.files import generate_all_aliases
from easy_thumbnails.models import Source, Thumbnail
from easy_thumbnails_fix import maker_lock, page_cache, thumbnail_batch, thumbnail_page
from easy_thumbnails_fix.storage_hash import storage_hash

from photos.models import Photo
from tests.conftest import small_photo_bytes

pytestmark = pytest.mark.every_database

FIRST, SECOND = "admin_thumbnail", "photoset_small"
ALIASES_COUNT = 9
POSTGRESQL = "postgresql"


class Made:
    """The locks taken and released, and the thumbnails created and missed."""

    def __init__(self):
        self.locks = []
        self.created = []
        self.missed = []

    def on_created(self, sender, **kwargs):
        self.created.append(sender.name)

    def on_missed(self, sender, options, **kwargs):
        self.missed.append(sender.get_thumbnail_name(options))


@pytest.fixture
def made(monkeypatch):
    made = Made()
    acquire, try_acquire_many = maker_lock.acquire, maker_lock.try_acquire_many
    release_many, release = maker_lock.release_many, maker_lock.Hold.release

    def recording_acquire(key, rows_read_ns=None):
        hold = acquire(key, rows_read_ns)
        made.locks.append(("acquire", key))
        return hold

    def recording_try_acquire_many(keys, rows_read_ns=None):
        keys = list(keys)
        holds = try_acquire_many(keys, rows_read_ns)
        made.locks.append(("try", keys, sorted(holds)))
        return holds

    def recording_release_many(holds_made):
        holds_made = list(holds_made)
        made.locks.append(
            ("release many", [(h.key, m) for h, m in holds_made if not h.released])
        )
        release_many(holds_made)

    def recording_release(hold, made_under_it):
        if not hold.released:
            made.locks.append(("release", hold.key, made_under_it))
        release(hold, made_under_it)

    monkeypatch.setattr(maker_lock, "acquire", recording_acquire)
    monkeypatch.setattr(maker_lock, "try_acquire_many", recording_try_acquire_many)
    monkeypatch.setattr(maker_lock, "release_many", recording_release_many)
    monkeypatch.setattr(maker_lock.Hold, "release", recording_release)
    signals.thumbnail_created.connect(made.on_created, dispatch_uid=id(made))
    signals.thumbnail_missed.connect(made.on_missed, dispatch_uid=id(made))
    yield made
    signals.thumbnail_created.disconnect(dispatch_uid=id(made))
    signals.thumbnail_missed.disconnect(dispatch_uid=id(made))


@pytest.fixture(params=["stock", "fix"])
def mode(request, settings):
    settings.THUMBNAIL_FIX = request.param == "fix"
    return request.param


def load_photo(directory, bucket) -> Photo:
    """One photo loaded (its Source row written), the bucket's counts at zero."""
    directory.mkdir()
    (directory / "landscape.jpg").write_bytes(small_photo_bytes(1))
    call_command("load_photos", str(directory), verbosity=0)
    bucket.reset_request_counts()
    return Photo.objects.get()


@pytest.fixture
def photo(db, bucket, tmp_path, mode):
    return load_photo(tmp_path / "photos", bucket)


@pytest.fixture
def committed_photo(transactional_db, bucket, tmp_path, settings):
    """The photo committed, for another thread to see; the fix on."""
    settings.THUMBNAIL_FIX = True
    return load_photo(tmp_path / "photos", bucket)


def fresh(photo):
    """The photo's field file, as a new process finds it: nothing read yet,
    nothing in the row cache."""
    page_cache.rows_cache().clear()
    return Photo.objects.get(pk=photo.pk).photo


def options(field_file, alias: str) -> dict:
    return {**aliases.get(alias, target=field_file.alias_target), "ALIAS": alias}


def thumbnail_name(field_file, alias: str) -> str:
    return field_file.get_thumbnail_name(options(field_file, alias))


def lock_key(field_file) -> str:
    """The fix's files lock the photo."""
    source_hash = storage_hash(field_file.source_storage)
    thumbnail_hash = storage_hash(field_file.thumbnail_storage)
    return f"photo:{source_hash}:{thumbnail_hash}:{field_file.name}"


def requests_made(bucket) -> dict:
    counts = {op: count for op, count in bucket.request_counts().items() if count}
    bucket.reset_request_counts()
    return counts


def on(vendors: dict) -> int:
    return vendors[connection.vendor]


# Stock, a thumbnail looked for: its Source row, then a Thumbnail row per name
# it may have (JPEG, then PNG), the first found ending the look.
STOCK_LOOK_MISSED = 3
# Stock, a thumbnail recorded: Thumbnail's get_or_create, its INSERT between
# a SAVEPOINT and its RELEASE.
STOCK_RECORD = 4
# The fix, a photo's rows: its Source row and its Thumbnail rows.
FIX_LOOK = 2
# The fix, new rows recorded: one INSERT of the rows, one of their sizes.
FIX_RECORD = 2
# The fix, on PostgreSQL: the lock taken, the Thumbnail rows read again and
# the lock released.
FIX_LOCK = {"sqlite": 0, POSTGRESQL: 1 + 1 + 1}
# Stock GETs the original for each thumbnail it makes, after two HEADs for a
# field file's first (one for each after it); the fix GETs it once. Stock
# DELETEs the name before each PUT; the fix does not.
MADE_ONE = {
    "stock": {"HEAD": 2, "GET": 1, "DELETE": 1, "PUT": 1},
    "fix": {"GET": 1, "PUT": 1},
}


def test_a_missing_thumbnail_is_made_and_recorded_under_the_fix_s_lock(
    photo, bucket, made, mode, django_assert_num_queries
):
    field_file = fresh(photo)
    queries = {
        "stock": STOCK_LOOK_MISSED + STOCK_RECORD,
        # The rows, then the INSERTs of the new row and its size.
        "fix": FIX_LOOK + on(FIX_LOCK) + FIX_RECORD,
    }[mode]

    with django_assert_num_queries(queries):
        thumbnail = field_file[FIRST]

    key = lock_key(field_file)
    assert thumbnail.name == thumbnail_name(field_file, FIRST)
    assert (
        made.locks
        == {
            "stock": [],
            "fix": [("acquire", key), ("release", key, True)],
        }[mode]
    )
    assert made.created == [thumbnail.name]
    assert requests_made(bucket) == MADE_ONE[mode]
    assert list(Thumbnail.objects.values_list("name", flat=True)) == [thumbnail.name]


def test_an_existing_thumbnail_is_found_without_a_lock(
    photo, bucket, made, mode, django_assert_num_queries
):
    thumbnail = fresh(photo)[FIRST]
    field_file = fresh(photo)
    made.locks.clear()
    made.created.clear()
    requests_made(bucket)

    # Stock: the Source row and the first name's row; the fix: the photo's rows.
    with django_assert_num_queries({"stock": 2, "fix": FIX_LOOK}[mode]):
        again = field_file[FIRST]

    assert again.name == thumbnail.name
    assert (made.locks, made.created, requests_made(bucket)) == ([], [], {})


def test_without_generating_a_missing_thumbnail_is_missed(
    photo, bucket, made, mode, django_assert_num_queries
):
    field_file = fresh(photo)

    with django_assert_num_queries({"stock": STOCK_LOOK_MISSED, "fix": FIX_LOOK}[mode]):
        thumbnail = field_file.get_thumbnail(options(field_file, FIRST), generate=False)

    assert thumbnail is None
    assert made.missed == [thumbnail_name(field_file, FIRST)]
    assert (made.locks, made.created, requests_made(bucket)) == ([], [], {})
    assert Thumbnail.objects.count() == 0


def test_a_thumbnail_made_without_saving_is_not_stored(
    photo, bucket, made, mode, django_assert_num_queries
):
    """The fix's files take no lock for a thumbnail they do not store."""
    field_file = fresh(photo)
    queries = {"stock": STOCK_LOOK_MISSED, "fix": FIX_LOOK}[mode]

    with django_assert_num_queries(queries):
        thumbnail = field_file.get_thumbnail(options(field_file, FIRST), save=False)

    assert thumbnail.name == thumbnail_name(field_file, FIRST)
    assert made.locks == []
    assert made.created == []
    assert (
        requests_made(bucket)
        == {
            "stock": {"HEAD": 2, "GET": 1},
            "fix": {"GET": 1},
        }[mode]
    )
    assert Thumbnail.objects.count() == 0


# This maker's look, the other maker's whole making, then this one's look
# again under the lock. Without a Source row a look stops at it, the other
# maker writes one (a SELECT and an INSERT), and this one reads it again.
# The other maker finds this one's rows in the row cache, and writes the new
# row and its size. On PostgreSQL each lock costs its queries.
MEANWHILE_QUERIES = {
    True: {
        "sqlite": 2 + (0 + 2) + 1,
        POSTGRESQL: 2 + (0 + 3 + 2) + (1 + 1 + 1),
    },
    False: {
        "sqlite": 1 + (0 + 4) + 2,
        POSTGRESQL: 1 + (0 + 3 + 4) + (1 + 2 + 1),
    },
}


@pytest.mark.parametrize("mode", ["fix"], indirect=True)
@pytest.mark.parametrize("source_row", [True, False], ids=["source", "no source"])
def test_a_thumbnail_made_meanwhile_is_found_under_the_lock_not_made_again(
    photo, bucket, made, mode, source_row, django_assert_num_queries
):
    """Another maker makes it between this one's look and its lock; this one
    reads the rows again (a missing Source row too) and finds it."""
    if not source_row:
        Source.objects.all().delete()
    field_file = fresh(photo)
    other = fresh(photo)
    acquire = maker_lock.acquire
    holds = []

    def acquire_after_the_other(key, rows_read_ns=None):
        if not holds:
            holds.append(None)
            other[FIRST]  # the other maker, from its look to its release
        holds.append(acquire(key, rows_read_ns))
        return holds[-1]

    maker_lock.acquire = acquire_after_the_other
    try:
        with django_assert_num_queries(on(MEANWHILE_QUERIES[source_row])):
            thumbnail = field_file[FIRST]
    finally:
        maker_lock.acquire = acquire

    key = lock_key(field_file)
    assert holds[-1].made_since_read
    assert thumbnail.name == thumbnail_name(field_file, FIRST)
    assert made.locks == [
        ("acquire", key),
        ("release", key, True),
        ("acquire", key),
        ("release", key, False),
    ]
    assert made.created == [thumbnail.name]
    assert requests_made(bucket) == MADE_ONE[mode]
    assert Thumbnail.objects.count() == 1


@pytest.mark.parametrize("mode", ["stock"], indirect=True)
def test_stock_makes_again_a_thumbnail_made_meanwhile(photo, bucket, made, monkeypatch):
    """Stock, another maker makes it between this one's look and its making:
    this one makes and stores it again, over the other's object, and finds
    the other's row."""
    field_file = fresh(photo)
    other = fresh(photo)
    generate = type(field_file).generate_thumbnail

    def generate_after_the_other(self, *args, **kwargs):
        if self is field_file and not made.created:
            other[FIRST]  # the other maker, from its look to its row
        return generate(self, *args, **kwargs)

    monkeypatch.setattr(
        type(field_file), "generate_thumbnail", generate_after_the_other
    )
    thumbnail = field_file[FIRST]

    assert made.created == [thumbnail.name] * 2
    assert made.locks == []
    twice = {op: 2 * count for op, count in MADE_ONE["stock"].items()}
    assert requests_made(bucket) == twice
    assert Thumbnail.objects.count() == 1


def test_a_batch_records_a_photos_thumbnails_together_when_it_ends(
    photo, bucket, made, mode, django_assert_num_queries
):
    """The fix's lock is held, and its rows wait, until the photo is done;
    stock's files record each thumbnail in turn, without a lock."""
    field_file = fresh(photo)
    key = lock_key(field_file)
    queries = {
        "stock": 1 + 2 * (STOCK_LOOK_MISSED - 1 + STOCK_RECORD),
        # The rows, then one INSERT of both and one of their sizes.
        "fix": FIX_LOOK + on(FIX_LOCK) + FIX_RECORD,
    }[mode]
    queries += 1  # the rows counted in the batch

    with django_assert_num_queries(queries), thumbnail_batch():
        first = field_file[FIRST]
        second = field_file[SECOND]
        during = (list(made.locks), list(made.created), Thumbnail.objects.count())

    names = [first.name, second.name]
    assert (
        during
        == {
            "stock": ([], names, 2),
            "fix": ([("acquire", key)], [], 0),
        }[mode]
    )
    assert (
        made.locks
        == {
            "stock": [],
            "fix": [("acquire", key), ("release", key, True)],
        }[mode]
    )
    assert made.created == names
    assert (
        requests_made(bucket)
        == {
            "stock": {"HEAD": 3, "GET": 2, "DELETE": 2, "PUT": 2},
            "fix": {"GET": 1, "PUT": 2},
        }[mode]
    )
    assert Thumbnail.objects.count() == 2


def render() -> list[str]:
    with thumbnail_page(Photo.objects.all(), "photo") as objects:
        return [obj.photo[alias].name for obj in objects for alias in (FIRST, SECOND)]


def test_a_page_locks_its_photos_at_its_start_and_records_them_at_its_end(
    photo, bucket, made, mode, django_assert_num_queries
):
    """Stock's page is stock's, without a lock; the fix's takes the photos'
    locks together and releases them with their rows."""
    field_file = fresh(photo)
    key = lock_key(field_file)
    queries = {
        "stock": 1 + 1 + 2 * (STOCK_LOOK_MISSED - 1 + STOCK_RECORD),
        # The photos and their rows' version, their Source and Thumbnail rows,
        # one INSERT; on PostgreSQL the locks taken together, the rows read
        # again and the locks released together.
        "fix": 1 + FIX_LOOK + FIX_RECORD + on(FIX_LOCK),
    }[mode]

    with django_assert_num_queries(queries):
        names = render()

    assert names == [
        thumbnail_name(field_file, FIRST),
        thumbnail_name(field_file, SECOND),
    ]
    assert (
        made.locks
        == {
            "stock": [],
            "fix": [
                ("try", [key], [key]),
                ("release many", [(key, True)]),
            ],
        }[mode]
    )
    assert made.created == names
    assert (
        requests_made(bucket)
        == {
            "stock": {"HEAD": 3, "GET": 2, "DELETE": 2, "PUT": 2},
            "fix": {"GET": 1, "PUT": 2},
        }[mode]
    )
    assert Thumbnail.objects.count() == 2


def test_a_page_waits_for_a_photo_another_maker_holds_and_finds_its_thumbnails(
    committed_photo, bucket, made
):
    """The fix: a photo locked when the page starts is left to its field
    file, which tries the lock again, then writes the page's rows so far,
    waits for the lock, and reads the photo's rows again."""
    photo = committed_photo
    acquire = maker_lock.acquire
    holding, go = threading.Event(), threading.Event()
    holds = {}

    def acquire_in_turn(key, rows_read_ns=None):
        if threading.current_thread() is other:
            holds["other"] = acquire(key, rows_read_ns)
            holding.set()
            go.wait(30)
            return holds["other"]
        go.set()
        holds["page"] = acquire(key, rows_read_ns)
        return holds["page"]

    def make_all_aliases():
        try:
            with thumbnail_batch():
                generate_all_aliases(fresh(photo), include_global=True)
        finally:
            connections.close_all()

    other = threading.Thread(target=make_all_aliases)
    maker_lock.acquire = acquire_in_turn
    try:
        other.start()
        assert holding.wait(30)
        with CaptureQueriesContext(connection) as captured:
            names = render()
        other.join(60)
    finally:
        go.set()
        maker_lock.acquire = acquire

    field_file = fresh(photo)
    key = lock_key(field_file)
    assert holds["page"].made_since_read
    # The photos (their rows from the cache, where the other maker's look
    # left them), then the photo's Thumbnail rows again; on
    # PostgreSQL the page's tries at the lock (at its start, then when it
    # reaches the photo), its wait (if it was still held), and its release.
    waits = {"sqlite": 0, POSTGRESQL: 2 + 1 + holds["page"].waited + 1}
    assert len(captured) == 1 + 1 + waits[connection.vendor]
    assert names == [
        thumbnail_name(field_file, FIRST),
        thumbnail_name(field_file, SECOND),
    ]
    assert made.locks == [
        ("acquire", key),
        ("try", [key], []),
        ("try", [key], []),
        ("release many", []),
        ("release", key, True),
        ("acquire", key),
        ("release", key, False),
        ("release many", []),
    ]
    assert sorted(made.created) == sorted(
        thumbnail_name(field_file, alias) for alias in aliases.all(field_file)
    )
    assert requests_made(bucket) == {"GET": 1, "PUT": ALIASES_COUNT}
    assert Thumbnail.objects.count() == ALIASES_COUNT
