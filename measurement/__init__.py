"""The measuring code of the project: ``python -m measurement COMMAND``.

Layers, each importing only from those below it: ``commands`` (one module per
subcommand) over ``studies`` (one package per study) over ``harness`` (a
run's servers and measured processes) and ``report`` (run folders, writing a
report, Markdown helpers) over ``probes`` (what takes readings) and ``stats``
(arithmetic the studies share). tests/unit/measurement/test_layers.py holds
the code to these rules.
"""

from pathlib import Path

# The project's root, where manage.py is: the measured processes run there.
ROOT = Path(__file__).resolve().parent.parent
