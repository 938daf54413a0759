"""The arithmetic of `reproduce --peers`: each row's figures, the columns
they are ranked on, and where the fix is not the best. Plain dicts in and
out; the run and the writers (markdown, chart) both import it."""

from measurement.stats.counts import total
from measurement.stats.figures import flat_figures
from measurement.stats.growth import FLAT_BELOW_BYTES_PER_PHOTO

FIXED = "fixed"
# Column key: (title, unit, how far a figure may be above the best and still
# count as level with it). Counts are exact; time and memory move from run to
# run, so a few percent either way is no difference.
COLUMNS = {
    "load_seconds": ("load_photos: time", "s", 0.05),
    "load_s3_requests": ("load_photos: S3 requests", "", 0),
    "index_cold_seconds": ("cold page: time", "s", 0.05),
    "index_cold_queries_count": ("cold page: SQL queries", "", 0),
    "index_cold_s3_requests": ("cold page: S3 requests", "", 0),
    "index_cold_s3_bytes": ("cold page: S3 body bytes", "MB", 0),
    "index_cold_rss_peak_bytes": ("cold page: server peak RSS", "MB", 0.05),
    "index_warm_seconds": ("warm page: time", "s", 0.05),
    "index_warm_queries_count": ("warm page: SQL queries", "", 0),
    "index_warm_s3_requests": ("warm page: S3 requests", "", 0),
    # What another worker, or the server after a deploy, pays for a page whose
    # thumbnails all exist: what a library keeps in memory is gone.
    "index_restarted_seconds": ("restarted server's page: time", "s", 0.05),
    "index_restarted_queries_count": ("restarted server's page: SQL queries", "", 0),
    "index_restarted_s3_requests": ("restarted server's page: S3 requests", "", 0),
    "generate_seconds_per_photo_median": (
        "generate: time per photo (median)",
        "s",
        0.05,
    ),
    "generate_queries_count": ("generate: SQL queries", "", 0),
    "generate_s3_requests": ("generate: S3 requests", "", 0),
    "generate_s3_bytes": ("generate: S3 body bytes", "MB", 0),
    "generate_rss_peak_bytes": ("generate: peak RSS", "MB", 0.05),
    "generate_rss_growth_bytes_per_photo": (
        "generate: RSS growth per photo",
        "MB",
        None,
    ),
}

# load_photos runs the same code in every row (the fix does not touch it); only
# Optimistic makes its thumbnails there. Shown, so that cost is seen; not ranked.
NOT_RANKED = {"load_seconds", "load_s3_requests"}


def figures(report: dict) -> dict:
    """stats.figures.flat_figures of one reproduction, with its load_photos
    and the page served by a restarted server."""
    load = report["scenarios"]["load"]
    restarted = report["scenarios"]["index_restarted"]["restarted"]
    return {
        "load_seconds": load["seconds"],
        "load_s3_requests": load["s3_requests"],
        **flat_figures(report),
        "index_restarted_seconds": restarted["seconds"],
        "index_restarted_queries_count": restarted["queries_count"],
        "index_restarted_s3_requests": restarted["s3_requests"],
    }


def level(value, best, tolerance) -> bool:
    """Whether value is as good as best, within the column's tolerance."""
    if tolerance is None:
        # RSS growth: below the flat threshold, every row is flat.
        return value <= max(best, FLAT_BELOW_BYTES_PER_PHOTO)
    return value <= best * (1 + tolerance)


def not_best(rows: dict) -> list[dict]:
    """Each column where another row beats the fix, with the rows that do."""
    fixed = rows[FIXED]
    found = []
    for key, (title, unit, tolerance) in COLUMNS.items():
        if key in NOT_RANKED:
            continue
        mine = total(fixed[key])
        if mine is None:
            continue
        better = [
            {"row": name, "title": row["title"], "value": row[key]}
            for name, row in rows.items()
            if name != FIXED
            and total(row[key]) is not None
            and not level(mine, total(row[key]), tolerance)
        ]
        if better:
            better.sort(key=lambda item: total(item["value"]))
            found.append(
                {
                    "column": key,
                    "title": title,
                    "unit": unit,
                    "fixed": fixed[key],
                    "better": better,
                }
            )
    return found


def made_before_the_page(rows: dict) -> list[dict]:
    """Rows whose cold page stored no thumbnail: they were made at load time."""
    return [
        {
            "row": name,
            "title": row["title"],
            "load_seconds": row["load_seconds"],
            "load_put_count": row["load_s3_requests"]["PUT"],
        }
        for name, row in rows.items()
        if row["index_cold_s3_requests"] and row["index_cold_s3_requests"]["PUT"] == 0
    ]
