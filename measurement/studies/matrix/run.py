"""`make matrix`: the stock reproduction across easy-thumbnails, Pillow and
django-storages releases, one axis at a time from today's pins.

Each cell is today's pins (requirements.txt, constraints.txt) with one package
at another release, installed into an environment of its own (a nox session,
noxfile.py), where the stock reproduction (studies.reproduction) runs on a
few photos. A cell writes reports/matrix/cells/<name>.json: its figures, or
why it could not install or run. `python -m measurement matrix`
(write_report) turns the cells into reports/matrix/report.md.
"""

import datetime
import json
import re
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

from measurement import ROOT
from measurement.metadata import project_aliases
from measurement.report import files
from measurement.stats.figures import flat_figures
from measurement.studies.matrix.markdown import REPORTER

MATRIX_DIR = ROOT / "reports" / "matrix"
DEFAULT_PHOTOS = 5
INSTALL_TIMEOUT_SECONDS = 1800
REPRODUCE_TIMEOUT_SECONDS = 3600
# How much of pip's or the reproduction's error a cell keeps.
ERROR_LINES = 6
ERROR_CHARACTERS = 600


@dataclass(frozen=True)
class Cell:
    package: str
    version: str

    @property
    def name(self) -> str:
        return f"{self.package}-{self.version}"


# The releases measured, by package; today's pin is each axis's own cell once.
AXES = {
    "easy-thumbnails": ["2.7.2", "2.8.5", "2.9", "2.10", "2.10.1"],
    "Pillow": ["10.4.0", "11.3.0", "12.3.0", "13.0.0"],
    "django-storages": ["1.13.2", "1.14.6"],
}


def package_key(requirement: str) -> str:
    """The normalized name a requirement or pin line is about."""
    name = re.split(r"[\[=<>!~; ]", requirement.strip(), maxsplit=1)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned_version(package: str, lines: list[str]) -> str | None:
    for line in lines:
        if package_key(line) == package_key(package) and "==" in line:
            return line.split("==", 1)[1].strip()
    return None


def today_pins(root: Path = ROOT) -> list[str]:
    return (root / "constraints.txt").read_text().splitlines()


def cells(root: Path = ROOT) -> list[Cell]:
    """Today's pins first, then every other release of each axis."""
    pins = today_pins(root)
    today = Cell("today", "pins")
    others = [
        Cell(package, version)
        for package, versions in AXES.items()
        for version in versions
        if version != pinned_version(package, pins)
    ]
    return [today, *others]


def with_release(lines: list[str], cell: Cell) -> list[str]:
    """lines with cell's package pinned at cell's version (extras kept)."""
    result = []
    for line in lines:
        if cell.package != "today" and package_key(line) == package_key(cell.package):
            extras = re.match(r"[^\[=]*(\[[^\]]*\])?", line.strip()).group(1) or ""
            line = f"{cell.package}{extras}=={cell.version}"
        result.append(line)
    return result


def requirements(cell: Cell, root: Path = ROOT) -> tuple[list[str], list[str]]:
    """(requirements, constraints) of a cell: today's, one release changed."""
    wanted = [
        line.strip()
        for line in (root / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith(("#", "-"))
    ]
    return with_release(wanted, cell), with_release(today_pins(root), cell)


def shortened(output: str) -> str:
    """pip's (or a command's) own words, cut to what says why: pip's ERROR
    lines; or the first line that says what failed and the last line, which
    ends a traceback with its exception."""
    lines = [line.strip() for line in output.strip().splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("ERROR")]
    if errors:
        kept = "\n".join(errors[-ERROR_LINES:])
    else:
        failed = [line for line in lines if "failed" in line][:1]
        kept = "\n".join([line for line in failed if line != lines[-1]] + lines[-1:])
    if len(kept) > ERROR_CHARACTERS:
        kept = kept[: ERROR_CHARACTERS - 3] + "..."
    return kept


def run_cell(cell: Cell, python: Path, photos: int, out_dir: Path = MATRIX_DIR) -> dict:
    """Install the cell into python's environment and reproduce; write its result."""
    cell_dir = out_dir / "cells" / cell.name
    cell_dir.mkdir(parents=True, exist_ok=True)
    wanted, pins = requirements(cell)
    (cell_dir / "constraints.txt").write_text("\n".join(pins) + "\n")
    result = {**asdict(cell), "name": cell.name, "photos": photos}
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        + ["-c", str(cell_dir / "constraints.txt"), *wanted],
        capture_output=True,
        text=True,
        timeout=INSTALL_TIMEOUT_SECONDS,
        check=False,
    )
    if install.returncode:
        result["install_error"] = shortened(install.stderr or install.stdout)
        return write_cell(result, out_dir)
    reproduction = subprocess.run(
        [str(python), "-m", "measurement", "reproduce", "--photos", str(photos)]
        + ["--out", str(cell_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=REPRODUCE_TIMEOUT_SECONDS,
        check=False,
    )
    (cell_dir / "reproduce.log").write_text(reproduction.stdout + reproduction.stderr)
    if reproduction.returncode:
        result["reproduce_error"] = shortened(
            reproduction.stderr or reproduction.stdout
        )
        return write_cell(result, out_dir)
    report = json.loads((cell_dir / "latest" / "report.json").read_text())
    result["versions"] = report["metadata"]["versions"]
    result["figures"] = flat_figures(report)
    return write_cell(result, out_dir)


def write_cell(result: dict, out_dir: Path) -> dict:
    path = out_dir / "cells" / f"{result['name']}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    return result


def read_cells(out_dir: Path = MATRIX_DIR) -> list[dict]:
    """Every cell's result, in the order of cells(); missing ones left out."""
    found = []
    for cell in cells():
        path = out_dir / "cells" / f"{cell.name}.json"
        if path.exists():
            found.append(json.loads(path.read_text()))
    return found


def write_report(results: list[dict], out_dir: Path = MATRIX_DIR) -> Path:
    """report.json and report.md of the cells' results, beside the cells."""
    report = {
        "metadata": {
            "created_utc": datetime.datetime.now(datetime.UTC).isoformat(
                timespec="seconds"
            ),
            "aliases_count": len(project_aliases()),
        },
        "cells": results,
    }
    files.write(report, REPORTER, out_dir)
    return out_dir / "report.md"
