"""`make matrix`: one session per cell of measurement.studies.matrix, each in an
environment of its own with today's pins and one package at another release.

    .venv/bin/python -m nox                   # every cell, 5 photos each
    .venv/bin/python -m nox -- --photos 10    # more photos per cell
    .venv/bin/python -m nox -s "matrix_cell(Pillow-10.4.0)"   # one cell
    .venv/bin/python -m measurement matrix    # reports/matrix/report.md
"""

import argparse
from pathlib import Path

import nox

from measurement.studies import matrix

nox.options.default_venv_backend = "venv"
nox.options.error_on_missing_interpreters = True


def options(posargs: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="nox --")
    parser.add_argument(
        "--photos",
        type=int,
        default=matrix.DEFAULT_PHOTOS,
        help=f"Photos per cell (default {matrix.DEFAULT_PHOTOS}).",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=matrix.MATRIX_DIR,
        help="Folder for the cells' results (default reports/matrix/).",
    )
    return parser.parse_args(posargs)


@nox.session
@nox.parametrize(
    "cell", [nox.param(cell.name, id=cell.name) for cell in matrix.cells()]
)
def matrix_cell(session: nox.Session, cell: str) -> None:
    """Install today's pins with one release changed, and reproduce stock."""
    chosen = next(c for c in matrix.cells() if c.name == cell)
    given = options(session.posargs)
    result = matrix.run_cell(
        chosen, Path(session.bin) / "python", given.photos, given.out.resolve()
    )
    for problem in ("install_error", "reproduce_error"):
        if problem in result:
            # A cell that cannot install or run is a finding, written down in
            # its result; the other cells still run.
            session.warn(f"{cell}: {problem.replace('_', ' ')}: {result[problem]}")
            return
    session.log(f"{cell}: measured.")
