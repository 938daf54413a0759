"""Which part of a pytest-xdist run this pytest process plays."""

import os


def hands_out_tests(early_config) -> bool:
    """Whether this process is an xdist controller (pytest -n), which runs no
    test itself: its workers do, each with servers of its own.

    Read from the options, as xdist reads them, before the plugins start
    their servers.
    """
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return False
    options = early_config.known_args_namespace
    if getattr(options, "tx", None):
        return True
    # xdist runs the tests in this process with --pdb, or with -n 0.
    return bool(getattr(options, "numprocesses", None)) and not options.usepdb
