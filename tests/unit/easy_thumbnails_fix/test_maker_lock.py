"""The maker lock: one holder per key across threads and processes, and a
note of whether another maker recorded thumbnails since one's rows were read."""

import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import dj_database_url
import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from easy_thumbnails_fix import maker_lock
from easy_thumbnails_fix.maker_lock import (
    AdvisoryLocks,
    FileLocks,
    ProcessLocks,
    advisory_key,
    backend_for,
)

from local_services import PostgresServer, ServiceError
from local_services.ports import free_port
from tests.conftest import REPO_ROOT

HOLDER = """
import sys
from easy_thumbnails_fix.maker_lock import FileLocks
hold = FileLocks(sys.argv[1]).acquire("photo:a", None)
print("held", flush=True)
sys.stdin.readline()
hold.release(made=True)
"""


def acquire_in_thread(backend, key, rows_read_ns=None):
    """Start acquiring in a thread; return (thread, list that gets the Hold)."""
    got = []
    thread = threading.Thread(
        target=lambda: got.append(backend.acquire(key, rows_read_ns))
    )
    thread.start()
    return thread, got


def test_a_file_lock_held_by_another_process_is_waited_for(tmp_path):
    """The second maker waits for the first process and is told to read its
    rows again."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path)],
        cwd=REPO_ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline() == "held\n"
        thread, got = acquire_in_thread(FileLocks(tmp_path), "photo:a", time.time_ns())
        thread.join(0.5)
        assert got == []  # still waiting
        holder.stdin.write("done\n")
        holder.stdin.flush()
        thread.join(10)
    finally:
        holder.stdin.close()
        holder.stdout.close()
        holder.wait(10)

    assert (got[0].waited, got[0].made_since_read) == (True, True)
    got[0].release(made=False)


def test_a_file_lock_notes_thumbnails_recorded_after_ones_rows_were_read(tmp_path):
    """No wait, yet rows read before another maker's release are stale; rows
    read after it are not."""
    locks = FileLocks(tmp_path)
    read_before = time.time_ns()
    locks.acquire("photo:a", None).release(made=True)
    read_after = time.time_ns()

    stale = locks.acquire("photo:a", read_before)
    stale.release(made=False)
    fresh = locks.acquire("photo:a", read_after)
    fresh.release(made=False)

    assert (stale.waited, stale.made_since_read) == (False, True)
    assert (fresh.waited, fresh.made_since_read) == (False, False)


def test_threads_of_one_process_exclude_each_other_on_a_file_lock(tmp_path):
    locks = FileLocks(tmp_path)
    first = locks.acquire("photo:a", None)
    thread, got = acquire_in_thread(locks, "photo:a", time.time_ns())
    thread.join(0.3)
    assert got == []
    first.release(made=True)
    thread.join(10)

    assert got[0].waited
    got[0].release(made=False)
    assert len(list(tmp_path.iterdir())) == 1


def test_process_locks_wait_and_note_recorded_thumbnails():
    locks = ProcessLocks()
    read_before = time.time_ns()
    first = locks.acquire("photo:a", None)
    thread, got = acquire_in_thread(locks, "photo:a", read_before)
    thread.join(0.3)
    assert got == []
    first.release(made=True)
    thread.join(10)
    got[0].release(made=False)
    later = locks.acquire("photo:a", read_before)
    later.release(made=False)
    other = locks.acquire("photo:b", read_before)
    other.release(made=False)

    assert got[0].waited
    assert (later.waited, later.made_since_read) == (False, True)
    assert (other.waited, other.made_since_read) == (False, False)


def keys_sharing_a_file(locks: FileLocks, count: int) -> list[str]:
    by_path = {}
    number = 0
    while True:
        key = f"photo:{number}"
        by_path.setdefault(locks.path(key), []).append(key)
        if len(by_path[locks.path(key)]) == count:
            return by_path[locks.path(key)]
        number += 1


def test_a_page_takes_the_free_file_locks_at_once_sharing_a_file_between_keys(
    tmp_path,
):
    """Keys whose hash starts alike share one lock file: the page holds it
    once for both, and it is free again only when both are released; a key
    another maker holds is left out, not waited for."""
    locks = FileLocks(tmp_path)
    first, second = keys_sharing_a_file(locks, 2)
    other = next(
        f"photo:other-{n}"
        for n in range(10_000)
        if locks.path(f"photo:other-{n}") != locks.path(first)
    )
    held_elsewhere = locks.acquire(other, None)

    holds = locks.try_acquire_many([first, second, other], time.time_ns())

    assert sorted(holds) == sorted([first, second])
    assert [hold.made_since_read for hold in holds.values()] == [False, False]
    locks.release_many([(holds[first], True)])
    assert locks.try_acquire_many([first], None) == {}  # second still holds the file
    locks.release_many([(holds[second], False)])
    again = locks.try_acquire_many([first], None)
    assert sorted(again) == [first]
    locks.release_many([(again[first], False)])
    held_elsewhere.release(made=False)


def test_a_page_takes_the_free_process_locks_at_once():
    locks = ProcessLocks()
    busy = locks.acquire("photo:b", None)

    holds = locks.try_acquire_many(["photo:a", "photo:b", "photo:c"], time.time_ns())

    assert sorted(holds) == ["photo:a", "photo:c"]
    locks.release_many([(hold, True) for hold in holds.values()])
    busy.release(made=False)
    assert locks._entries == {}


def test_advisory_keys_are_stable_signed_64_bit_numbers():
    key = advisory_key("photo:abc:def:photos/view-1.jpg")
    assert key == advisory_key("photo:abc:def:photos/view-1.jpg")
    assert -(2**63) <= key < 2**63
    assert key != advisory_key("photo:abc:def:photos/view-2.jpg")


def test_the_lock_follows_the_database(tmp_path, settings):
    """A file lock beside an SQLite file, an advisory lock on PostgreSQL, and
    a lock in this process for a database no other process can open."""
    databases = {
        "file": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": tmp_path / "db.sqlite3",
        },
        "memory": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
        "pg": {"ENGINE": "django.db.backends.postgresql", "NAME": "photos"},
    }
    with extra_databases(databases):
        file_locks = backend_for("file")
        memory_locks = backend_for("memory")
        pg_locks = backend_for("pg")

    assert isinstance(file_locks, FileLocks)
    assert file_locks.directory == tmp_path / "db.sqlite3.thumbnail-locks"
    assert isinstance(memory_locks, ProcessLocks)
    assert isinstance(pg_locks, AdvisoryLocks)


class extra_databases:
    """Database aliases added to Django's connections for a block."""

    def __init__(self, databases: dict):
        self.databases = databases

    def __enter__(self):
        for alias, settings_dict in self.databases.items():
            connections.settings[alias] = connections.configure_settings(
                {"default": connections.settings["default"], alias: settings_dict}
            )[alias]

    def __exit__(self, *exc_info):
        for alias in self.databases:
            if hasattr(connections._connections, alias):
                getattr(connections._connections, alias).close()
                delattr(connections._connections, alias)
            del connections.settings[alias]
            maker_lock._backends.clear()


