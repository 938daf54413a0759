"""`reproduce --scenario load`: clients on the warm page served by gunicorn,
then the same while Celery workers make a new batch of photos."""

from measurement.studies.under_load.markdown import REPORTER
from measurement.studies.under_load.run import LATEST, measure

__all__ = ["LATEST", "REPORTER", "measure"]
