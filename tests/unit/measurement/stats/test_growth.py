import numpy as np
import pytest

from measurement.stats import growth
from photos.units import MB

SEEDS = range(20)


def high_water_marks(peaks) -> list[int]:
    """The kernel's high-water mark as each photo is done: the most held so far."""
    return [int(mark) for mark in np.maximum.accumulate(peaks)]


def test_growth_takes_sampled_peaks_when_the_watcher_read_no_high_water_mark():
    """Samples from a process tree or another system carry no high-water mark."""
    photos = [
        {"rss_peak_bytes": 60 * MB, "rss_high_water_bytes": None},
        {"rss_peak_bytes": 62 * MB, "rss_high_water_bytes": None},
    ]
    assert growth.growth_measure(photos) == "rss_peak_bytes"


@pytest.mark.parametrize("seed", SEEDS)
def test_a_steady_leak_of_one_mb_a_photo_grows(seed):
    """Each photo keeps 1 MB more; its own peak wanders by 0.3 MB around that."""
    noise = np.random.default_rng(seed).normal(0, 0.3 * MB, 20)
    peaks = 150 * MB + np.arange(20) * MB + noise

    memory = growth.memory_growth(high_water_marks(peaks))

    assert memory["verdict"] == "grows"
    low, high = memory["ci95_bytes_per_photo"]
    assert low <= 1 * MB <= high
    assert 0.7 * MB < memory["bytes_per_photo"] < 1.3 * MB


def test_one_step_after_the_warm_up_is_not_growth():
    """A 3.2 MB step at photo 9 (an arena added), flat before and after: the
    slope of the old verdict read it as 0.3 MB per photo."""
    peaks = [150 * MB] * 8 + [153.2 * MB] * 12

    memory = growth.memory_growth(high_water_marks(peaks))

    assert memory["verdict"] == "does not grow"
    assert memory["bytes_per_photo"] == 0
    assert memory["ci95_bytes_per_photo"] == [0, 0]
    assert memory["steps"] == [{"photo_number": 9, "bytes": int(3.2 * MB)}]


@pytest.mark.parametrize("seed", SEEDS)
def test_flat_memory_with_noise_and_steps_does_not_grow(seed):
    """Peaks that wander by up to 40 KB a photo, as a warmed process's do, and
    two one-time steps after the warm-up: no growth, both steps named."""
    rng = np.random.default_rng(seed)
    peaks = 150 * MB + rng.uniform(0, 40 * 1024, 20)
    peaks[9:] += 2 * MB
    peaks[15:] += 3 * MB

    memory = growth.memory_growth(high_water_marks(peaks))

    assert memory["verdict"] == "does not grow"
    assert [step["photo_number"] for step in memory["steps"]] == [10, 16]


def test_a_big_first_photo_is_warm_up_not_growth():
    """The first photos pay the one-time costs: 80 MB at photo 1 counts for nothing."""
    peaks = [60 * MB] + [140 * MB] * 19
    assert growth.memory_growth(high_water_marks(peaks))["verdict"] == "does not grow"


@pytest.mark.parametrize("photos", [1, 2, 5, 11])
def test_too_few_photos_cannot_tell(photos):
    """Five photos, even of a steady leak, give no interval: cannot tell, and
    the report names a photo count that can."""
    peaks = 150 * MB + np.arange(photos) * MB

    memory = growth.memory_growth(high_water_marks(peaks))

    assert memory["verdict"] == "cannot tell"
    assert memory["ci95_bytes_per_photo"] is None
    assert growth.verdict_text(memory) == (
        f"cannot tell from {photos} photos (the interval needs 12)"
    )
    assert growth.photos_to_tell(photos) == 20


def test_twelve_photos_are_enough_for_an_interval():
    memory = growth.memory_growth([150 * MB] * 12)
    assert memory["verdict"] == "does not grow"
    assert memory["photos_fitted"] == 7


def test_an_interval_across_the_threshold_cannot_tell():
    """Memory rises by about the threshold a photo, in uneven rises: the slope
    could lie either side of it."""
    rises = [0, 100 * 1024, 20 * 1024, 80 * 1024] * 4
    peaks = 150 * MB + np.cumsum([0] * 5 + rises[:15])

    memory = growth.memory_growth(high_water_marks(peaks))

    assert memory["verdict"] == "cannot tell"
    low, high = memory["ci95_bytes_per_photo"]
    assert low < growth.FLAT_BELOW_BYTES_PER_PHOTO <= high
    assert growth.photos_to_tell(20) == 40


def test_a_leak_every_other_photo_grows_by_half_of_it():
    """1 MB at every second photo is a sustained rise, not a series of steps."""
    peaks = 150 * MB + np.cumsum([0] * 6 + [0, 1 * MB] * 7)

    memory = growth.memory_growth(high_water_marks(peaks))

    assert memory["verdict"] == "grows"
    assert memory["steps"] == []
    assert 0.4 * MB <= memory["bytes_per_photo"] <= 0.6 * MB


def test_the_verdict_in_words_gives_the_estimate_and_its_interval():
    memory = growth.memory_growth(high_water_marks(150 * MB + np.arange(20) * MB))
    assert growth.verdict_text(memory) == (
        "grows: +1.00 MB per photo (95% interval +1.00 to +1.00)"
    )
