"""The reproduction's arithmetic: memory and queries photo by photo, and what
a simulated network alone costs. Plain dicts and samples in and out; nothing
here runs, reads or renders anything."""

from measurement.probes.samples import Sample
from measurement.stats.rss import high_water_after, rss_at, rss_figures
from photos import progress


def per_photo(records: list[dict], samples: list[Sample]) -> list[dict]:
    """One entry per photo, from the command's progress lines and the RSS samples.

    records are the counting log of one command: "start", then "line"s, with
    running totals. A photo's figures run from the previous photo's line (or
    the start) to its own. rss_high_water_bytes is the kernel's high-water
    mark in the first sample taken once the photo is done (None if the
    samples carry none): the most the process has held so far, the photo's
    own peak included, wherever it fell between samples. `line` is what the
    photo's own line says, measured inside the command.
    """
    previous = next(r for r in records if r["event"] == "start")
    photos = []
    for record in records:
        if (
            record["event"] != "line"
            or progress.read_photo_done(record["text"]) is None
        ):
            continue
        start, end = previous["time_unix_seconds"], record["time_unix_seconds"]
        photos.append(
            {
                "photo_number": len(photos) + 1,
                "seconds": round(end - start, 3),
                "rss_bytes": rss_at(samples, end),
                "rss_peak_bytes": rss_figures(samples, start, end)["rss_peak_bytes"],
                "rss_high_water_bytes": high_water_after(samples, end),
                "queries_count": record["queries_count"] - previous["queries_count"],
                "line": progress.read_photo_figures(record["text"]),
            }
        )
        previous = record
    return photos


def network_floor_seconds(s3_bytes: dict | None, network: dict | None) -> float | None:
    """The least time a scenario's S3 bodies need on network (report.json's
    metadata.network): its downloads at the download bandwidth or its uploads
    at the upload bandwidth, whichever takes longer (they go opposite ways,
    so they can overlap), plus one latency (its first request's, which
    nothing can overlap). None where the network does not limit the bodies,
    or no body was moved or counted.

    A scenario that takes about its floor hides the network: its transfers
    overlap each other and the image work.
    """
    if not s3_bytes or not any(s3_bytes.values()):
        return None  # no body moved: its requests' latencies are all it waits
    if not network or not network["simulated"]:
        return None
    transfers = [
        s3_bytes.get(kind, 0) / rate
        for kind, rate in (
            ("get", network["download_bytes_per_second"]),
            ("put", network["upload_bytes_per_second"]),
        )
        if rate
    ]
    if not transfers:
        return None
    return max(transfers) + network["latency_seconds"]
