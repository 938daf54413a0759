"""`make upstream-check`: the patch series in upstream/ on a clean copy of
easy-thumbnails, its own suite on the result, then the reproduction with the
patched easy-thumbnails beside stock and the fix.

The patched copy goes first on the measured processes' PYTHONPATH, in place
of the pinned easy-thumbnails; nothing installed is changed.
"""

import os
import subprocess
import sys
import tarfile
import tempfile
import time
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path

from measurement import ROOT
from measurement.errors import MeasurementError
from measurement.report import files
from measurement.stats.figures import flat_figures
from measurement.studies import reproduction
from measurement.studies.upstream.markdown import REPORTER
from measurement.switches import Switches
from upstream_tests.suite import SHIPPED_SETTINGS, SuiteError, run_suite

UPSTREAM_VERSION = "2.10.1"
PATCHES_DIR = ROOT / "upstream"
# Downloads are kept here (and in pip's cache) between runs.
DOWNLOAD_DIR = ROOT / "var" / "upstream-check"
LATEST = "latest-upstream"
COLUMNS = {
    "stock": "easy-thumbnails as released",
    "patched": "easy-thumbnails with upstream/*.patch",
    "fixed": "easy-thumbnails as released, THUMBNAIL_FIX=1",
}


class UpstreamCheckError(MeasurementError):
    """A step that failed; the message says which and what to do."""


def patch_series() -> list[Path]:
    patches = sorted(PATCHES_DIR.glob("*.patch"))
    if not patches:
        raise UpstreamCheckError(f"{PATCHES_DIR} has no .patch files.")
    return patches


def download_source(directory: Path = DOWNLOAD_DIR) -> Path:
    """easy-thumbnails' source distribution, through pip (and its cache)."""
    sdist = directory / f"easy_thumbnails-{UPSTREAM_VERSION}.tar.gz"
    if not sdist.exists():
        directory.mkdir(parents=True, exist_ok=True)
        checked(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"]
            + ["--no-binary", ":all:", "--dest", str(directory)]
            + [f"easy-thumbnails=={UPSTREAM_VERSION}"],
            "pip could not download easy-thumbnails' source; check the "
            "connection to PyPI",
        )
    return sdist


def unpack(sdist: Path, directory: Path) -> Path:
    with tarfile.open(sdist) as archive:
        archive.extractall(directory, filter="data")
    tree = directory / f"easy_thumbnails-{UPSTREAM_VERSION}"
    if not (tree / "easy_thumbnails" / "tests").is_dir():
        raise UpstreamCheckError(f"{sdist.name} has no easy_thumbnails/tests/.")
    return tree


def apply_series(tree: Path, patches: list[Path]) -> None:
    for patch in patches:
        checked(
            ["git", "apply", "--whitespace=nowarn", str(patch)],
            f"{patch.name} does not apply to easy-thumbnails {UPSTREAM_VERSION}",
            cwd=tree,
        )


def checked(command: list[str], failure: str, cwd: Path = ROOT) -> None:
    result = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise UpstreamCheckError(
            f"{failure}:\n{(result.stderr or result.stdout).strip()}"
        )


@contextmanager
def first_on_pythonpath(tree: Path):
    """Processes started meanwhile import easy_thumbnails from tree."""
    before = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tree), before]))
    try:
        yield
    finally:
        if before is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = before


def imported_from() -> str:
    """Where a process started now imports easy_thumbnails from."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import easy_thumbnails; print(easy_thumbnails.__file__)",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return str(Path(result.stdout.strip()).parent)


def upstream_check(switches: Switches, out_dir: Path, say=print) -> tuple[dict, Path]:
    if version("easy-thumbnails") != UPSTREAM_VERSION:
        raise UpstreamCheckError(
            f"The series is against easy-thumbnails {UPSTREAM_VERSION}, but "
            f"{version('easy-thumbnails')} is installed: run `make setup`."
        )
    patches = patch_series()
    with files.run_folder(out_dir, "upstream") as (run_dir, started):
        with tempfile.TemporaryDirectory(prefix="easy-thumbnails-patched-") as scratch:
            say(
                f"Applying {len(patches)} patches to easy-thumbnails {UPSTREAM_VERSION} ..."
            )
            tree = unpack(download_source(), Path(scratch))
            apply_series(tree, patches)
            say("easy-thumbnails' own suite on the patched source ...")
            try:
                suite = run_suite(SHIPPED_SETTINGS, source_tree=tree)
            except SuiteError as error:
                raise UpstreamCheckError(str(error)) from None
            say(f"patched: {suite.counts()}")
            if suite.failed:
                raise UpstreamCheckError(
                    "easy-thumbnails' suite fails with the series applied:\n"
                    + suite.problems()
                )
            reports = {}
            for name in COLUMNS:
                say(f"== {name}: {COLUMNS[name]} ==")
                column_switches = switches.replace(fix=name == "fixed")
                if name == "patched":
                    with first_on_pythonpath(tree):
                        patched_from = imported_from()
                        reports[name], _ = reproduction.reproduce(
                            column_switches, run_dir / name, say
                        )
                else:
                    reports[name], _ = reproduction.reproduce(
                        column_switches, run_dir / name, say
                    )
        report = {
            "metadata": {
                **reports["stock"]["metadata"],
                "switches": {**switches.as_report(), "fix": "stock, patched and fixed"},
                "patches": [patch.name for patch in patches],
                "patched_easy_thumbnails_imported_from": patched_from,
            },
            "seconds": round(time.time() - started, 1),
            "suite_patched": {
                "passed_count": suite.passed,
                "failed_count": suite.failed,
                "skipped_count": suite.skipped,
            },
            "columns": {name: flat_figures(report) for name, report in reports.items()},
            "column_titles": COLUMNS,
        }
        files.write(report, REPORTER, run_dir, run_dir.parent / LATEST)
    return report, run_dir
