"""A run's session: its own servers and database, its photos staged, the
database migrated, then load_photos measured: what every study starts with.

Each run gets a database of its own (SQLite in its report folder, or with
--database postgres a PostgreSQL server of its own) and a local S3 server of
its own (own port, own data folder, stopped at the end), so a run never
touches the site's own photos and two runs start equal.
"""

import contextlib
import dataclasses
import datetime
import os
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from local_services.s3.network import profile
from measurement import ROOT, metadata
from measurement.harness import interrupt, services
from measurement.harness.measured_command import report_figures, run_command
from measurement.harness.run import Run, ScenarioFailed
from measurement.switches import DEFAULT_PHOTO_DIR, Switches
from photos import progress
from photos.photo_files import photo_files

SAMPLE_INTERVAL_SECONDS = 0.05


def environment(
    switches: Switches, run_dir: Path, s3_endpoint: str | None, database_url: str
) -> dict:
    """The measured processes' environment: every switch becomes a variable here."""
    env = {
        **clean_environment(),
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "1" if switches.debug else "0",
        "DEBUG_TOOLBAR": "1" if switches.debug_toolbar else "0",
        "PHOTO_STORAGE": switches.storage,
        "THUMBNAIL_FIX": switches.thumbnail_fix_variable,
        "PEER": switches.peer or "",
        # Where --storage filesystem keeps photos and thumbnails: in the run.
        "MEDIA_ROOT": str(run_dir / "media"),
        "PYTHONUNBUFFERED": "1",
    }
    if not switches.debug:
        # With DEBUG off the site refuses a weak key; this one lives for the run.
        env["SECRET_KEY"] = secrets.token_urlsafe(50)
    if s3_endpoint:
        env.update(
            AWS_S3_ENDPOINT_URL=s3_endpoint,
            AWS_STORAGE_BUCKET_NAME=services.BUCKET,
            **services.S3_CREDENTIALS,
        )
    return env


def clean_environment() -> dict:
    """This environment less the variables that would point the run elsewhere."""
    drop = {
        "DJANGO_SETTINGS_MODULE",
        "DATABASE_URL",
        "AWS_PROFILE",
        "AWS_SESSION_TOKEN",
    }
    return {
        name: value
        for name, value in os.environ.items()
        if name not in drop and not name.startswith("AWS_")
    }


def prepare_photos(run: Run, switches: Switches, batch_count: int = 0) -> list[Path]:
    """The photos to load: the first N of the folder, made first if it is the
    default one. With batch_count, the next that many go in a second folder,
    photos-batch/, for a scenario that loads a second batch later."""
    directory = ROOT / switches.photo_dir
    count = switches.photos + batch_count
    default_dir = switches.photo_dir == DEFAULT_PHOTO_DIR
    if not directory.is_dir() and not default_dir:
        raise ScenarioFailed(f"{switches.photo_dir} is not a folder of photos.")
    found = photo_files(directory) if directory.is_dir() else []
    if len(found) < count and default_dir:
        run.say(
            f"Making {count} test photos in {DEFAULT_PHOTO_DIR}/ (once; they are kept) ..."
        )
        run.manage("make_test_photos", "--count", str(count), "--dir", str(directory))
        found = photo_files(directory)
    if not found:
        raise ScenarioFailed(
            f"{switches.photo_dir} has no .jpg, .jpeg, .png, .gif or .webp files."
        )
    chosen = found[: switches.photos]
    # load_photos takes a folder: link the chosen photos into one of the run's own.
    for folder, paths in [
        ("photos", chosen),
        ("photos-batch", found[len(chosen) : count]),
    ]:
        staged = run.directory / folder
        staged.mkdir()
        for path in paths:
            (staged / path.name).symlink_to(path.resolve())
    return chosen


@dataclass
class Session:
    """A run set up: its processes' Run, the photos it loads, its database."""

    run: Run
    switches: Switches
    photos: list[Path]
    database: services.Database
    started: float

    def load_photos(self, steps: int) -> dict:
        """load_photos of the staged photos, measured: step 1 of steps."""
        self.run.say(f"1/{steps} load: load_photos of {len(self.photos)} photos")
        return load(self.run, self.run.directory / "photos")

    def report(self, measured: dict) -> dict:
        """The report of the run: what it was measured with, and its scenarios."""
        return {
            "metadata": {
                "created_utc": datetime.datetime.fromtimestamp(
                    self.started, datetime.UTC
                ).isoformat(timespec="seconds"),
                "versions": metadata.versions(),
                "switches": self.switches.as_report(),
                "database": self.database.metadata(),
                "photos": metadata.photo_set(self.photos),
                "machine": metadata.machine(),
                "sample_interval_seconds": self.run.interval_seconds,
                "network": profile(self.switches.network).as_report(),
            },
            "seconds": round(time.time() - self.started, 1),
            "scenarios": measured,
        }


@contextlib.contextmanager
def session(
    switches: Switches, run_dir: Path, started: float, say, batch_count: int = 0
):
    """Set a run up in run_dir (made already): its database, its photos, its
    S3 server and the migrated schema; yield the Session, and stop every
    server it started however the block ends."""
    database = services.Database(switches.database, run_dir)
    with contextlib.ExitStack() as stack:
        stack.callback(shutil.rmtree, run_dir / "media", ignore_errors=True)
        stack.callback(database.stop, say)
        database_url = database.start(say)
        if database.server is not None:
            stack.enter_context(interrupt.stopped_at_once(database.server))
        run = Run(
            root=ROOT,
            directory=run_dir,
            environment=environment(switches, run_dir, None, database_url),
            interval_seconds=SAMPLE_INTERVAL_SECONDS,
            s3_endpoint=None,
            say=say,
            server=switches.server,
            workers=switches.workers,
        )
        photos = prepare_photos(run, switches, batch_count)
        if switches.storage == "s3":
            s3_endpoint = stack.enter_context(services.s3_server(say, switches.network))
            run = dataclasses.replace(
                run,
                environment=environment(switches, run_dir, s3_endpoint, database_url),
                s3_endpoint=s3_endpoint,
            )
        say("Creating the run's database (migrate) ...")
        run.manage("migrate", "--noinput")
        yield Session(run, switches, photos, database, started)


def load(run: Run, photo_dir: Path) -> dict:
    """load_photos of a folder, measured; the files it refused named."""
    # load_photos exits 1 when some files were refused (a user's own folder
    # may hold a few); the rest loaded and the run goes on with them.
    figures = run_command(
        run, "load", ["load_photos", str(photo_dir)], ok_returncodes=(0, 1)
    )
    refused = [
        line for line in figures["lines"] if progress.read_file_status(line) == "failed"
    ]
    if refused and len(refused) == len(list(photo_dir.iterdir())):
        raise ScenarioFailed("load_photos loaded none of the photos; see above.")
    return {**report_figures(figures, "load"), "refused_files": refused}
