"""One package per study, each with the same roles: run.py starts and
watches its processes, its arithmetic (figures.py, targets.py, ...) is plain
functions of figures, its writers (markdown.py, plot.py, chart.py) render a
report dict. A study uses another only through what that package's
__init__ exports."""
