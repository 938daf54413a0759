"""The --compare report gives the fix's time per photo against both floors."""

from measurement.studies.compare.markdown import floor_lines


def test_the_fix_is_given_as_a_multiple_of_each_floor():
    report = {
        "columns": {
            "stock": {
                "generate_seconds_per_photo": 2.0,
                "generate_seconds_per_photo_median": 1.8,
            },
            "fixed": {
                "generate_seconds_per_photo": 0.4,
                "generate_seconds_per_photo_median": 0.36,
            },
        },
        "pillow_floor": {"seconds_per_photo": 0.3, "per_photo_seconds": [0.3, 0.3]},
        "vips_floor": {"seconds_per_photo": 0.15, "per_photo_seconds": [0.2, 0.1]},
    }
    lines = floor_lines(report)
    assert lines[0].startswith("- Pillow alone, each original read from local disk")
    assert (
        "0.300 s per photo (median 0.300 s). Stock takes 6.7 x that, the fix "
        "**1.33 x** (medians: 6.0 x and 1.20 x)." in lines[0]
    )
    assert lines[1].startswith("- libvips alone (pyvips)")
    assert (
        "0.150 s per photo (median 0.150 s). Stock takes 13.3 x that, the fix "
        "**2.67 x** (medians: 12.0 x and 2.40 x)." in lines[1]
    )
    assert "vips_decode" not in lines[1]  # no such column in this report

    # Against a libvips floor, the fix with its libvips part is given too.
    report["columns"]["fixed_vips"] = {
        "generate_seconds_per_photo": 0.3,
        "generate_seconds_per_photo_median": 0.24,
    }
    lines = floor_lines(report)
    assert "vips_decode" not in lines[0]
    assert lines[1].endswith("The fix with vips_decode **2.00 x** (median 1.60 x).")
