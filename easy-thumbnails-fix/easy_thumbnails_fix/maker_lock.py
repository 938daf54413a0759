"""One maker per thumbnail: a lock shared by every thread and process that
makes thumbnails into the same database.

easy-thumbnails looks for a thumbnail's row and, finding none, makes the
thumbnail, stores it and writes the row. Two requests that look at the same
moment both make it. Here the making is done under a lock per key (a photo,
or one thumbnail), held until the rows are written; whoever took the lock
after another maker released it reads the rows again and finds them made.

The lock lives where the rows live, so its reach is the database's:

- SQLite (one machine by nature): ``flock()`` on a file in a folder beside
  the database. No query; the kernel drops the lock of a process that dies.
- PostgreSQL (any number of machines): a session-level advisory lock
  (``pg_try_advisory_lock``, ``pg_advisory_lock``, ``pg_advisory_unlock``),
  on the thread's own connection; closing the connection drops it.
- An in-memory SQLite database, or another database: a lock per key in this
  process (no other process can see such a database, or no shared lock is
  written for it yet).

A page takes the locks of all its photos that need making at once, without
waiting (``try_acquire_many``: one query on PostgreSQL), and releases them
together (``release_many``) once their rows are written in one INSERT. One
that must wait for a lock first releases all it holds, so two makers never
wait for each other.
"""

import fcntl
import hashlib
import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from django.db import connections, router

# Lock files are shared by keys whose hash starts alike, so the folder holds
# at most 16**3 files however many photos there are. Two keys sharing a file
# only wait for each other; the rows decide what is made.
FILE_NAME_HEX_DIGITS = 3
STAMP_BYTES = 20
# How long a process remembers when it last recorded thumbnails under a key:
# longer than any request, so every reader that began before has read again.
STAMP_KEPT_SECONDS = 600


class Hold:
    """A lock taken: release it once the thumbnails are stored and recorded."""

    def __init__(self, backend, key: str, waited: bool, made_since_read: bool):
        self.backend = backend
        self.key = key
        self.waited = waited
        # Whether another maker may have recorded thumbnails after the rows
        # this maker decided by were read: then they must be read again.
        self.made_since_read = made_since_read
        self.released = False

    def release(self, made: bool) -> None:
        """Release the lock; made: whether thumbnails were recorded under it."""
        if not self.released:
            self.released = True
            self.backend.release(self, made)


class _LockFile:
    """An open lock file and the holds that share it (keys whose hash
    starts alike, taken together by one maker)."""

    def __init__(self, fd: int, users: int = 0):
        self.fd = fd
        self.users = users


class FileLocks:
    """flock() on files in one folder: threads and processes of one machine.

    Each acquisition opens its own file description, so threads of one
    process exclude each other too. A maker that recorded thumbnails writes
    the time into the file before releasing it; the next holder compares it
    with when its rows were read.
    """

    def __init__(self, directory: Path):
        self.directory = Path(directory)

    def path(self, key: str) -> Path:
        digest = hashlib.sha256(key.encode()).hexdigest()
        return self.directory / f"{digest[:FILE_NAME_HEX_DIGITS]}.lock"

    def acquire(self, key: str, rows_read_ns: int | None) -> Hold:
        self.directory.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path(key), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                waited = False
            except BlockingIOError:
                fcntl.flock(fd, fcntl.LOCK_EX)
                waited = True
            stamp = os.pread(fd, STAMP_BYTES, 0)
        except BaseException:
            os.close(fd)
            raise
        hold = Hold(self, key, waited, _made_since(waited, _stamp(stamp), rows_read_ns))
        hold.file = _LockFile(fd, users=1)
        return hold

    def try_acquire_many(self, keys, rows_read_ns: int | None) -> dict[str, Hold]:
        """The locks of keys that are free, without waiting; keys sharing a
        file share its lock."""
        self.directory.mkdir(parents=True, exist_ok=True)
        holds = {}
        files = {}  # path -> _LockFile, or None if another holds it
        for key in dict.fromkeys(keys):
            path = self.path(key)
            if path not in files:
                files[path] = self._try_open(path)
            lock_file = files[path]
            if lock_file is None:
                continue
            lock_file.users += 1
            stamp = os.pread(lock_file.fd, STAMP_BYTES, 0)
            hold = Hold(
                self, key, False, _made_since(False, _stamp(stamp), rows_read_ns)
            )
            hold.file = lock_file
            holds[key] = hold
        return holds

    def _try_open(self, path: Path) -> "_LockFile | None":
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        except BaseException:
            os.close(fd)
            raise
        return _LockFile(fd)

    def release(self, hold: Hold, made: bool) -> None:
        lock_file = hold.file
        try:
            if made:
                os.pwrite(lock_file.fd, f"{time.time_ns():0{STAMP_BYTES}d}".encode(), 0)
        finally:
            lock_file.users -= 1
            if lock_file.users == 0:
                os.close(lock_file.fd)  # closing the description releases the flock

    def release_many(self, holds_made) -> None:
        _release_each(holds_made)


