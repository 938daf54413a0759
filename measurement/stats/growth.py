"""Memory per photo, and whether it keeps growing once one-time costs are paid.

The verdict is the slope of the per-photo high-water mark over the photos
after the warm-up, with its one-time steps taken out: Theil-Sen's median of
pairwise slopes with its 95% interval (scipy.stats.theilslopes). Why so:

- The high-water mark can only rise, so a line through one step reads as
  growth; a least-squares line does at any step, and Theil-Sen does too once
  the step is near the middle of the run, where more than half of the pairs
  straddle it. A one-time cost (a pool grown, an allocator arena added)
  raises the mark at one photo by far more than its neighbours' rises; a
  leak raises it at (nearly) every photo by about the same. So a rise of at
  least STEP_MIN_BYTES that stands out from the others (more than
  STEP_FENCE robust deviations above their median) is a step: it is named
  in the report and left out of the line.
- What is left is the sustained rise, and Theil-Sen fits it robustly: a
  photo whose mark wanders by a few hundred KB moves its slope little,
  where the median of the photo-to-photo rises, over the 15 rises of a
  default run, has an interval too wide to tell 0.15 MB a photo from none.
- It is exact: no resampling, so the same figures give the same verdict.

SciPy is imported where it fits, not with this module: a run stopped before
its report (Ctrl-C, an error) neither loads it nor waits, at exit, for the
interpreter to tear it down.
"""

import numpy as np

from photos.units import MB

# Below this, even 100 photos add less than 5 MB: within what allocators keep
# around anyway, so it is no leak worth the name.
FLAT_BELOW_BYTES_PER_PHOTO = 50 * 1024
# The first photos pay the one-time costs (imports, the boto3 session,
# Pillow's and the allocator's pools); never more than half a short run.
WARM_UP_PHOTOS = 5
CONFIDENCE = 0.95
# A rise is a one-time step when it is at least this and stands more than
# STEP_FENCE scaled median absolute deviations above the median rise: a
# leak's rises are alike, a step is not like the others.
STEP_MIN_BYTES = 1 * MB
STEP_FENCE = 5
# Photos a run needs for the verdict: the warm-up and seven after it. Fewer
# points let one photo's wander carry the slope's interval.
PHOTOS_TO_TELL = WARM_UP_PHOTOS + 7
DEFAULT_PHOTOS_TO_TELL = 20
METHOD = (
    "Theil-Sen slope of the per-photo high-water mark after the warm-up, "
    "one-time steps taken out, with its 95% interval (scipy.stats.theilslopes)"
)


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
    """The growth figures of a report: the memory verdict (memory_growth), the
    per-photo figure it was fitted to, and, under the keys reports have always
    had, its estimate and a line saying it. Photos without memory figures
    (their process never sampled) are left out."""
    measured = [photo for photo in photos if photo.get("rss_peak_bytes") is not None]
    fitted_to = growth_measure(measured)
    growth = memory_growth(
        [photo[fitted_to] for photo in measured],
        # A worker's photos are numbered by the order it made them in.
        [photo.get("photo_number", n) for n, photo in enumerate(measured, start=1)],
    )
    return {
        "rss_growth_bytes_per_photo": growth["bytes_per_photo"],
        "rss_growth_fitted_to": fitted_to,
        "rss_growth_verdict": verdict_text(growth),
        "rss_growth": growth,
    }


def warm_up_photos(photos_count: int) -> int:
    return min(WARM_UP_PHOTOS, photos_count // 2)


def memory_growth(rss_bytes: list[int], photo_numbers: list[int] | None = None) -> dict:
    """Whether memory keeps growing per photo: "grows", "does not grow" or
    "cannot tell", from each photo's figure (rss_bytes, in photo order).

    "grows" when the whole interval of the sustained slope lies at or above
    FLAT_BELOW_BYTES_PER_PHOTO, "does not grow" when it lies below, "cannot
    tell" otherwise and when too few photos were fitted. Steps are the
    one-time rises left out of the slope.
    """
    from scipy import stats

    photo_numbers = photo_numbers or list(range(1, len(rss_bytes) + 1))
    warm_up = warm_up_photos(len(rss_bytes))
    fitted = np.array(rss_bytes[warm_up:], dtype=float)
    rises = np.diff(fitted)
    is_step = one_time_steps(rises)
    low = high = estimate = None
    if len(rises):
        sustained = np.concatenate([[0.0], np.cumsum(np.where(is_step, 0.0, rises))])
        line = stats.theilslopes(sustained, alpha=CONFIDENCE)
        estimate = round(float(line.slope), 1)
        # Fewer photos give an estimate, but no interval to judge it by.
        if len(fitted) >= PHOTOS_TO_TELL - WARM_UP_PHOTOS:
            low = round(float(line.low_slope), 1)
            high = round(float(line.high_slope), 1)
    if low is None:
        verdict = "cannot tell"
    elif low >= FLAT_BELOW_BYTES_PER_PHOTO:
        verdict = "grows"
    elif high < FLAT_BELOW_BYTES_PER_PHOTO:
        verdict = "does not grow"
    else:
        verdict = "cannot tell"
    rising = photo_numbers[warm_up + 1 :]
    return {
        "verdict": verdict,
        "bytes_per_photo": estimate,
        "ci95_bytes_per_photo": None if low is None else [low, high],
        "photos_count": len(rss_bytes),
        "photos_fitted": len(fitted),
        "warm_up_photos_count": warm_up,
        "steps": [
            {"photo_number": number, "bytes": int(rise)}
            for number, rise, step in zip(rising, rises, is_step, strict=True)
            if step
        ],
        "method": METHOD,
    }


def one_time_steps(rises: np.ndarray) -> np.ndarray:
    """Which rises are one-time steps, not part of a sustained rise."""
    from scipy import stats

    if not len(rises):
        return np.zeros(0, dtype=bool)
    centre = np.median(rises)
    spread = stats.median_abs_deviation(rises, scale="normal")
    return (rises >= STEP_MIN_BYTES) & (rises > centre + STEP_FENCE * spread)


def photos_to_tell(photos_count: int) -> int:
    """The --photos of a run that can tell, for a run that could not."""
    if photos_count < PHOTOS_TO_TELL:
        return max(DEFAULT_PHOTOS_TO_TELL, PHOTOS_TO_TELL)
    return photos_count * 2


def verdict_text(growth: dict) -> str:
    """The verdict in a few words, with its estimate and interval."""
    if growth["ci95_bytes_per_photo"] is None:
        return (
            f"cannot tell from {growth['photos_count']} photos "
            f"(the interval needs {PHOTOS_TO_TELL})"
        )
    low, high = growth["ci95_bytes_per_photo"]
    return (
        f"{growth['verdict']}: {growth['bytes_per_photo'] / MB:+.2f} MB per photo "
        f"(95% interval {low / MB:+.2f} to {high / MB:+.2f})"
    )
