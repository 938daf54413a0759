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
from easy_thumbnails_fix import maker_lock
from easy_thumbnails_fix.maker_lock import (
    AdvisoryLocks,
    FileLocks,
    ProcessLocks,
    advisory_key,
    backend_for,
)

from local_postgres import control as local_postgres
from local_servers.ports import free_port
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
    """A PostgreSQL server of the test's own (local_postgres): its own data
    folder and port, stopped at the end."""
    data_dir = Path(tempfile.mkdtemp(prefix="et-test-pg-"))
    port = free_port()
    try:
        local_postgres.start(data_dir, port, durable=False)
    except local_postgres.LocalPostgresError as error:
        shutil.rmtree(data_dir, ignore_errors=True)
        pytest.skip(str(error))
    try:
        yield dj_database_url.parse(
            local_postgres.database_url(data_dir, port, "postgres")
        )
    finally:
        local_postgres.stop(data_dir)
        shutil.rmtree(data_dir, ignore_errors=True)


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
