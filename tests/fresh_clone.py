"""A copy of the project as a fresh clone has it, to run its commands in."""

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT


def fresh_clone(destination: Path) -> Path:
    """Copy the files git keeps (committed or about to be) to destination.

    Nothing of var/, test_photos/ or reports/ comes along; the copy's .venv is
    the environment running the tests.
    """
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO_ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = REPO_ROOT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    (destination / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    return destination
