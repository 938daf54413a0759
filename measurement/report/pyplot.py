"""matplotlib's pyplot for the report's plots, loaded when one is drawn.

Drawn to files only (Agg): no screen needed, none expected. Loaded by the
plot, not when its module is imported: a run stopped before its report
(Ctrl-C, an error) neither loads matplotlib nor waits, at exit, for the
interpreter to tear it down.
"""


def pyplot():
    """matplotlib.pyplot, drawing to files."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot

    return matplotlib.pyplot
