"""The errors a measuring command reports in one line, without a traceback;
measurement.commands.main turns each into its message and exit code."""


class UsageError(Exception):
    """A bad option value or argument; the message says what to give instead."""


class MeasurementError(Exception):
    """A run that could not finish: a mistake or a missing piece the user can
    fix, named in the message."""