class AdvisoryLocks:
    """PostgreSQL advisory locks: every process on every machine that uses
    the database. PostgreSQL keeps no note of when a lock was last released,
    so a holder always reads its rows again."""

    def __init__(self, alias: str):
        self.alias = alias

    def acquire(self, key: str, rows_read_ns: int | None) -> Hold:
        number = advisory_key(key)
        with connections[self.alias].cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [number])
            waited = not cursor.fetchone()[0]
            if waited:
                cursor.execute("SELECT pg_advisory_lock(%s)", [number])
        return Hold(self, key, waited, made_since_read=True)

    def try_acquire_many(self, keys, rows_read_ns: int | None) -> dict[str, Hold]:
        """The locks of keys that are free, in one query, without waiting."""
        numbers = {advisory_key(key): key for key in keys}
        if not numbers:
            return {}
        with connections[self.alias].cursor() as cursor:
            cursor.execute(
                "SELECT number, pg_try_advisory_lock(number)"
                " FROM unnest(%s::bigint[]) AS number",
                [list(numbers)],
            )
            taken = [number for number, locked in cursor.fetchall() if locked]
        return {
            numbers[number]: Hold(self, numbers[number], False, made_since_read=True)
            for number in taken
        }

    def release(self, hold: Hold, made: bool) -> None:
        with connections[self.alias].cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [advisory_key(hold.key)])

    def release_many(self, holds_made) -> None:
        """Release holds in one query."""
        numbers = [advisory_key(hold.key) for hold, _ in holds_made]
        if not numbers:
            return
        with connections[self.alias].cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_unlock(number) FROM unnest(%s::bigint[]) AS number",
                [numbers],
            )


class ProcessLocks:
    """A lock per key in this process, kept only while someone holds or
    waits for it, so their number does not grow with the thumbnails."""

    def __init__(self):
        self._guard = threading.Lock()
        self._entries: dict[str, list] = {}  # key -> [lock, users]
        self._made_at_ns: dict[str, int] = {}

    def acquire(self, key: str, rows_read_ns: int | None) -> Hold:
        with self._guard:
            entry = self._entries.setdefault(key, [threading.Lock(), 0])
            entry[1] += 1
        waited = not entry[0].acquire(blocking=False)
        if waited:
            entry[0].acquire()
        made_at_ns = self._made_at_ns.get(key, 0)
        return Hold(self, key, waited, _made_since(waited, made_at_ns, rows_read_ns))

    def try_acquire_many(self, keys, rows_read_ns: int | None) -> dict[str, Hold]:
        holds = {}
        for key in dict.fromkeys(keys):
            with self._guard:
                entry = self._entries.setdefault(key, [threading.Lock(), 0])
                if not entry[0].acquire(blocking=False):
                    if entry[1] == 0:
                        del self._entries[key]
                    continue
                entry[1] += 1
                made_at_ns = self._made_at_ns.get(key, 0)
            holds[key] = Hold(
                self, key, False, _made_since(False, made_at_ns, rows_read_ns)
            )
        return holds

    def release_many(self, holds_made) -> None:
        _release_each(holds_made)

    def release(self, hold: Hold, made: bool) -> None:
        with self._guard:
            entry = self._entries[hold.key]
            if made:
                now = time.time_ns()
                self._made_at_ns[hold.key] = now
                if len(self._made_at_ns) > 1000:
                    oldest = now - STAMP_KEPT_SECONDS * 1_000_000_000
                    for key, made_at in list(self._made_at_ns.items()):
                        if made_at < oldest:
                            del self._made_at_ns[key]
            entry[1] -= 1
            if entry[1] == 0:
                del self._entries[hold.key]
            entry[0].release()


