"""The index page shows what rendering it cost, counted as the reproduction counts it."""

import re
import time

import pytest

from measurement.harness.measured_command import read_counts
from photos.units import MB
from tests.conftest import run_manage
from tests.site_process import get, running_site


def page_figures(html: str) -> dict:
    """The figures at the top of the page, as numbers."""
    table = re.search(r'<table id="page-figures">(.*?)</table>', html, re.S).group(1)

    def shown(name):
        return re.search(rf'data-figure="{name}"[^>]*>([^<]*)<', table).group(1)

    def data_bytes(name):
        return int(re.search(rf'data-figure="{name}" data-bytes="(\d+)"', table)[1])

    return {
        "rendered_by": shown("rendered_by"),
        "queries_count": int(shown("queries_count")),
        "s3_requests": {
            operation: int(count)
            for operation, count in re.findall(
                r'data-operation="(\w+)" data-count="(\d+)"', table
            )
        },
        "thumbnails_made_count": int(shown("thumbnails_made_count")),
        "seconds": float(shown("seconds")),
        "rss_before_bytes": data_bytes("rss_before_bytes"),
        "rss_after_bytes": data_bytes("rss_after_bytes"),
    }


def index_requests(counts_path) -> list[dict]:
    if not counts_path.exists():
        return []
    return [
        record
        for record in read_counts(counts_path)
        if record["event"] == "request" and record["path"] == "/"
    ]


@pytest.mark.parametrize(
    ("fix", "rendered_by"),
    [("0", "stock easy-thumbnails"), ("1", "the fix (THUMBNAIL_FIX=1)")],
    ids=["stock", "fix"],
)
def test_the_page_shows_the_counts_the_reproduction_takes(
    fix, rendered_by, site_env, photo_dir, bucket, tmp_path
):
    """Cold and warm: the page's queries and S3 requests are the request's own
    counts in measurement.probes.counting_manage and the S3 server's."""
    assert run_manage("load_photos", str(photo_dir), env=site_env)[2] == 0
    counts_path = tmp_path / "counts.jsonl"
    shown, served = {}, {}
    with running_site(
        {**site_env, "THUMBNAIL_FIX": fix},
        tmp_path / "runserver.log",
        counts_path=counts_path,
    ) as url:
        for load in ("cold", "warm"):
            bucket.reset_request_counts()
            status, html = get(f"{url}/")
            assert status == 200
            served[load] = bucket.request_counts()
            shown[load] = page_figures(html)
        # A request's record is written once its response is closed.
        deadline = time.monotonic() + 10
        while len(index_requests(counts_path)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
    cold, warm = index_requests(counts_path)

    for load, counted in (("cold", cold), ("warm", warm)):
        figures = shown[load]
        assert figures["rendered_by"] == rendered_by
        assert figures["queries_count"] == counted["queries_count"]
        assert figures["s3_requests"] == counted["s3_requests"] == served[load]
        assert figures["seconds"] > 0
        assert figures["rss_before_bytes"] > 20 * MB
        assert figures["rss_after_bytes"] > 20 * MB
    # Each of the 3 photos' 9 aliases made once, each stored with one PUT.
    assert shown["cold"]["thumbnails_made_count"] == 27 == served["cold"]["PUT"]
    assert shown["warm"]["thumbnails_made_count"] == 0
    assert "PUT" not in served["warm"]
    assert shown["cold"]["queries_count"] > shown["warm"]["queries_count"] > 0
    # The RSS figures say what they are: a reload's rise is not a leak.
    assert (
        '<p id="page-figures-rss">Server RSS is the resident memory of the whole'
        in html
    )
