"""What renders a study's report: said where the study is defined, never guessed."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# A picture beside report.md: plot(report, directory, path), directory being
# the run folder whose sample files the report names.
Plot = Callable[[dict, Path, Path], None]


@dataclass(frozen=True)
class Reporter:
    # report.md, from the report dict.
    render: Callable[[dict], str]
    # The lines the command prints under "Done in ... Report: ...".
    summary_lines: Callable[[dict], list[str]]
    # (file name, plot) of each picture the report shows.
    plots: tuple[tuple[str, Plot], ...] = ()
