"""One run's processes: where they run, with what environment, and the
command line that runs a manage.py command counted under the watcher.

Every measured process runs under the watcher (`python -m measurement watch`)
and through `measurement.probes.counting_manage`, so memory is sampled from
outside and queries and S3 requests are counted inside. S3 requests and their
body bytes are also counted where they are served, by the local S3 server;
the report takes those.
"""

import dataclasses
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from counting.s3_bytes import get_and_put
from counting.s3_operations import all_operations
from local_services import s3
from measurement.errors import MeasurementError

# The longest a page, a command's photo or a worker's photo may take before
# the run gives up on it.
PAGE_TIMEOUT_SECONDS = 900


class ScenarioFailed(MeasurementError):
    """A scenario that could not run; the message says where to look."""


@dataclass(frozen=True)
class Run:
    root: Path
    directory: Path
    environment: dict
    interval_seconds: float
    s3_endpoint: str | None
    say: Callable[[str], None]
    # What serves the index page: "runserver", or "gunicorn" with workers.
    server: str = "runserver"
    workers: int = 4

    def with_environment(self, **variables: str) -> "Run":
        """The run, its processes started with these variables too."""
        return dataclasses.replace(self, environment={**self.environment, **variables})

    def manage(self, *args: str) -> str:
        """Run a manage.py command unmeasured; return its output."""
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=self.root,
            env=self.environment,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode:
            raise ScenarioFailed(
                f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}".rstrip()
            )
        return result.stdout

    def watched_command(
        self, name: str, manage_args: list[str], children: bool = False
    ) -> list[str]:
        """The command line that runs manage_args counted, under the watcher
        (which adds up the memory of the command's children if asked)."""
        return [
            sys.executable, "-m", "measurement", "watch",
            *(["--children"] if children else []),
            "--interval", str(self.interval_seconds),
            "--csv", str(self.samples_path(name)),
            "--",
            sys.executable, "-m", "measurement.probes.counting_manage",
            str(self.counts_path(name)), *manage_args,
        ]  # fmt: skip

    def counts_path(self, name: str) -> Path:
        return self.directory / f"counts-{name}.jsonl"

    def samples_path(self, name: str) -> Path:
        return self.directory / f"rss-{name}.csv"

    def reset_s3_counts(self) -> None:
        if self.s3_endpoint:
            s3.reset_request_counts(self.s3_endpoint)

    def s3_counts(self) -> dict[str, int] | None:
        if not self.s3_endpoint:
            return None
        return all_operations(s3.request_counts(self.s3_endpoint))

    def s3_bytes(self) -> dict[str, int] | None:
        """The bytes of GET and PUT bodies the S3 server sent and received
        since its counts were reset."""
        if not self.s3_endpoint:
            return None
        served = s3.body_bytes(self.s3_endpoint)
        return get_and_put(served["received"], served["sent"])
