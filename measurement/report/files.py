"""A run's folder, and a report written into it: report.json, report.md and
its plots, copied to a latest/ folder beside it."""

import contextlib
import datetime
import json
import shutil
import time
from pathlib import Path

from measurement.report.reporter import Reporter

# What latest/ gets of a run: the report, its pictures and its samples, not
# the run's database or logs.
LATEST_PATTERNS = ["report.json", "report.md", "*.png", "rss-*.csv"]


def make_run_folder(out_dir: Path, suffix: str = "") -> tuple[Path, float]:
    """A new folder in out_dir named for this moment (UTC), with -suffix if
    given; return it (absolute: the measured processes run elsewhere) and
    the moment, in Unix seconds."""
    started = time.time()
    stamp = datetime.datetime.fromtimestamp(started, datetime.UTC)
    name = stamp.strftime("%Y%m%dT%H%M%SZ") + (f"-{suffix}" if suffix else "")
    run_dir = out_dir.resolve() / name
    run_dir.mkdir(parents=True, exist_ok=False)
    return run_dir, started


# What a run that did not finish leaves in its folder, beside what it wrote.
UNFINISHED_README = (
    "This run was {why} before it finished: it holds no report, only what the "
    "run had written so far. Delete this folder.\n"
)


@contextlib.contextmanager
def run_folder(out_dir: Path, suffix: str = ""):
    """make_run_folder for the block, which writes the report into it. A run
    that does not finish leaves no folder that looks like a report's: on
    Ctrl-C it is renamed -interrupted, on an error -failed, each with a
    README.txt that says so."""
    run_dir, started = make_run_folder(out_dir, suffix)
    try:
        yield run_dir, started
    except KeyboardInterrupt:
        mark_unfinished(run_dir, "interrupted", "interrupted (Ctrl-C)")
        raise
    except Exception:
        mark_unfinished(run_dir, "failed", "stopped by an error")
        raise


def mark_unfinished(run_dir: Path, state: str, why: str) -> Path:
    """Rename run_dir to <name>-state, README.txt inside saying why."""
    unfinished = run_dir.with_name(f"{run_dir.name}-{state}")
    run_dir.rename(unfinished)
    (unfinished / "README.txt").write_text(UNFINISHED_README.format(why=why))
    return unfinished


def to_json(report: dict) -> str:
    return json.dumps(report, indent=2) + "\n"


def write(
    report: dict, reporter: Reporter, directory: Path, latest: Path | None = None
) -> None:
    """report.json, report.md and the reporter's plots in directory; the
    same, with the samples, in latest (replaced), if given."""
    (directory / "report.json").write_text(to_json(report))
    (directory / "report.md").write_text(reporter.render(report))
    for name, plot in reporter.plots:
        plot(report, directory, directory / name)
    if latest is not None:
        replace_latest(directory, latest)


def replace_latest(directory: Path, latest: Path) -> None:
    """latest/ holds the files of directory that LATEST_PATTERNS match, nothing else."""
    shutil.rmtree(latest, ignore_errors=True)
    latest.mkdir(parents=True)
    for pattern in LATEST_PATTERNS:
        for path in directory.glob(pattern):
            shutil.copy2(path, latest / path.name)


def summary(report: dict, reporter: Reporter, directory: Path, latest: Path) -> str:
    """What a command prints once the report is written."""
    return "\n".join(
        [
            f"Done in {report['seconds']:.1f} s. Report: {latest}/report.md "
            f"(also {directory}/)",
            *reporter.summary_lines(report),
        ]
    )
