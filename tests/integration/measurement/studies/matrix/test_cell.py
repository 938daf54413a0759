"""`make matrix`, one real cell: an environment of its own, the release it names."""

import json
import subprocess
import sys

import pytest

from measurement.studies.matrix import markdown as matrix_report
from tests.conftest import REPO_ROOT


@pytest.mark.slow
def test_one_cell_installs_its_release_and_reproduces_stock(tmp_path):
    """A real cell: its own environment, the release it names, the explosion."""
    subprocess.run(
        [sys.executable, "-m", "nox", "-s", "matrix_cell(django-storages-1.13.2)"]
        + ["--", "--photos", "2", "--out", str(tmp_path)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=3600,
        check=True,
    )
    result = json.loads(
        (tmp_path / "cells" / "django-storages-1.13.2.json").read_text()
    )
    assert result["versions"]["django_storages"] == "1.13.2"
    assert matrix_report.explosion(result["figures"], 9)[0] is True
