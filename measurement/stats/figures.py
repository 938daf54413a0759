"""One reproduction's figures, flat, units in the names: what the studies
that set reproductions side by side (compare, peers, the matrix, the
upstream check) compare."""

from measurement.stats.percentiles import median


def flat_figures(report: dict) -> dict:
    """One reproduction's figures, flat, units in the names."""
    scenarios = report["scenarios"]
    photos = report["metadata"]["photos"]["count"]
    cold, warm = scenarios["index"]["cold"], scenarios["index"]["warm"]
    generate = scenarios["generate"]
    return {
        "photos_count": photos,
        "index_cold_seconds": cold["seconds"],
        "index_cold_queries_count": cold["queries_count"],
        "index_cold_s3_requests": cold["s3_requests"],
        "index_cold_s3_bytes": cold["s3_bytes"],
        "index_cold_rss_peak_bytes": cold["rss_peak_bytes"],
        "index_warm_seconds": warm["seconds"],
        "index_warm_queries_count": warm["queries_count"],
        "index_warm_s3_requests": warm["s3_requests"],
        "index_warm_s3_bytes": warm["s3_bytes"],
        "generate_seconds": generate["seconds"],
        "generate_seconds_per_photo": round(generate["seconds"] / photos, 4),
        # The first photo also pays one-time costs (imports, boto3 sessions).
        "generate_seconds_per_photo_median": median(
            [photo["seconds"] for photo in generate["per_photo"]]
        ),
        "generate_queries_count": generate["queries_count"],
        "generate_s3_requests": generate["s3_requests"],
        "generate_s3_bytes": generate["s3_bytes"],
        "generate_rss_start_bytes": generate["rss_start_bytes"],
        "generate_rss_peak_bytes": generate["rss_peak_bytes"],
        "generate_rss_growth_bytes_per_photo": generate["rss_growth_bytes_per_photo"],
    }
