from measurement.probes.samples import Sample
from measurement.stats.rss import rss_at, rss_figures


def samples(*pairs):
    return [Sample(t, t, rss, None) for t, rss in pairs]


def test_start_and_end_are_the_last_samples_at_or_before_each_moment():
    """Start and end are the last readings before each moment; the peak lies between."""
    taken = samples((0.0, 10), (1.0, 20), (2.0, 90), (3.0, 40), (4.0, 30))
    assert rss_figures(taken, 1.5, 3.5) == {
        "rss_start_bytes": 20,
        "rss_peak_bytes": 90,
        "rss_end_bytes": 40,
    }


def test_a_moment_before_the_first_sample_takes_the_first():
    assert rss_at(samples((5.0, 7), (6.0, 8)), 1.0) == 7


def test_the_peak_is_never_below_start_or_end():
    """With no sample inside the stretch, the peak is the larger of start and end."""
    taken = samples((0.0, 50), (10.0, 20))
    assert rss_figures(taken, 1.0, 2.0)["rss_peak_bytes"] == 50
