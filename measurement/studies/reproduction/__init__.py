"""The 2013 reproduction: load_photos, the index page cold and warm, then
generate_all_thumbnail_aliases, each measured from outside."""

from measurement.studies.reproduction.answer import with_the_fix
from measurement.studies.reproduction.markdown import REPORTER, answer_lines
from measurement.studies.reproduction.run import LATEST, reproduce

__all__ = ["LATEST", "REPORTER", "answer_lines", "reproduce", "with_the_fix"]
