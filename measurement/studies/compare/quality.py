"""How far the fix's thumbnails are from stock's: names, sizes, pixels.

Plain functions of the images each made (compare.thumbnails makes them); the
tests hold the fix to the same comparison on their corpus of images.
"""

# A thumbnail of the fix's differs from stock's when any channel (R, G, B,
# A) differs by this much on average, of 255.
MEAN_ABS_DIFF_MAX = 3


def compare_thumbnails(
    stock: dict, fixed: dict, stock_errors: dict, fixed_errors: dict
) -> list[dict]:
    """One row per (photo, alias) stock was asked for: what each made, how far
    apart, and why they differ (None when they do not).

    stock and fixed are made_thumbnails() of each run; the errors map a
    photo's file name to the reason its thumbnails failed in that run. A
    photo stock cannot thumbnail may fail with the fix too, for the same reason.
    """
    from PIL import ImageChops, ImageStat

    rows = []
    for photo, alias in stock:
        stock_image, fixed_image = stock[photo, alias], fixed.get((photo, alias))
        row = {
            "photo": photo,
            "alias": alias,
            "stock_size": stock_image and list(stock_image.size),
            "fixed_size": fixed_image and list(fixed_image.size),
            "stock_error": stock_errors.get(photo),
            "fixed_error": fixed_errors.get(photo),
            "mean_abs_diff": None,
            "differs": None,
        }
        made = {"stock": _made(row, "stock"), "the fix": _made(row, "fixed")}
        if stock_image is None:
            if (row["fixed_error"], fixed_image) != (row["stock_error"], None):
                row["differs"] = f"stock {made['stock']}, the fix {made['the fix']}"
        elif fixed_image is None:
            row["differs"] = f"the fix {made['the fix']}"
        elif fixed_image.size != stock_image.size:
            row["differs"] = f"the fix made {made['the fix']}, stock {made['stock']}"
        else:
            means = ImageStat.Stat(ImageChops.difference(stock_image, fixed_image)).mean
            row["mean_abs_diff"] = round(max(means), 3)
            if row["mean_abs_diff"] >= MEAN_ABS_DIFF_MAX:
                channel = "RGBA"[means.index(max(means))]
                row["differs"] = (
                    f"mean absolute difference {row['mean_abs_diff']} of 255 in "
                    f"{channel}, {MEAN_ABS_DIFF_MAX} or more"
                )
        rows.append(row)
    return rows


def _made(row: dict, run: str) -> str:
    if row[f"{run}_error"]:
        return f"failed: {row[f'{run}_error']}"
    if row[f"{run}_size"] is None:
        return "made no thumbnail"
    return "{}x{}".format(*row[f"{run}_size"])


def summary(rows: list[dict]) -> dict:
    """The comparison in figures, and every thumbnail that differs, named."""
    made = [row for row in rows if row["stock_size"]]
    both = [row for row in made if row["fixed_size"]]
    differences = [
        row["mean_abs_diff"] for row in both if row["mean_abs_diff"] is not None
    ]
    return {
        "thumbnails_count": len(made),
        "same_names": len(both) == len(made),
        "size_mismatches": [
            f"{row['photo']} {row['alias']}"
            for row in both
            if row["fixed_size"] != row["stock_size"]
        ],
        "mean_abs_diff_max": round(max(differences), 3) if differences else None,
        "mean_abs_diff_mean": round(sum(differences) / len(differences), 3)
        if differences
        else None,
        "differing": [
            {"photo": row["photo"], "alias": row["alias"], "reason": row["differs"]}
            for row in rows
            if row["differs"]
        ],
    }
