"""The comparison of stock's thumbnails with the fix's names every one that differs."""

from PIL import Image

from measurement.studies.compare.markdown import differing
from measurement.studies.compare.quality import compare_thumbnails, summary


def grey(level: int, size=(60, 40)) -> Image.Image:
    return Image.new("RGBA", size, (level, level, level, 255))


STOCK = {
    ("same.jpg", "small"): grey(100),
    ("close.jpg", "small"): grey(100),
    ("far.jpg", "small"): grey(100),
    ("resized.jpg", "small"): grey(100),
    ("missing.jpg", "small"): grey(100),
    ("broken.jpg", "small"): None,
    ("only-fix-fails.jpg", "small"): grey(100),
    ("fails-otherwise.jpg", "small"): None,
}
FIXED = {
    ("same.jpg", "small"): grey(100),
    ("close.jpg", "small"): grey(102),
    ("far.jpg", "small"): grey(103),
    ("resized.jpg", "small"): grey(100, size=(60, 41)),
    ("missing.jpg", "small"): None,
    ("broken.jpg", "small"): None,
    ("only-fix-fails.jpg", "small"): None,
    ("fails-otherwise.jpg", "small"): None,
}
STOCK_ERRORS = {
    "broken.jpg": "its original is not a readable image",
    "fails-otherwise.jpg": "its original is not a readable image",
}
FIXED_ERRORS = {
    "broken.jpg": "its original is not a readable image",
    "only-fix-fails.jpg": "its thumbnails could not be made",
    "fails-otherwise.jpg": "its thumbnails could not be made",
}


def test_each_thumbnail_that_differs_is_named_with_why():
    rows = compare_thumbnails(STOCK, FIXED, STOCK_ERRORS, FIXED_ERRORS)

    assert summary(rows)["differing"] == [
        {
            "photo": "far.jpg",
            "alias": "small",
            "reason": "mean absolute difference 3.0 of 255 in R, 3 or more",
        },
        {
            "photo": "resized.jpg",
            "alias": "small",
            "reason": "the fix made 60x41, stock 60x40",
        },
        {
            "photo": "missing.jpg",
            "alias": "small",
            "reason": "the fix made no thumbnail",
        },
        {
            "photo": "only-fix-fails.jpg",
            "alias": "small",
            "reason": "the fix failed: its thumbnails could not be made",
        },
        {
            "photo": "fails-otherwise.jpg",
            "alias": "small",
            "reason": "stock failed: its original is not a readable image, "
            "the fix failed: its thumbnails could not be made",
        },
    ]


def test_the_figures_count_the_thumbnails_stock_made():
    rows = compare_thumbnails(STOCK, FIXED, STOCK_ERRORS, FIXED_ERRORS)

    figures = summary(rows)

    assert figures["thumbnails_count"] == 6
    assert figures["same_names"] is False
    assert figures["size_mismatches"] == ["resized.jpg small"]
    assert figures["mean_abs_diff_max"] == 3.0
    assert figures["mean_abs_diff_mean"] == round((0 + 2 + 3) / 3, 3)


def test_the_report_lists_them_or_says_none_differ():
    rows = compare_thumbnails(STOCK, FIXED, STOCK_ERRORS, FIXED_ERRORS)
    same = {key: STOCK[key] for key in [("same.jpg", "small"), ("close.jpg", "small")]}

    assert differing(summary(rows))[1] == (
        "- resized.jpg, small: the fix made 60x41, stock 60x40"
    )
    assert differing(summary(compare_thumbnails(same, FIXED, {}, {}))) == [
        "None: each of the 2 thumbnails has stock's name and size, and differs by "
        "at most 2.0 of 255 in any channel on average."
    ]
