"""The upstream-check report puts stock, patched and fixed side by side."""

from measurement.studies.upstream.markdown import render
from photos.units import MB


def column(seconds_per_photo: float, deletes: int) -> dict:
    # Stock downloads the original once per alias; the others once per photo.
    gets = 9 if deletes else 1
    return {
        "photos_count": 2,
        "index_cold_seconds": 1.0,
        "index_cold_queries_count": 10,
        "index_cold_s3_requests": {"GET": 2, "PUT": 18, "DELETE": deletes},
        "index_cold_s3_bytes": {"get": gets * 2 * MB, "put": MB // 2},
        "index_cold_rss_peak_bytes": 100 * MB,
        "index_warm_seconds": 0.5,
        "index_warm_queries_count": 3,
        "index_warm_s3_requests": {},
        "index_warm_s3_bytes": {"get": 0, "put": 0},
        "generate_seconds": 2 * seconds_per_photo,
        "generate_seconds_per_photo": seconds_per_photo,
        "generate_seconds_per_photo_median": seconds_per_photo,
        "generate_queries_count": 6,
        "generate_s3_requests": {"GET": 2, "PUT": 18, "DELETE": deletes},
        "generate_s3_bytes": {"get": gets * 2 * MB, "put": MB // 2},
        "generate_rss_start_bytes": 50 * MB,
        "generate_rss_peak_bytes": 80 * MB,
        "generate_rss_growth_bytes_per_photo": None,
    }


REPORT = {
    "metadata": {
        "switches": {"photos": 2},
        "versions": {"easy_thumbnails": "2.10.1"},
        "patches": ["0001-Fix.patch"],
        "patched_easy_thumbnails_imported_from": "/tmp/x/easy_thumbnails",
    },
    "suite_patched": {"passed_count": 151, "failed_count": 0, "skipped_count": 4},
    "columns": {
        "stock": column(5.0, deletes=18),
        "patched": column(1.5, deletes=0),
        "fixed": column(0.5, deletes=0),
    },
    "column_titles": {"stock": "Stock", "patched": "Patched", "fixed": "Fixed"},
}


def test_one_column_per_build_in_order():
    lines = render(REPORT).splitlines()
    assert "| Figure | Stock | Patched | Fixed |" in lines
    assert (
        "| generate_all_thumbnail_aliases: S3 requests "
        "| 38 (GET 2, PUT 18, DELETE 18) | 20 (GET 2, PUT 18) | 20 (GET 2, PUT 18) |"
    ) in lines
    assert (
        "| generate_all_thumbnail_aliases: S3 body bytes "
        "| 18.50 MB (GET 18.00, PUT 0.50) | 2.50 MB (GET 2.00, PUT 0.50) "
        "| 2.50 MB (GET 2.00, PUT 0.50) |"
    ) in lines
    assert "| Index page, reload (warm): S3 body bytes | 0 MB | 0 MB | 0 MB |" in lines
    assert (
        "| generate_all_thumbnail_aliases: time per photo "
        "| 5.000 s | 1.500 s | 0.500 s |"
    ) in lines


def test_the_patched_suite_and_where_the_patched_copy_came_from_are_stated():
    text = render(REPORT)
    assert "suite on the patched source: 151 passed, 0 failed, 4 skipped." in text
    assert "imported easy_thumbnails from `/tmp/x/easy_thumbnails`" in text
