"""A process's memory samples: what the watcher takes, and the CSV file it keeps them in.

Plain data: the studies read the files a watcher wrote, without the watcher.
"""

import csv
from dataclasses import dataclass

CSV_COLUMNS = [
    "time_unix_seconds",
    "elapsed_seconds",
    "rss_bytes",
    "uss_bytes",
    "rss_high_water_bytes",
]


@dataclass
class Sample:
    time_unix_seconds: float
    elapsed_seconds: float
    rss_bytes: int
    uss_bytes: int | None
    # The highest RSS the process reached since it started its program, as
    # the kernel counts it on every page it maps (Linux's VmHWM): what the
    # samples may fall between. None for a process tree, or off Linux.
    rss_high_water_bytes: int | None = None


class SampleWriter:
    """Append samples to a CSV file as they are taken, so a killed run keeps them."""

    def __init__(self, path: str | None):
        self.file = open(path, "w", newline="") if path else None  # noqa: SIM115
        if self.file:
            self.csv = csv.writer(self.file)
            self.csv.writerow(CSV_COLUMNS)

    def write(self, sample: Sample) -> None:
        if self.file:
            uss = "" if sample.uss_bytes is None else sample.uss_bytes
            high_water = sample.rss_high_water_bytes
            self.csv.writerow(
                [
                    f"{sample.time_unix_seconds:.4f}",
                    f"{sample.elapsed_seconds:.4f}",
                    sample.rss_bytes,
                    uss,
                    "" if high_water is None else high_water,
                ]
            )
            self.file.flush()

    def close(self) -> None:
        if self.file:
            self.file.close()


def read_samples(path: str) -> list[Sample]:
    with open(path, newline="") as f:
        return [
            Sample(
                time_unix_seconds=float(row["time_unix_seconds"]),
                elapsed_seconds=float(row["elapsed_seconds"]),
                rss_bytes=int(row["rss_bytes"]),
                uss_bytes=int(row["uss_bytes"]) if row["uss_bytes"] else None,
                # Absent from the files of watchers before it was recorded.
                rss_high_water_bytes=int(row["rss_high_water_bytes"])
                if row.get("rss_high_water_bytes")
                else None,
            )
            for row in csv.DictReader(f)
        ]
