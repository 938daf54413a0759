from measurement.stats import growth
from photos.units import MB


def test_growth_takes_sampled_peaks_when_the_watcher_read_no_high_water_mark():
    """Samples from a process tree or another system carry no high-water mark."""
    photos = [
        {"rss_peak_bytes": 60 * MB, "rss_high_water_bytes": None},
        {"rss_peak_bytes": 62 * MB, "rss_high_water_bytes": None},
    ]
    assert growth.growth_measure(photos) == "rss_peak_bytes"


def test_growth_is_the_slope_over_the_second_half_only():
    """One-time costs of the first photos do not count as growth."""
    rss_bytes = [10 * MB, 90 * MB, 91 * MB, 92 * MB] + [
        100 * MB + n * 300_000 for n in range(4)
    ]
    assert growth.growth_bytes_per_photo(rss_bytes) == 300_000.0


def test_growth_needs_four_photos():
    """With fewer than four photos there is no second half to fit a slope to."""
    assert growth.growth_bytes_per_photo([1, 2, 3]) is None
    assert growth.growth_bytes_per_photo([0, 0, 10, 20]) == 10.0


def test_verdicts():
    """The verdict says grows, shrinks or flat, in MB per photo."""
    assert growth.verdict(0.3 * MB, 20) == "grows 0.30 MB per photo"
    assert growth.verdict(-2 * MB, 20) == "shrinks 2.00 MB per photo"
    assert growth.verdict(10_000, 20) == "flat"
    assert growth.verdict(None, 2) == "too few photos to tell (2; the slope needs 4)"
