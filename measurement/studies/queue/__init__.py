"""`reproduce --scenario queue`: the photos made by Celery workers, once per
count of workers, each worker watched from outside."""

from measurement.studies.queue.markdown import REPORTER
from measurement.studies.queue.run import LATEST, measure

__all__ = ["LATEST", "REPORTER", "measure"]
