"""The tests that share a module's fixture run on one xdist worker, so the
fixture is made once (tests/conftest.py, --dist loadgroup)."""

import os
import subprocess
import sys

from tests.conftest import REPO_ROOT

SHARED_FIXTURE_MODULE = """
import pytest

@pytest.fixture(scope="module")
def made(tmp_path_factory):
    with open(MADE_LOG, "a") as log:
        log.write("made\\n")

@pytest.mark.parametrize("n", range(8))
def test_uses_the_shared_fixture(made, n):
    pass
"""


def test_a_modules_shared_fixture_is_made_once_on_two_workers(tmp_path):
    made_log = tmp_path / "made.log"
    (tmp_path / "test_shared.py").write_text(
        f"MADE_LOG = {str(made_log)!r}\n{SHARED_FIXTURE_MODULE}"
    )
    # The project's grouping hook, on a folder of its own.
    (tmp_path / "conftest.py").write_text(
        "from tests.conftest import pytest_collection_modifyitems  # noqa: F401\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup",
         "-p", "no:cacheprovider", "-p", "no:django", "--rootdir", str(tmp_path),
         "-c", "/dev/null", str(tmp_path / "test_shared.py")],
        cwd=tmp_path, capture_output=True, text=True, check=False, timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "8 passed" in result.stdout
    assert made_log.read_text() == "made\n"
