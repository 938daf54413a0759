"""The progress lines the commands and tasks print, and the patterns that read them back.

The measuring code (measurement/) follows a run through these lines: which
photo is done and when, which file load_photos refused, how many photos were
queued, which process a worker made a photo in. Each line is written by the
function here and read by the pattern beside it, so rewording one rewords
the other; tests/integration/photos/test_progress.py has each command print
its lines and reads them back.
"""

import re
from dataclasses import dataclass

from .units import MB

# generate_all_thumbnail_aliases (and generate_peer_thumbnails), on stdout
# as each photo is done, or on stderr when it failed.
PHOTO_DONE = re.compile(
    r"^photo (?P<number>\d+)/(?P<total>\d+) \(#(?P<pk>\d+)\): "
    r"(?P<seconds>[\d.]+) s, RSS (?P<rss_mb>[\d.]+) MB, (?P<queries>\d+) queries$"
)
PHOTO_FAILED = re.compile(
    r"^photo (?P<number>\d+)/(?P<total>\d+) \(#(?P<pk>\d+)\) (?P<name>.*): "
    r"failed, (?P<reason>.*)$"
)
# load_photos, one per file: on stdout, or on stderr when it failed.
FILE_LOADED = re.compile(
    r"^\[(?P<number>\d+)/(?P<total>\d+)\] (?P<label>.*): "
    r"(?P<status>loaded|skipped|failed), (?P<detail>.*)$"
)
# generate_all_thumbnail_aliases --queue, once.
QUEUED = re.compile(r"^Queued (?P<count>\d+) photos? on (?P<broker>\S+): ")
# The task's log messages (photos/tasks.py), inside Celery's log prefix.
TASK_MAKING = re.compile(
    r"Photo #(?P<pk>\d+) \((?P<name>.*)\): making its thumbnails in process "
    r"(?P<pid>\d+)\.$"
)
TASK_FINISHED = re.compile(
    r"Photo #(?P<pk>\d+) \((?P<name>.*)\): (?P<outcome>done|failed, .*)\.$"
)


@dataclass(frozen=True)
class PhotoDone:
    number: int
    total: int
    pk: int


def photo_done_line(
    number: int, total: int, pk: int, seconds: float, rss_bytes: int, queries: int
) -> str:
    return (
        f"photo {number}/{total} (#{pk}): {seconds:.2f} s, "
        f"RSS {rss_bytes / MB:.1f} MB, {queries} queries"
    )


def read_photo_done(line: str) -> PhotoDone | None:
    """The photo a line of generate_all_thumbnail_aliases says is done, or None."""
    match = PHOTO_DONE.match(line)
    if match is None:
        return None
    return PhotoDone(int(match["number"]), int(match["total"]), int(match["pk"]))


def read_photo_figures(line: str) -> dict | None:
    """What a photo's line says it cost, measured inside the command: the
    photo's own seconds, the process's RSS once it was done, its queries."""
    match = PHOTO_DONE.match(line)
    if match is None:
        return None
    return {
        "seconds": float(match["seconds"]),
        "rss_bytes": round(float(match["rss_mb"]) * MB),
        "queries_count": int(match["queries"]),
    }


def photo_failed_line(number: int, total: int, pk: int, name: str, reason: str) -> str:
    return f"photo {number}/{total} (#{pk}) {name}: failed, {reason}"


def read_photo_failed(line: str) -> PhotoDone | None:
    """The photo a line says failed, or None."""
    match = PHOTO_FAILED.match(line)
    if match is None:
        return None
    return PhotoDone(int(match["number"]), int(match["total"]), int(match["pk"]))


def file_line(number: int, total: int, label: str, status: str, detail: str) -> str:
    return f"[{number}/{total}] {label}: {status}, {detail}"


def read_file_status(line: str) -> str | None:
    """ "loaded", "skipped" or "failed", as a line of load_photos says; or None."""
    match = FILE_LOADED.match(line)
    return None if match is None else match["status"]


def queued_line(count: int, broker: str) -> str:
    return (
        f"Queued {count} photos on {broker}: the workers make their thumbnails "
        "(celery -A et_issue_example worker)."
    )


def read_queued(text: str) -> int | None:
    """How many photos a line of generate_all_thumbnail_aliases --queue says it queued."""
    match = QUEUED.match(text)
    return None if match is None else int(match["count"])


def task_making_message(pk: int, name: str, pid: int) -> str:
    return f"Photo #{pk} ({name}): making its thumbnails in process {pid}."


def task_done_message(pk: int, name: str) -> str:
    return f"Photo #{pk} ({name}): done."


def task_failed_message(pk: int, name: str, reason: str) -> str:
    return f"Photo #{pk} ({name}): failed, {reason}."


@dataclass(frozen=True)
class TaskLine:
    pk: int
    # "making" (with the pool process's pid), "done" or "failed".
    event: str
    pid: int | None = None


def read_task_line(line: str) -> TaskLine | None:
    """What a line of a worker's log says the task did with a photo, or None."""
    if match := TASK_MAKING.search(line):
        return TaskLine(int(match["pk"]), "making", int(match["pid"]))
    if match := TASK_FINISHED.search(line):
        event = "done" if match["outcome"] == "done" else "failed"
        return TaskLine(int(match["pk"]), event)
    return None
