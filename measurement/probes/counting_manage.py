"""Run a manage.py command with SQL queries and S3 requests counted in-process.

    python -m measurement.probes.counting_manage COUNTS_FILE COMMAND [ARGS...]

does what `python manage.py COMMAND [ARGS...]` does (or, when COMMAND is
`gunicorn`, what `gunicorn ARGS...` does, the counting set up before the
workers are forked, so each worker counts its own requests), and appends one
JSON line to COUNTS_FILE at each moment worth knowing:

- "start", "end" and one "line" per line the command prints (the per-photo
  progress), each with the command's running totals at that moment;
- one "request" per request a server answers, with that request's own counts.

Queries are counted in all (queries_count) and by kind (queries_by_kind:
SELECT, INSERT, ..., BEGIN, SAVEPOINT, ..., as counting.queries names them).

Times are taken here, in the measured process, so a line's time is when it
was printed, not when a reader got it through a pipe.
"""

import json
import os
import sys
import threading
import time


class CountsLog:
    def __init__(self, path: str):
        self.file = open(path, "a", buffering=1)  # noqa: SIM115 - open for the run
        self._lock = threading.Lock()

    def record(self, event: str, **fields) -> None:
        entry = {"event": event, "time_unix_seconds": time.time(), **fields}
        with self._lock:
            self.file.write(json.dumps(entry) + "\n")


class LineRecorder:
    """Stands in for sys.stdout: passes text through and logs each whole line."""

    def __init__(self, stream, on_line):
        self.stream = stream
        self.on_line = on_line
        self.pending = ""

    def write(self, text: str) -> int:
        self.stream.write(text)
        self.stream.flush()
        self.pending += text
        *lines, self.pending = self.pending.split("\n")
        for line in lines:
            self.on_line(line)
        return len(text)

    def __getattr__(self, name):
        return getattr(self.stream, name)


# What Django logs of its own transaction control, by these names. No cursor
# runs them, so no execute wrapper sees them. SQLite's BEGIN does run through
# a cursor (as "BEGIN IMMEDIATE", the settings' transaction mode) and is a
# query like any other; PostgreSQL's is Django turning autocommit off.
TRANSACTION_CONTROL = {"BEGIN", "COMMIT", "ROLLBACK"}
START_IDLE_SECONDS = 0.25
# In every statement of easy_thumbnails_fix.maker_lock's PostgreSQL lock.
ADVISORY_LOCK_CALL = "advisory_"


def debug_log_counts() -> dict[str, int | None]:
    """Counts from Django's own query log of this thread, kept only with DEBUG on.

    debug_queries_count is a second count by another mechanism, to check the
    execute wrapper by: the log less Django's own transaction control.
    debug_transactions_count is the transactions begun, whichever way: on
    PostgreSQL, what a run on SQLite counts as queries beyond these.
    debug_lock_queries_count is the statements of the thumbnail maker's
    advisory lock, which PostgreSQL runs and SQLite (a file lock) does not.
    """
    from django.conf import settings
    from django.db import connection

    if not settings.DEBUG:
        return dict.fromkeys(
            [
                "debug_queries_count",
                "debug_transactions_count",
                "debug_lock_queries_count",
            ]
        )
    statements = [query["sql"] for query in connection.queries]
    return {
        "debug_queries_count": sum(
            1 for sql in statements if sql not in TRANSACTION_CONTROL
        ),
        "debug_transactions_count": sum(
            1 for sql in statements if sql.split(" ", 1)[0] == "BEGIN"
        ),
        "debug_lock_queries_count": sum(
            1 for sql in statements if ADVISORY_LOCK_CALL in sql
        ),
    }


def count_each_request(log: CountsLog, s3_requests) -> None:
    """Count each request's queries on its own thread, as runserver serves it."""
    from django.core.signals import request_finished, request_started

    from counting.queries import QueryCounter

    current = threading.local()

    def started(sender, environ=None, **kwargs):
        current.path = (environ or {}).get("PATH_INFO", "")
        current.started = time.time()
        current.s3_before = s3_requests.snapshot()
        current.s3_bytes_before = s3_requests.body_bytes.snapshot()
        current.queries = QueryCounter().__enter__()

    def finished(sender, **kwargs):
        queries = getattr(current, "queries", None)
        if queries is None:
            return
        queries.__exit__(None, None, None)
        current.queries = None
        log.record(
            "request",
            path=current.path,
            pid=os.getpid(),
            started_unix_seconds=current.started,
            queries_count=queries.count,
            queries_by_kind=queries.snapshot(),
            **debug_log_counts(),
            s3_requests=s3_requests.since(current.s3_before),
            s3_bytes=s3_requests.body_bytes.since(current.s3_bytes_before),
        )

    request_started.connect(started, weak=False)
    request_finished.connect(finished, weak=False)


def run_gunicorn(args: list[str]) -> None:
    """gunicorn in this process: its workers are forked from it, with the
    request counting already connected."""
    from gunicorn.app.wsgiapp import run

    sys.argv = ["gunicorn", *args]
    run()


def main(argv: list[str]) -> None:
    if len(argv) < 2:
        sys.exit(
            "usage: python -m measurement.probes.counting_manage COUNTS_FILE COMMAND [ARGS...]"
        )
    counts_path, command = argv[0], argv[1:]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "et_issue_example.settings")
    # The project root on sys.path, as running manage.py would have it.
    sys.path.insert(0, os.getcwd())

    from counting.s3_requests import S3RequestCounter

    log = CountsLog(counts_path)
    s3_requests = S3RequestCounter()
    s3_requests.install_on_every_client()

    import django

    django.setup()

    from django.core.management import execute_from_command_line

    from counting.queries import QueryCounter

    count_each_request(log, s3_requests)
    main_pid = os.getpid()
    with QueryCounter() as queries:

        def totals(event, **fields):
            log.record(
                event,
                queries_count=queries.count,
                queries_by_kind=queries.snapshot(),
                s3_requests=s3_requests.snapshot(),
                s3_bytes=s3_requests.body_bytes.snapshot(),
                **fields,
            )

        sys.stdout = LineRecorder(sys.stdout, lambda line: totals("line", text=line))
        # The process idles a moment before it starts, so that the watcher's
        # last sample before "start" is of the process as it starts, not of
        # an import half done (samples are 50 ms apart, or later on a busy
        # machine).
        time.sleep(START_IDLE_SECONDS)
        totals("start")
        try:
            if command[0] == "gunicorn":
                run_gunicorn(command[1:])
            else:
                execute_from_command_line(["manage.py", *command])
        finally:
            # gunicorn's workers leave through here too: only the first
            # process ends the log.
            if os.getpid() == main_pid:
                totals("end", **debug_log_counts())
            log.file.close()


if __name__ == "__main__":
    main(sys.argv[1:])
