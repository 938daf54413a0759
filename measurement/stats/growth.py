"""Memory per photo, and whether it keeps growing once one-time costs are paid."""

from photos.units import MB

# Below this, even 100 photos add less than 5 MB: within what allocators keep
# around anyway, so it is no leak worth the name.
FLAT_BELOW_BYTES_PER_PHOTO = 50 * 1024
# Two photos in the second half at least: a slope needs two points.
MINIMUM_PHOTOS = 4


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
