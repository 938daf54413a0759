"""The fix's targets in a --compare run, each met and not met, from made-up figures."""

import pytest

from measurement.studies.compare.targets import (
    COLD_QUERIES_MAX,
    ratios,
    targets,
    vips_targets,
)
from photos.units import MB

ALIASES = 9
PHOTOS = 2


def s3(**counts):
    return {"HEAD": 0, "GET": 0, "PUT": 0, "DELETE": 0, "LIST": 0, "POST": 0, **counts}


def stock():
    return {
        "photos_count": PHOTOS,
        "index_cold_seconds": 10.0,
        "index_cold_queries_count": 93,
        "index_cold_s3_requests": s3(HEAD=20, GET=18, PUT=18, DELETE=18),
        "index_cold_rss_peak_bytes": 300 * MB,
        "index_warm_seconds": 0.5,
        "index_warm_queries_count": 21,
        "index_warm_s3_requests": s3(),
        "generate_seconds": 8.0,
        "generate_seconds_per_photo": 4.0,
        "generate_seconds_per_photo_median": 3.9,
        "generate_queries_count": 95,
        "generate_s3_requests": s3(HEAD=21, GET=18, PUT=18, DELETE=18),
        "generate_rss_start_bytes": 60 * MB,
        "generate_rss_peak_bytes": 250 * MB,
        "generate_rss_growth_bytes_per_photo": 0.4 * MB,
    }


def fixed(**changes):
    """The fix's figures, every target met; changes make one miss."""
    return {
        **stock(),
        "index_cold_seconds": 1.0,
        "index_cold_queries_count": 6,
        "index_cold_s3_requests": s3(GET=PHOTOS, PUT=PHOTOS * ALIASES),
        "index_cold_rss_peak_bytes": 120 * MB,
        "index_warm_queries_count": 1,
        "generate_seconds_per_photo_median": 0.26,
        "generate_queries_count": 4,
        # The command's one HEAD of the bucket, then a GET per photo.
        "generate_s3_requests": s3(HEAD=1, GET=PHOTOS, PUT=PHOTOS * ALIASES),
        "generate_rss_peak_bytes": 110 * MB,
        "generate_rss_growth_bytes_per_photo": 0.01 * MB,
        **changes,
    }


FLOOR = {"seconds_per_photo": 0.21, "per_photo_seconds": [0.19, 0.2, 0.21]}


def quality(**changes):
    return {
        "thumbnails_count": PHOTOS * ALIASES,
        "same_names": True,
        "size_mismatches": [],
        "mean_abs_diff_max": 1.2,
        "mean_abs_diff_mean": 0.6,
        "differing": [],
        **changes,
    }


def met(columns_fixed, quality_figures=None, vendor="sqlite"):
    """Each target's name and whether it is met."""
    found = targets(
        {"stock": stock(), "fixed": columns_fixed},
        FLOOR,
        quality_figures or quality(),
        vendor,
    )
    return {item["name"]: item["met"] for item in found}


def test_the_fix_meeting_every_target_is_said_to():
    assert set(met(fixed()).values()) == {True}
    assert len(met(fixed())) == 10


@pytest.mark.parametrize(
    ("changes", "missed"),
    [
        ({"index_warm_queries_count": 2}, "Warm index page: SQL queries"),
        (
            {"index_cold_queries_count": 7},
            "Cold index page: SQL queries, the same for any photo count",
        ),
        (
            {"generate_s3_requests": s3(HEAD=3, GET=PHOTOS, PUT=PHOTOS * ALIASES)},
            "Generate: S3 requests per photo (less the command's one bucket check)",
        ),
        (
            {
                "generate_s3_requests": s3(
                    HEAD=1, GET=PHOTOS, PUT=PHOTOS * ALIASES, DELETE=1
                )
            },
            "Generate: S3 requests per photo (less the command's one bucket check)",
        ),
        (
            {"generate_s3_requests": s3(HEAD=1, GET=PHOTOS * 2, PUT=PHOTOS * ALIASES)},
            "Generate: S3 requests per photo (less the command's one bucket check)",
        ),
        (
            {"generate_seconds_per_photo_median": 0.27},
            "Generate: time per photo / Pillow floor (medians)",
        ),
        (
            {"generate_rss_growth_bytes_per_photo": 0.06 * MB},
            "Generate: RSS growth per photo",
        ),
        (
            {"generate_rss_growth_bytes_per_photo": None},
            "Generate: RSS growth per photo",
        ),
        (
            {"generate_rss_peak_bytes": 250 * MB},
            "Generate: peak RSS below stock's",
        ),
        (
            {"index_cold_rss_peak_bytes": 301 * MB},
            "Index page: peak RSS below stock's",
        ),
    ],
)
def test_each_figure_past_its_target_misses_that_target_alone(changes, missed):
    result = met(fixed(**changes))
    assert [name for name, is_met in result.items() if not is_met] == [missed]


