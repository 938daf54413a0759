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
    the start) to its own.
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
                "queries_count": record["queries_count"] - previous["queries_count"],
            }
        )
        previous = record
    return photos


def growth_bytes_per_photo(rss_bytes: list[int]) -> float | None:
    """Least-squares slope of RSS against photo number over the second half.

    The first photos carry one-time costs (imports, boto3 session, Pillow's
    pools), so only the second half says whether memory keeps growing. None
    with fewer than MINIMUM_PHOTOS photos. Fed each photo's peak:
    RSS saws up and down with every decode inside a photo, so its value at the
    moment a photo is done depends on where in the saw that moment falls; the
    peak does not.
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
