"""`python -m measurement COMMAND ...`: see measurement.commands."""

import sys

from measurement.commands import main

if __name__ == "__main__":
    sys.exit(main())
