"""`make upstream-check`: the patch series in upstream/ on a clean
easy-thumbnails, its own suite, and the reproduction with it beside stock
and the fix."""

from measurement.studies.upstream.markdown import REPORTER
from measurement.studies.upstream.run import LATEST, UpstreamCheckError, upstream_check

__all__ = ["LATEST", "REPORTER", "UpstreamCheckError", "upstream_check"]
