"""Reproduce the 2013 measurements in one go and write the report.

Each run gets a database of its own (SQLite in its report folder, or with
--database postgres a PostgreSQL server of its own) and a local S3 server of
its own (own port, own data folder, stopped at the end), so a reproduction
never touches the site's own photos and two runs start equal.
"""

import datetime
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from local_postgres import control as local_postgres
from local_s3 import control as local_s3
from local_servers.ports import free_port
from measurement import metadata, report_files, scenarios
from measurement.errors import MeasurementError
from measurement.switches import DEFAULT_PHOTO_DIR, thumbnail_fix_variable
from photos.photo_files import photo_files

ROOT = Path(__file__).resolve().parent.parent
BUCKET = "et-issue-example-reproduce"
DATABASE = "reproduce"
S3_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


class ReproductionError(MeasurementError):
    """A mistake or missing piece the user can fix; shown as one message."""


def environment(
    switches: dict, run_dir: Path, s3_endpoint: str | None, database_url: str
) -> dict:
    """The measured processes' environment: every switch becomes a variable here."""
    env = {
        **clean_environment(),
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "1" if switches["debug"] else "0",
        "DEBUG_TOOLBAR": "1" if switches["debug_toolbar"] else "0",
        "PHOTO_STORAGE": switches["storage"],
        "THUMBNAIL_FIX": thumbnail_fix_variable(switches.get("fix", False)),
        "PEER": switches.get("peer") or "",
        # Where --storage filesystem keeps photos and thumbnails: in the run.
        "MEDIA_ROOT": str(run_dir / "media"),
        "PYTHONUNBUFFERED": "1",
    }
    if not switches["debug"]:
        env["SECRET_KEY"] = "reproduction-only-not-secret"
    if s3_endpoint:
        env.update(
            AWS_S3_ENDPOINT_URL=s3_endpoint,
            AWS_STORAGE_BUCKET_NAME=BUCKET,
            **S3_CREDENTIALS,
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


def page_and_commands(peer: str | None) -> tuple[str, list[str], str]:
    """The page, the delete command and the generate command of a library."""
    if peer:
        return (
            "/peers/",
            ["delete_peer_thumbnails", "--noinput"],
            ("generate_peer_thumbnails"),
        )
    return (
        "/",
        ["delete_photo_thumbnails", "--noinput"],
        ("generate_all_thumbnail_aliases"),
    )


def prepare_photos(
    run: scenarios.Run, switches: dict, batch_count: int = 0
) -> list[Path]:
    """The photos to load: the first N of the folder, made first if it is the
    default one. With batch_count, the next that many go in a second folder,
    photos-batch/, for a scenario that loads a second batch later."""
    directory = ROOT / switches["photo_dir"]
    count = switches["photos"] + batch_count
    default_dir = switches["photo_dir"] == DEFAULT_PHOTO_DIR
    if not directory.is_dir() and not default_dir:
        raise ReproductionError(f"{switches['photo_dir']} is not a folder of photos.")
    found = photo_files(directory) if directory.is_dir() else []
    if len(found) < count and default_dir:
        run.say(
            f"Making {count} test photos in {DEFAULT_PHOTO_DIR}/ (once; they are kept) ..."
        )
        run.manage("make_test_photos", "--count", str(count), "--dir", str(directory))
        found = photo_files(directory)
    if not found:
        raise ReproductionError(
            f"{switches['photo_dir']} has no .jpg, .jpeg, .png, .gif or .webp files."
        )
    chosen = found[: switches["photos"]]
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


def local_s3_command(command: str, port: int, data_dir: Path, *args: str) -> None:
    """Start or stop the run's own S3 server with the command a user would run."""
    result = subprocess.run(
        [sys.executable, "-m", "local_s3", command, "--port", str(port)]
        + ["--data-dir", str(data_dir), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise scenarios.ScenarioFailed(
            f"python -m local_s3 {command} failed: {result.stderr.strip()}"
        )


class RunDatabase:
    """The run's own database: a SQLite file in the run's folder, or a
    database on a PostgreSQL server started for the run and stopped after."""

    def __init__(self, vendor: str, run_dir: Path):
        self.vendor = vendor
        self.run_dir = run_dir
        self.data_dir = None
        self.port = None

    def start(self, say) -> str:
        """Start what the database needs; return its DATABASE_URL."""
        if self.vendor == "sqlite":
            return f"sqlite:///{self.run_dir / 'db.sqlite3'}"
        self.data_dir = Path(tempfile.mkdtemp(prefix="reproduce-postgres-"))
        self.port = free_port()
        say(f"Starting a PostgreSQL server of its own on port {self.port} ...")
        try:
            local_postgres.start(self.data_dir, self.port)
            local_postgres.create_database(self.data_dir, self.port, DATABASE)
        except local_postgres.LocalPostgresError as error:
            raise ReproductionError(str(error)) from None
        return local_postgres.database_url(self.data_dir, self.port, DATABASE)

    def metadata(self) -> dict:
        if self.vendor == "sqlite":
            return {"vendor": "sqlite", "version": sqlite3.sqlite_version}
        try:
            version = local_postgres.server_version(self.data_dir, self.port)
        except local_postgres.LocalPostgresError as error:
            raise ReproductionError(str(error)) from None
        return {"vendor": "postgresql", "version": version}

    def stop(self, say) -> None:
        if self.data_dir is None:
            return
        try:
            local_postgres.stop(self.data_dir)
        except local_postgres.LocalPostgresError as error:
            say(f"Warning: {error}")
        shutil.rmtree(self.data_dir, ignore_errors=True)


def the_2013_scenarios(
    run: scenarios.Run, page: str, delete: list[str], make: str, restarted_page: bool
) -> dict:
    """The index page cold and warm, then generate: the 2013 README's figures."""
    served_by = (
        f"gunicorn ({run.workers} workers)" if run.server == "gunicorn" else "runserver"
    )
    run.say(
        f"2/3 index: {served_by}, then {page} cold (every alias generated) and warm"
    )
    index = scenarios.index(run, page)
    restarted = {}
    if restarted_page:
        run.say(f"    {page} again, from a restarted server")
        restarted["index_restarted"] = scenarios.index(
            run, page, ("restarted",), "index-restarted"
        )
    run.say(f"3/3 generate: delete the thumbnails, then {make}")
    run.say("    " + run.manage(*delete).strip())
    generate = scenarios.generate(run, make)
    return {"index": index, **restarted, "generate": generate}


def other_scenario(
    run: scenarios.Run, switches: dict, scenario: str, delete: list[str]
) -> dict:
    """--scenario queue or load, after load_photos."""
    if scenario == "queue":
        from measurement import queue_run

        run.say(
            f"2/2 queue: the photos made by {switches['queue_workers']} Celery workers"
        )
        return {"queue": queue_run.measure(run, switches["queue_workers"], delete)}
    from measurement import load_run

    run.say(
        f"2/2 under load: {switches['clients']} clients for {switches['seconds']} s "
        f"on gunicorn ({run.workers} workers), warm, then while Celery workers make "
        "a new batch"
    )
    return {
        "under_load": load_run.measure(run, switches, run.directory / "photos-batch")
    }


def reproduce(
    switches: dict, out_dir: Path, say=print, restarted_page: bool = False
) -> tuple[dict, Path]:
    """Run the three scenarios; with restarted_page, also load the page once
    more from a new server process, after the cold and warm loads."""
    started = time.time()
    # Absolute: the measured processes run in the project folder, not here.
    out_dir = out_dir.resolve()
    timestamp = datetime.datetime.fromtimestamp(started, datetime.UTC)
    run_dir = out_dir / timestamp.strftime("%Y%m%dT%H%M%SZ")
    run_dir.mkdir(parents=True, exist_ok=False)
    say(f"Reproducing the 2013 measurements into {run_dir}/")

    port = free_port()
    s3_endpoint = (
        local_s3.endpoint_url("127.0.0.1", port)
        if switches["storage"] == "s3"
        else None
    )
    database = RunDatabase(switches["database"], run_dir)
    s3_data_dir = Path(tempfile.mkdtemp(prefix="reproduce-s3-"))
    try:
        run = scenarios.Run(
            root=ROOT,
            directory=run_dir,
            environment=environment(
                switches, run_dir, s3_endpoint, database.start(say)
            ),
            interval_seconds=0.05,
            s3_endpoint=s3_endpoint,
            say=say,
            server=switches.get("server", "runserver"),
            workers=switches.get("workers", 4),
        )
        scenario = switches.get("scenario", "2013")
        photos = prepare_photos(
            run, switches, switches["photos"] if scenario == "load" else 0
        )
        if s3_endpoint:
            say(f"Starting a local S3 server of its own on port {port} ...")
            local_s3_command("start", port, s3_data_dir, "--bucket", BUCKET)
        say("Creating the run's database (migrate) ...")
        run.manage("migrate", "--noinput")

        page, delete, make = page_and_commands(switches.get("peer"))
        steps = 3 if scenario == "2013" else 2
        say(f"1/{steps} load: load_photos of {len(photos)} photos")
        load = scenarios.load(run, run_dir / "photos")
        if scenario == "2013":
            measured = the_2013_scenarios(run, page, delete, make, restarted_page)
        else:
            measured = other_scenario(run, switches, scenario, delete)
        database_metadata = database.metadata()
    except scenarios.ScenarioFailed as error:
        raise ReproductionError(str(error)) from None
    finally:
        if s3_endpoint:
            try:
                local_s3_command("stop", port, s3_data_dir)
            except scenarios.ScenarioFailed as error:
                say(f"Warning: {error}")
        shutil.rmtree(s3_data_dir, ignore_errors=True)
        database.stop(say)
        # The photos' copies are not part of the report.
        shutil.rmtree(run_dir / "media", ignore_errors=True)

    report = {
        "metadata": {
            "created_utc": timestamp.isoformat(timespec="seconds"),
            "versions": metadata.versions(),
            "switches": switches,
            "database": database_metadata,
            "photos": metadata.photo_set(photos),
            "machine": metadata.machine(),
            "sample_interval_seconds": run.interval_seconds,
        },
        "seconds": round(time.time() - started, 1),
        "scenarios": {"load": load, **measured},
    }
    report_files.write(report, run_dir, out_dir / "latest")
    return report, run_dir
