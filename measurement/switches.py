"""The reproduction's switches and their defaults: one definition, recorded in every report.

Kept apart from the runner so that the command line, and with it the memory
watcher, starts without importing what the runner needs (boto3, matplotlib):
a watched command's ru_maxrss includes the watcher's image from before exec.
"""

import dataclasses
from dataclasses import dataclass

DEFAULT_PHOTO_DIR = "test_photos"
SCENARIOS = ("2013", "queue", "load")


@dataclass(frozen=True)
class Switches:
    """What a reproduction was run with; every switch becomes a variable of
    the measured processes' environment (harness.session.environment)."""

    photos: int = 20
    photo_dir: str = DEFAULT_PHOTO_DIR
    debug: bool = True
    debug_toolbar: bool = False
    storage: str = "s3"
    # The network profile the run's S3 server answers as
    # (local_services/s3/network.py): "loopback" shapes nothing.
    network: str = "loopback"
    database: str = "sqlite"
    # THUMBNAIL_FIX: False (stock), True, or the names of some of the fix's parts.
    fix: bool | tuple[str, ...] = False
    # What serves the index page: Django's runserver, or gunicorn with that
    # many worker processes.
    server: str = "runserver"
    workers: int = 4
    # PEER: None (easy-thumbnails), or the peer library measured instead.
    peer: str | None = None
    # What runs after load_photos: "2013" (the index page, then
    # generate_all_thumbnail_aliases), "queue" (the photos made by each count
    # of Celery workers in queue_workers) or "load" (clients on the warm
    # page, then the same while the largest count of workers makes a second
    # batch).
    scenario: str = "2013"
    queue_workers: tuple[int, ...] = (1, 2)
    clients: int = 16
    seconds: int = 60

    def __post_init__(self):
        # Lists from JSON or the command line, kept as tuples: a frozen
        # dataclass holds nothing that changes.
        if isinstance(self.fix, list):
            object.__setattr__(self, "fix", tuple(self.fix))
        object.__setattr__(self, "queue_workers", tuple(self.queue_workers))

    def replace(self, **changes) -> "Switches":
        return dataclasses.replace(self, **changes)

    @property
    def thumbnail_fix_variable(self) -> str:
        """THUMBNAIL_FIX as the settings read it from the environment."""
        if isinstance(self.fix, bool):
            return "1" if self.fix else "0"
        return ",".join(self.fix)

    def as_report(self) -> dict:
        """The switches as report.json records them: a scenario's own
        options only where the scenario has them, the peer only when one is
        measured."""
        switches = dataclasses.asdict(self)
        switches["fix"] = list(self.fix) if isinstance(self.fix, tuple) else self.fix
        switches["queue_workers"] = list(self.queue_workers)
        if self.peer is None:
            del switches["peer"]
        if self.scenario == "2013":
            del switches["queue_workers"]
        if self.scenario != "load":
            del switches["clients"], switches["seconds"]
        return switches
