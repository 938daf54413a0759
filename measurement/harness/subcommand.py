"""A measuring subcommand run in a process of its own, its JSON read back:
each floor and the thumbnail comparison pay only for their own imports and
memory, and run as a user runs them."""

import json
import subprocess
import sys
from pathlib import Path

from measurement import ROOT
from measurement.harness.run import ScenarioFailed


def measure_json(command: list[str], photo_dir: Path, photos: int) -> dict:
    """Run `python -m measurement COMMAND` on the first photos of photo_dir;
    return the JSON dict it printed."""
    result = subprocess.run(
        [sys.executable, "-m", "measurement", *command]
        + ["--photos", str(photos), str(photo_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise ScenarioFailed(
            f"python -m measurement {' '.join(command)} failed:\n{result.stderr.strip()}"
        )
    return json.loads(result.stdout.strip().splitlines()[-1])
