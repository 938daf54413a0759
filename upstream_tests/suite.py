"""Run easy-thumbnails' test suite the way its tox.ini does, and count the results.

Upstream runs ``python -Wd django-admin test`` with DJANGO_SETTINGS_MODULE set
to ``easy_thumbnails.tests.settings``, from its source tree.
"""

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_SETTINGS = "easy_thumbnails.tests.settings"
FIXED_SETTINGS = "upstream_tests.settings"
# The optimize tests run these by a path relative to the working directory,
# as commands: the wheel installs them without their executable bit.
HELPER_SCRIPTS = ("mockoptim.py", "mockoptim_fail.py")
SUITE_SECONDS = 600


class SuiteError(Exception):
    """The suite could not be run; the message says why and what to do."""


@dataclass(frozen=True)
class SuiteResult:
    ran: int
    failures: int
    errors: int
    skipped: int
    expected_failures: int
    unexpected_successes: int
    output: str

    @property
    def failed(self) -> int:
        return self.failures + self.errors + self.unexpected_successes

    @property
    def passed(self) -> int:
        return self.ran - self.failed - self.skipped - self.expected_failures

    def counts(self) -> str:
        return f"{self.passed} passed, {self.failed} failed, {self.skipped} skipped"

    def problems(self) -> str:
        """The failure and error reports, as unittest printed them."""
        start = self.output.find("=" * 70)
        end = self.output.rfind("Ran ")
        if start < 0:
            return ""
        return self.output[start:end].rstrip().removesuffix("-" * 70).rstrip()


def parse(output: str) -> SuiteResult:
    """Counts from unittest's closing lines: 'Ran N tests' and 'OK (...)' or 'FAILED (...)'."""
    ran = re.search(r"^Ran (\d+) tests? in ", output, re.MULTILINE)
    verdict = re.search(r"^(OK|FAILED)(?: \((.*)\))?$", output, re.MULTILINE)
    if not ran or not verdict:
        raise SuiteError(
            "easy-thumbnails' suite ended without unittest's summary:\n"
            + output[-3000:]
        )
    details = {
        name.strip(): int(value)
        for name, value in re.findall(r"([a-z ]+)=(\d+)", verdict.group(2) or "")
    }
    return SuiteResult(
        ran=int(ran.group(1)),
        failures=details.get("failures", 0),
        errors=details.get("errors", 0),
        skipped=details.get("skipped", 0),
        expected_failures=details.get("expected failures", 0),
        unexpected_successes=details.get("unexpected successes", 0),
        output=output,
    )


def run_suite(settings_module: str, source_tree: Path | None = None) -> SuiteResult:
    """easy-thumbnails' suite under settings_module.

    source_tree: a copy of easy-thumbnails' source (with its easy_thumbnails/
    folder) to test in place of the installed package, from that folder as
    upstream does; by default the installed package's own tests.
    """
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
        "PYTHONPATH": os.pathsep.join(
            str(path) for path in (source_tree, ROOT) if path is not None
        ),
    }
    django_admin = shutil.which("django-admin", path=env["PATH"])
    if django_admin is None:
        raise SuiteError("django-admin is not installed: run `make setup`.")
    command = [sys.executable, "-Wd", django_admin, "test"]
    with tempfile.TemporaryDirectory(prefix="easy-thumbnails-suite-") as scratch:
        if source_tree is None:
            working_dir = Path(scratch)
            copy_helper_scripts(installed_tests_dir(), working_dir)
            command.append("easy_thumbnails.tests")
        else:
            working_dir = source_tree
        try:
            finished = subprocess.run(
                command,
                cwd=working_dir,
                env=env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=SUITE_SECONDS,
            )
        except subprocess.TimeoutExpired as error:
            raise SuiteError(
                f"easy-thumbnails' suite ran over {SUITE_SECONDS} s and was stopped."
            ) from error
    return parse(finished.stdout + finished.stderr)


def installed_tests_dir() -> Path:
    spec = importlib.util.find_spec("easy_thumbnails")
    if spec is None or not spec.submodule_search_locations:
        raise SuiteError("easy-thumbnails is not installed: run `make setup`.")
    return Path(spec.submodule_search_locations[0]) / "tests"


def copy_helper_scripts(tests_dir: Path, working_dir: Path) -> None:
    target = working_dir / "easy_thumbnails" / "tests"
    target.mkdir(parents=True)
    for name in HELPER_SCRIPTS:
        shutil.copyfile(tests_dir / name, target / name)
        (target / name).chmod(0o755)
