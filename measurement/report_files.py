"""Write a report dict as report.json, report.md and memory.png."""

import json
import shutil
from pathlib import Path

from measurement import memory_plot, report_markdown

# What reports/latest/ gets of a run: the report and its samples, not the
# run's database or logs.
LATEST_PATTERNS = ["report.json", "report.md", "memory.png", "rss-*.csv"]


def to_json(report: dict) -> str:
    return json.dumps(report, indent=2) + "\n"


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
        shutil.rmtree(latest, ignore_errors=True)
        latest.mkdir(parents=True)
        for pattern in LATEST_PATTERNS:
            for path in directory.glob(pattern):
                shutil.copy2(path, latest / path.name)
