"""RSS over a stretch of time, read off a watcher's samples."""

from measurement.probes.samples import Sample


def rss_at(samples: list[Sample], time_unix_seconds: float) -> int:
    """RSS of the last sample taken at or before a moment (the first, if none was)."""
    before = [s for s in samples if s.time_unix_seconds <= time_unix_seconds]
    return (before[-1] if before else samples[0]).rss_bytes


def rss_figures(
    samples: list[Sample], start_unix_seconds: float, end_unix_seconds: float
) -> dict:
    """rss_start_bytes, rss_peak_bytes and rss_end_bytes between two moments."""
    start = rss_at(samples, start_unix_seconds)
    end = rss_at(samples, end_unix_seconds)
    inside = [
        s.rss_bytes
        for s in samples
        if start_unix_seconds <= s.time_unix_seconds <= end_unix_seconds
    ]
    return {
        "rss_start_bytes": start,
        "rss_peak_bytes": max([start, end, *inside]),
        "rss_end_bytes": end,
    }


def high_water_after(samples: list[Sample], time_unix_seconds: float) -> int | None:
    """The kernel's high-water mark in the first sample at or after a moment
    (the last sample's, if none was): the most the process had held by then,
    peaks between samples included. None if the samples carry none."""
    after = [s for s in samples if s.time_unix_seconds >= time_unix_seconds]
    return (after[0] if after else samples[-1]).rss_high_water_bytes