def _release_each(holds_made) -> None:
    errors = []
    for hold, made in holds_made:
        try:
            hold.backend.release(hold, made)
        except Exception as error:
            errors.append(error)
    if errors:
        raise errors[0]


def _stamp(stamp: bytes) -> int:
    return int(stamp) if stamp.strip().isdigit() else 0


def _made_since(waited: bool, made_at_ns: int, rows_read_ns: int | None) -> bool:
    if waited or rows_read_ns is None:
        return True
    return made_at_ns >= rows_read_ns


def advisory_key(key: str) -> int:
    """A PostgreSQL advisory lock number (a signed 64-bit integer) for key."""
    digest = hashlib.sha256(key.encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


_backends: dict[tuple, object] = {}
_backends_lock = threading.Lock()


def backend_for(alias: str):
    """The lock for the database alias, by its vendor and where it lives."""
    connection = connections[alias]
    name = connection.settings_dict["NAME"]
    vendor = connection.vendor
    identity = (alias, vendor, str(name))
    with _backends_lock:
        backend = _backends.get(identity)
        if backend is None:
            if vendor == "postgresql":
                backend = AdvisoryLocks(alias)
            elif vendor == "sqlite" and not connection.is_in_memory_db():
                backend = FileLocks(lock_directory(Path(name)))
            else:
                backend = ProcessLocks()
            _backends[identity] = backend
    return backend


def lock_directory(database_path: Path) -> Path:
    """Beside the SQLite file: every process that opens it finds the same folder."""
    return database_path.resolve().with_name(database_path.name + ".thumbnail-locks")


def rows_database() -> str:
    from easy_thumbnails.models import Thumbnail

    return router.db_for_write(Thumbnail)


def acquire(key: str, rows_read_ns: int | None = None) -> Hold:
    """Take the lock for key, waiting for its holder if there is one.

    rows_read_ns (time.time_ns()) is when the rows the caller decided by
    were read; ``made_since_read`` on the result says whether to read them
    again. Without it, they are to be read again.
    """
    return backend_for(rows_database()).acquire(key, rows_read_ns)


def try_acquire_many(keys, rows_read_ns: int | None = None) -> dict[str, Hold]:
    """The locks of those keys no one holds, taken without waiting, by key."""
    return backend_for(rows_database()).try_acquire_many(keys, rows_read_ns)


def release_many(holds_made) -> None:
    """Release (Hold, made) pairs together: one query on PostgreSQL."""
    holds_made = [(hold, made) for hold, made in holds_made if not hold.released]
    for hold, _ in holds_made:
        hold.released = True
    by_backend = {}
    for hold, made in holds_made:
        by_backend.setdefault(id(hold.backend), (hold.backend, []))[1].append(
            (hold, made)
        )
    for backend, pairs in by_backend.values():
        backend.release_many(pairs)


@contextmanager
def holding(key: str, rows_read_ns: int | None = None):
    """Hold key's lock for the block; yield the Hold. The block's thumbnails
    count as recorded when it ends without an error."""
    hold = acquire(key, rows_read_ns)
    made = False
    try:
        yield hold
        made = True
    finally:
        hold.release(made)
