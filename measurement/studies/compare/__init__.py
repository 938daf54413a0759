"""`reproduce --compare`: stock, the fix and the fix with vips_decode in one
run, against the floors and the fix's targets; --causes, each cause alone."""

from measurement.studies.compare.markdown import REPORTER
from measurement.studies.compare.run import LATEST, compare
from measurement.studies.compare.thumbnails import measure_quality

__all__ = ["LATEST", "REPORTER", "compare", "measure_quality"]
