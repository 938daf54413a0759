"""Write a report dict to its folder, and to the latest/ folder beside it:
a reproduction's as report.json, report.md and memory.png, a comparison's
as report.json and the markdown its own writer rendered."""

import json
import shutil
from pathlib import Path

from measurement import memory_plot, report_markdown

# What reports/latest/ gets of a run: the report and its samples, not the
# run's database or logs.
LATEST_PATTERNS = ["report.json", "report.md", "memory.png", "rss-*.csv"]


def to_json(report: dict) -> str:
    return json.dumps(report, indent=2) + "\n"


def write_report(
    report: dict,
    markdown: str,
    directory: Path,
    latest: Path,
    other_files: tuple[str, ...] = (),
) -> None:
    """A comparison's report: report.json and its markdown in directory, and
    in latest (replaced) with other_files of directory (a chart made first)."""
    (directory / "report.json").write_text(to_json(report))
    (directory / "report.md").write_text(markdown)
    replace_latest(directory, latest, ["report.json", "report.md", *other_files])


def replace_latest(directory: Path, latest: Path, patterns: list[str]) -> None:
    """latest/ holds the files of directory matching patterns, nothing else."""
    shutil.rmtree(latest, ignore_errors=True)
    latest.mkdir(parents=True)
    for pattern in patterns:
        for path in directory.glob(pattern):
            shutil.copy2(path, latest / path.name)


def scenario_reporter(report: dict):
    """The module that renders a --scenario queue or load report, or None for 2013's."""
    if "queue" in report["scenarios"]:
        from measurement import queue_markdown

        return queue_markdown
    if "under_load" in report["scenarios"]:
        from measurement import load_markdown

        return load_markdown
    return None


def summary_lines(report: dict) -> list[str]:
    return scenario_reporter(report).summary_lines(report)


def write(report: dict, directory: Path, latest: Path | None = None) -> None:
    (directory / "report.json").write_text(to_json(report))
    reporter = scenario_reporter(report)
    if reporter is None:
        (directory / "report.md").write_text(report_markdown.render(report))
        memory_plot.plot(report, directory, directory / "memory.png")
    else:
        (directory / "report.md").write_text(reporter.render(report))
    if latest is not None:
        replace_latest(directory, latest, LATEST_PATTERNS)
