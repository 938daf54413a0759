"""The fix's targets, each met or not, from the figures of one --compare run.

Plain functions of the columns' figures, the floors and the thumbnail
comparison: what report.json's "targets" holds.
"""

from measurement.metadata import project_aliases
from measurement.stats.counts import total
from measurement.stats.percentiles import median
from measurement.studies.compare.quality import MEAN_ABS_DIFF_MAX
from photos.page_costs import COLD_QUERIES_MAX, WARM_QUERIES_MAX
from photos.units import MB

FLOOR_RATIO_MAX = 1.3
# generate_all_thumbnail_aliases checks the bucket (a HEAD of the bucket, not
# of an object) once before its first photo: not a request of any photo.
COMMAND_BUCKET_CHECKS = {"HEAD": 1}
RSS_GROWTH_BYTES_PER_PHOTO_MAX = 0.05 * MB


def ratios(stock: dict, fixed: dict) -> dict:
    """fixed / stock for every figure (S3 requests in all)."""
    result = {}
    for key, value in stock.items():
        if key == "photos_count":
            continue
        before, after = total(value), total(fixed[key])
        result[key] = round(after / before, 4) if before else None
    return result


def targets(
    columns: dict, floor: dict, quality: dict, vendor: str = "sqlite"
) -> list[dict]:
    stock, fixed = columns["stock"], columns["fixed"]
    photos = fixed["photos_count"]
    aliases = len(project_aliases())
    generate = {
        op: count - COMMAND_BUCKET_CHECKS.get(op, 0)
        for op, count in fixed["generate_s3_requests"].items()
    }
    floor_median = median(floor["per_photo_seconds"])
    floor_ratio = fixed["generate_seconds_per_photo_median"] / floor_median
    growth = fixed["generate_rss_growth_bytes_per_photo"]
    return [
        target(
            "Warm index page: SQL queries",
            f"<= {WARM_QUERIES_MAX}",
            fixed["index_warm_queries_count"],
            fixed["index_warm_queries_count"] <= WARM_QUERIES_MAX,
        ),
        target(
            "Cold index page: SQL queries, the same for any photo count",
            f"<= {COLD_QUERIES_MAX[vendor]}",
            fixed["index_cold_queries_count"],
            fixed["index_cold_queries_count"] <= COLD_QUERIES_MAX[vendor],
        ),
        target(
            "Generate: S3 requests per photo (less the command's one bucket check)",
            f"GET 1, HEAD 0, DELETE 0, PUT {aliases}",
            ", ".join(
                f"{op} {generate.get(op, 0) / photos:g}"
                for op in ("GET", "HEAD", "DELETE", "PUT")
            ),
            (generate.get("GET", 0), generate.get("HEAD", 0), generate.get("DELETE", 0))
            == (photos, 0, 0)
            and generate.get("PUT", 0) == aliases * photos,
        ),
        target(
            "Generate: time per photo / Pillow floor (medians)",
            f"<= {FLOOR_RATIO_MAX}",
            f"{floor_ratio:.2f} ({fixed['generate_seconds_per_photo_median']:.3f} s / "
            f"{floor_median:.3f} s)",
            floor_ratio <= FLOOR_RATIO_MAX,
        ),
        target(
            "Generate: RSS growth per photo",
            "<= 0.05 MB",
            f"{growth / MB:.3f} MB" if growth is not None else "n/a",
            growth is not None and growth <= RSS_GROWTH_BYTES_PER_PHOTO_MAX,
        ),
        target(
            "Generate: peak RSS below stock's",
            f"< {stock['generate_rss_peak_bytes'] / MB:.1f} MB",
            f"{fixed['generate_rss_peak_bytes'] / MB:.1f} MB",
            fixed["generate_rss_peak_bytes"] < stock["generate_rss_peak_bytes"],
        ),
        target(
            "Index page: peak RSS below stock's",
            f"< {stock['index_cold_rss_peak_bytes'] / MB:.1f} MB",
            f"{fixed['index_cold_rss_peak_bytes'] / MB:.1f} MB",
            fixed["index_cold_rss_peak_bytes"] < stock["index_cold_rss_peak_bytes"],
        ),
        target(
            "Quality: same names and sizes as stock's",
            f"{quality['thumbnails_count']} thumbnails, 0 size mismatches",
            f"{len(quality['size_mismatches'])} size mismatches",
            quality["same_names"] and not quality["size_mismatches"],
        ),
        target(
            "Quality: thumbnails that differ from stock's",
            "0",
            len(quality["differing"]),
            not quality["differing"],
        ),
        target(
            "Quality: mean absolute pixel difference",
            f"< {MEAN_ABS_DIFF_MAX} of 255",
            f"max {quality['mean_abs_diff_max']}, mean {quality['mean_abs_diff_mean']}",
            quality["mean_abs_diff_max"] is not None
            and quality["mean_abs_diff_max"] < MEAN_ABS_DIFF_MAX,
        ),
    ]


def vips_targets(fixed_vips: dict, vips_floor: dict, quality: dict) -> list[dict]:
    """The fix with vips_decode against the libvips floor, and against stock's
    thumbnails."""
    floor_median = median(vips_floor["per_photo_seconds"])
    photos = fixed_vips["photos_count"]
    cold_per_photo = fixed_vips["index_cold_seconds"] / photos
    generate_ratio = fixed_vips["generate_seconds_per_photo_median"] / floor_median
    cold_ratio = cold_per_photo / floor_median
    return [
        target(
            "Generate with vips_decode: time per photo / libvips floor (medians)",
            f"<= {FLOOR_RATIO_MAX}",
            f"{generate_ratio:.2f} "
            f"({fixed_vips['generate_seconds_per_photo_median']:.3f} s / "
            f"{floor_median:.3f} s)",
            generate_ratio <= FLOOR_RATIO_MAX,
        ),
        target(
            "Cold index page with vips_decode: time per photo / libvips floor",
            f"<= {FLOOR_RATIO_MAX}",
            f"{cold_ratio:.2f} ({cold_per_photo:.3f} s / {floor_median:.3f} s)",
            cold_ratio <= FLOOR_RATIO_MAX,
        ),
        target(
            "Quality with vips_decode: thumbnails that differ from stock's",
            "0",
            len(quality["differing"]),
            not quality["differing"],
        ),
    ]


def target(name: str, wanted: str, measured, met: bool) -> dict:
    return {"name": name, "target": wanted, "measured": measured, "met": bool(met)}
