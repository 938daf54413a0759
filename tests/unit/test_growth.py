from measurement import growth
from measurement.watcher import Sample
from photos.units import MB


def sample(time_unix_seconds, rss_bytes, rss_high_water_bytes=None):
    return Sample(
        time_unix_seconds,
        time_unix_seconds - 100.0,
        rss_bytes,
        None,
        rss_high_water_bytes,
    )


def test_per_photo_runs_from_the_previous_line_to_each_photo_line():
    """Each photo's seconds, RSS and queries run from the previous photo's line."""
    records = [
        {"event": "start", "time_unix_seconds": 100.0, "queries_count": 0},
        {
            "event": "line",
            "text": "Loading",
            "time_unix_seconds": 100.5,
            "queries_count": 2,
        },
        {
            "event": "line",
            "text": "photo 1/2 (#1): 1.00 s",
            "time_unix_seconds": 102.0,
            "queries_count": 50,
        },
        {
            "event": "line",
            "text": "photo 2/2 (#2): 1.50 s",
            "time_unix_seconds": 103.5,
            "queries_count": 97,
        },
        {
            "event": "line",
            "text": "Generated all",
            "time_unix_seconds": 103.6,
            "queries_count": 97,
        },
        {"event": "end", "time_unix_seconds": 103.7, "queries_count": 97},
    ]
    samples = [
        sample(100.0, 50 * MB),
        sample(101.0, 140 * MB),
        sample(101.9, 110 * MB),
        sample(103.0, 150 * MB),
        sample(103.4, 111 * MB),
    ]
    assert growth.per_photo(records, samples) == [
        {
            "photo_number": 1,
            "seconds": 2.0,
            "rss_bytes": 110 * MB,
            "rss_peak_bytes": 140 * MB,
            "rss_high_water_bytes": None,
            "queries_count": 50,
        },
        {
            "photo_number": 2,
            "seconds": 1.5,
            "rss_bytes": 111 * MB,
            "rss_peak_bytes": 150 * MB,
            "rss_high_water_bytes": None,
            "queries_count": 47,
        },
    ]


def test_a_photos_high_water_mark_is_the_first_one_taken_once_it_is_done():
    """The high-water mark read after a photo's line holds its peak, even one
    that fell between samples."""
    records = [
        {"event": "start", "time_unix_seconds": 100.0, "queries_count": 0},
        {
            "event": "line",
            "text": "photo 1/2",
            "time_unix_seconds": 101.0,
            "queries_count": 6,
        },
        {
            "event": "line",
            "text": "photo 2/2",
            "time_unix_seconds": 102.0,
            "queries_count": 12,
        },
    ]
    samples = [
        sample(100.0, 50 * MB, 50 * MB),
        sample(100.9, 60 * MB, 130 * MB),
        sample(101.05, 60 * MB, 131 * MB),
        sample(102.1, 62 * MB, 133 * MB),
    ]
    photos = growth.per_photo(records, samples)
    assert [p["rss_high_water_bytes"] for p in photos] == [131 * MB, 133 * MB]
    assert [p["rss_peak_bytes"] for p in photos] == [60 * MB, 60 * MB]
    assert growth.growth_measure(photos) == "rss_high_water_bytes"


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