@pytest.fixture
def postgres():
    """A PostgreSQL server of the test's own (local_services): its own data
    folder and port, stopped at the end."""
    server = PostgresServer(
        Path(tempfile.mkdtemp(prefix="et-test-pg-")), free_port(), durable=False
    )
    try:
        server.start()
    except ServiceError as error:
        shutil.rmtree(server.data_dir, ignore_errors=True)
        pytest.skip(str(error))
    try:
        yield dj_database_url.parse(server.database_url("postgres"))
    finally:
        server.discard()


def test_advisory_locks_on_a_real_postgresql(postgres, django_db_blocker):
    """Each thread's connection is a session of its own: the second waits
    for the first, and any holder reads its rows again (PostgreSQL keeps no
    note of when the lock was released)."""
    with extra_databases({"pg": postgres}), django_db_blocker.unblock():
        locks = AdvisoryLocks("pg")
        holds = []

        def hold_then_release(event):
            holds.append(locks.acquire("photo:a", time.time_ns()))
            event.wait(10)
            holds[0].release(made=True)
            connections["pg"].close()

        released = threading.Event()
        first = threading.Thread(target=hold_then_release, args=(released,))
        first.start()
        while not holds:
            time.sleep(0.01)

        def wait_for_it():
            holds.append(locks.acquire("photo:a", time.time_ns()))
            with connections["pg"].cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                )
                holds.append(cursor.fetchone()[0])
            holds[1].release(made=False)
            connections["pg"].close()

        second = threading.Thread(target=wait_for_it)
        second.start()
        second.join(0.5)
        assert len(holds) == 1  # the second waits
        released.set()
        first.join(10)
        second.join(10)

    assert (holds[0].waited, holds[0].made_since_read) == (False, True)
    assert (holds[1].waited, holds[1].made_since_read) == (True, True)
    assert holds[2] == 1  # only the second's lock is held by then


def test_a_page_takes_and_releases_advisory_locks_in_one_query_each(
    postgres, django_db_blocker
):
    """All the free locks in one query, a lock another session holds left
    out; all released in one query."""
    with extra_databases({"pg": postgres}), django_db_blocker.unblock():
        locks = AdvisoryLocks("pg")
        taken = threading.Event()
        done = threading.Event()

        def hold_elsewhere():
            hold = locks.acquire("photo:b", None)
            taken.set()
            done.wait(10)
            hold.release(made=False)
            connections["pg"].close()

        other = threading.Thread(target=hold_elsewhere)
        other.start()
        taken.wait(10)
        connection = connections["pg"]
        with CaptureQueriesContext(connection) as taking:
            holds = locks.try_acquire_many(
                ["photo:a", "photo:b", "photo:c"], time.time_ns()
            )
        with CaptureQueriesContext(connection) as releasing:
            locks.release_many([(hold, True) for hold in holds.values()])
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")
            advisory_locks_left = cursor.fetchone()[0]
        done.set()
        other.join(10)
        connection.close()

    assert sorted(holds) == ["photo:a", "photo:c"]
    assert [hold.made_since_read for hold in holds.values()] == [True, True]
    assert (len(taking), len(releasing)) == (1, 1)
    assert advisory_locks_left == 1  # the other session's
