"""`python -m measurement matrix` (the end of `make matrix`): the cells'
results as reports/matrix/report.md (measurement.studies.matrix)."""

import argparse
from pathlib import Path

from measurement.errors import MeasurementError

NAME = "matrix"
FAILED = "Matrix report failed"


def add_parser(commands) -> argparse.ArgumentParser:
    from measurement.studies.matrix import MATRIX_DIR

    parser = commands.add_parser(
        NAME,
        help="Write the matrix's report from the cells `make matrix` measured.",
        description="Read each cell's result of `make matrix` and write report.md "
        "beside them.",
    )
    parser.add_argument(
        "out_dir",
        nargs="?",
        type=Path,
        default=MATRIX_DIR,
        help="The matrix's folder, with cells/ in it (default reports/matrix/).",
    )
    return parser


def run(args: argparse.Namespace) -> int:
    from measurement.studies import matrix

    results = matrix.read_cells(args.out_dir)
    if not results:
        raise MeasurementError(
            f"No cells in {args.out_dir}/cells/: run `make matrix` first."
        )
    print(f"Report: {matrix.write_report(results, args.out_dir)}")
    return 0
