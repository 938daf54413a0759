"""The floors: what the nine thumbnails cost with Pillow or libvips alone,
each original read from local disk and decoded once."""

from measurement.studies.floors.run import FLOORS, measure_floors
from measurement.studies.floors.timing import LIBRARIES, time_thumbnails

__all__ = ["FLOORS", "LIBRARIES", "measure_floors", "time_thumbnails"]
