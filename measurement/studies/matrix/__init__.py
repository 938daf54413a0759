"""`make matrix`: stock easy-thumbnails across releases of easy-thumbnails,
Pillow and django-storages, one environment per cell."""

from measurement.studies.matrix.run import (
    DEFAULT_PHOTOS,
    MATRIX_DIR,
    cells,
    read_cells,
    run_cell,
    write_report,
)

__all__ = [
    "DEFAULT_PHOTOS",
    "MATRIX_DIR",
    "cells",
    "read_cells",
    "run_cell",
    "write_report",
]
