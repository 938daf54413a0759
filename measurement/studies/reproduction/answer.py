"""The reproduction's answer: does memory keep growing, what a photo costs in
queries and S3 requests, next to 2013's per photo. Report dicts in, the
report's `answer` out; nothing here runs, reads or renders anything."""

from photos.page_costs import PHOTOS_2013, QUERIES_2013


def per_photo(count: int | float, photos: int) -> float:
    return round(count / photos, 2)


def answer(report: dict, aliases_count: int) -> dict:
    """report.json's `answer`, from a reproduction's report (the 2013 scenarios)."""
    photos = report["metadata"]["photos"]["count"]
    index = report["scenarios"]["index"]
    cold = index["cold"]
    result = {
        "photos_count": photos,
        "aliases_count": aliases_count,
        "fix": report["metadata"]["switches"]["fix"],
        "peer": report["metadata"]["switches"].get("peer"),
        "memory": report["scenarios"]["generate"]["rss_growth"],
        "queries_per_photo": {
            "cold": per_photo(cold["queries_count"], photos),
            "warm": per_photo(index["warm"]["queries_count"], photos),
            "cold_2013": per_photo(QUERIES_2013["cold"], PHOTOS_2013),
            "warm_2013": per_photo(QUERIES_2013["warm"], PHOTOS_2013),
        },
        "s3_per_photo": {
            operation: per_photo(count, photos)
            for operation, count in (cold["s3_requests"] or {}).items()
        },
    }
    s3_bytes = cold.get("s3_bytes")
    original_bytes = report["metadata"]["photos"]["total_bytes"] / photos
    if s3_bytes is not None and original_bytes:
        result["s3_bytes_per_photo"] = {
            operation: round(count / photos) for operation, count in s3_bytes.items()
        }
        # How many times the page downloaded each photo's whole original.
        result["originals_downloaded_per_photo"] = round(
            s3_bytes.get("get", 0) / photos / original_bytes, 2
        )
    return result


def with_the_fix(stock: dict, fixed: dict) -> dict:
    """A --compare run's answer: stock's, and the fix's figures beside it."""
    return {
        **stock,
        "fixed": {
            key: fixed[key]
            for key in (
                "fix",
                "memory",
                "queries_per_photo",
                "s3_per_photo",
                "s3_bytes_per_photo",
                "originals_downloaded_per_photo",
            )
            if key in fixed
        },
    }