@pytest.mark.parametrize(
    ("changes", "missed"),
    [
        ({"same_names": False}, "Quality: same names and sizes as stock's"),
        (
            {"size_mismatches": ["a.jpg small"]},
            "Quality: same names and sizes as stock's",
        ),
        (
            {"mean_abs_diff_max": 3.0},
            "Quality: mean absolute pixel difference",
        ),
        (
            {"mean_abs_diff_max": None},
            "Quality: mean absolute pixel difference",
        ),
    ],
)
def test_thumbnails_apart_from_stocks_miss_the_quality_target(changes, missed):
    result = met(fixed(), quality(**changes))
    assert [name for name, is_met in result.items() if not is_met] == [missed]


def test_a_differing_thumbnail_is_counted():
    differing = [{"photo": "a.jpg", "alias": "small", "reason": "3.1 of 255"}]
    found = targets(
        {"stock": stock(), "fixed": fixed()}, FLOOR, quality(differing=differing)
    )
    item = next(t for t in found if t["name"].startswith("Quality: thumbnails"))
    assert (item["measured"], item["met"]) == (1, False)


def test_the_cold_pages_bound_is_the_databases_own():
    """PostgreSQL's maker locks cost two queries SQLite's file lock does not."""
    assert COLD_QUERIES_MAX == {"sqlite": 6, "postgresql": 8}
    on_postgres = fixed(index_cold_queries_count=8)
    assert met(on_postgres, vendor="postgresql")[
        "Cold index page: SQL queries, the same for any photo count"
    ]
    assert not met(on_postgres)[
        "Cold index page: SQL queries, the same for any photo count"
    ]


def test_the_targets_say_what_was_measured():
    found = {
        item["name"]: item
        for item in targets({"stock": stock(), "fixed": fixed()}, FLOOR, quality())
    }
    assert (
        found["Generate: S3 requests per photo (less the command's one bucket check)"][
            "measured"
        ]
        == "GET 1, HEAD 0, DELETE 0, PUT 9"
    )
    assert found["Generate: time per photo / Pillow floor (medians)"]["measured"] == (
        "1.30 (0.260 s / 0.200 s)"
    )
    assert found["Generate: RSS growth per photo"]["measured"] == "0.010 MB"


def test_ratios_are_fixed_over_stock_with_s3_requests_in_all():
    result = ratios(stock(), fixed())
    assert result["index_cold_queries_count"] == round(6 / 93, 4)
    assert result["index_cold_s3_requests"] == round(20 / 74, 4)
    # Stock made no request on the warm page: no ratio to give.
    assert result["index_warm_s3_requests"] is None
    assert "photos_count" not in result


def test_the_fix_with_vips_decode_is_held_to_the_libvips_floor():
    """Generate's median and the cold page's time per photo, each against the
    libvips floor's median; and its thumbnails against stock's."""
    fixed_vips = {
        "photos_count": 10,
        "index_cold_seconds": 2.5,
        "generate_seconds_per_photo_median": 0.18,
    }
    floor = {"seconds_per_photo": 0.16, "per_photo_seconds": [0.1, 0.15, 0.2]}
    quality = {"differing": []}

    generate, cold, same = vips_targets(fixed_vips, floor, quality)

    assert (generate["measured"], generate["met"]) == ("1.20 (0.180 s / 0.150 s)", True)
    assert (cold["measured"], cold["met"]) == ("1.67 (0.250 s / 0.150 s)", False)
    assert (same["measured"], same["met"]) == (0, True)
