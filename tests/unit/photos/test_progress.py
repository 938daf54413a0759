"""A photo's progress line reads back as the figures it was written with."""

from photos.progress import photo_done_line, photo_failed_line, read_photo_figures
from photos.units import MB


def test_a_done_line_reads_back_as_its_seconds_rss_and_queries():
    line = photo_done_line(
        3, 20, 41, seconds=1.674, rss_bytes=int(108.9 * MB), queries=47
    )

    assert read_photo_figures(line) == {
        "seconds": 1.67,
        "rss_bytes": round(108.9 * MB),
        "queries_count": 47,
    }


def test_the_rss_it_reads_is_the_line_s_rounded_megabytes():
    # The line keeps one decimal of a megabyte: what comes back is that, not
    # the exact bytes the command measured.
    line = photo_done_line(1, 1, 1, seconds=0.5, rss_bytes=100 * MB + 12345, queries=1)

    assert read_photo_figures(line)["rss_bytes"] == 100 * MB


def test_a_line_that_is_not_a_done_photo_has_no_figures():
    assert (
        read_photo_figures(photo_failed_line(1, 2, 9, "a.jpg", "no such key")) is None
    )
    assert read_photo_figures("Generated 20 photos.") is None
