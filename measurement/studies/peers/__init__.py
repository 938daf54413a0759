"""`reproduce --peers`: easy-thumbnails, stock and fixed, beside
sorl-thumbnail and django-imagekit, on the same photos."""

from measurement.studies.peers.markdown import REPORTER
from measurement.studies.peers.run import LATEST, measure

__all__ = ["LATEST", "REPORTER", "measure"]
