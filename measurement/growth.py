"""Memory per photo, and whether it keeps growing once one-time costs are paid."""

import re

from measurement.rss_figures import rss_at, rss_figures
from measurement.watcher import Sample
from photos.units import MB

# Below this, even 100 photos add less than 5 MB: within what allocators keep
# around anyway, so it is no leak worth the name.
FLAT_BELOW_BYTES_PER_PHOTO = 50 * 1024
# Two photos in the second half at least: a slope needs two points.
MINIMUM_PHOTOS = 4
# generate_all_thumbnail_aliases prints "photo N/TOTAL ..." as each photo is done.
PHOTO_LINE = re.compile(r"^photo (\d+)/(\d+)\b")


def per_photo(records: list[dict], samples: list[Sample]) -> list[dict]:
    """One entry per photo, from the command's progress lines and the RSS samples.

    records are the counting log of one command: "start", then "line"s, with
    running totals. A photo's figures run from the previous photo's line (or
    the start) to its own. rss_high_water_bytes is the kernel's high-water
    mark in the first sample taken once the photo is done (None if the
    samples carry none): the most the process has held so far, the photo's
    own peak included, wherever it fell between samples.
    """
    previous = next(r for r in records if r["event"] == "start")
    photos = []
    for record in records:
        if record["event"] != "line" or not PHOTO_LINE.match(record["text"]):
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
            }
        )
        previous = record
    return photos


def high_water_after(samples: list[Sample], time_unix_seconds: float) -> int | None:
    after = [s for s in samples if s.time_unix_seconds >= time_unix_seconds]
    return (after[0] if after else samples[-1]).rss_high_water_bytes


def growth_measure(photos: list[dict]) -> str:
    """Which per-photo figure growth is fitted to: each photo's high-water
    mark, or, from a watcher that read none, each photo's sampled peak.

    RSS saws up and down with every decode inside a photo, so its value at
    the moment a photo is done depends on where in the saw that moment falls.
    A sampled peak does too when a photo lasts a few samples (0.12 s is two
    or three at 20 a second): the more samples a photo gets, the higher its
    peak, so photos slowed by a busy machine look like growth. The kernel's
    high-water mark misses nothing between samples.
    """
    if photos and all(photo.get("rss_high_water_bytes") for photo in photos):
        return "rss_high_water_bytes"
    return "rss_peak_bytes"


def fit(photos: list[dict]) -> dict:
    """The growth figures of a report: the slope over the photos' second
    half, the per-photo figure it was fitted to, and the verdict. Photos
    without memory figures (their process never sampled) are left out."""
    measured = [photo for photo in photos if photo.get("rss_peak_bytes") is not None]
    fitted_to = growth_measure(measured)
    slope = growth_bytes_per_photo([photo[fitted_to] for photo in measured])
    return {
        "rss_growth_bytes_per_photo": slope,
        "rss_growth_fitted_to": fitted_to,
        "rss_growth_verdict": verdict(slope, len(measured)),
    }


def growth_bytes_per_photo(rss_bytes: list[int]) -> float | None:
    """Least-squares slope of RSS against photo number over the second half.

    The first photos carry one-time costs (imports, boto3 session, Pillow's
    pools), so only the second half says whether memory keeps growing. None
    with fewer than MINIMUM_PHOTOS photos. Fed the figures growth_measure
    names: a process that keeps growing keeps raising its high-water mark;
    one that does not leaves it flat.
    """
    if len(rss_bytes) < MINIMUM_PHOTOS:
        return None
    half = rss_bytes[len(rss_bytes) // 2 :]
    xs = range(len(half))
    mean_x = sum(xs) / len(half)
    mean_y = sum(half) / len(half)
    covariance = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, half, strict=True))
    variance = sum((x - mean_x) ** 2 for x in xs)
    return round(covariance / variance, 1)


def verdict(bytes_per_photo: float | None, photos_count: int) -> str:
    if bytes_per_photo is None:
        return (
            f"too few photos to tell ({photos_count}; the slope needs {MINIMUM_PHOTOS})"
        )
    if abs(bytes_per_photo) < FLAT_BELOW_BYTES_PER_PHOTO:
        return "flat"
    direction = "grows" if bytes_per_photo > 0 else "shrinks"
    return f"{direction} {abs(bytes_per_photo) / MB:.2f} MB per photo"
