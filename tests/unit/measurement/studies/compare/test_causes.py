"""Each cause's share of stock's cost, from made-up figures."""

from easy_thumbnails_fix import DEFAULT_PARTS

from measurement.studies.compare.causes import (
    CAUSES,
    MEASURES,
    shares,
    switches_without,
)
from measurement.switches import Switches

S3_ZERO = {"HEAD": 0, "GET": 0, "PUT": 0, "DELETE": 0, "LIST": 0, "POST": 0}


def columns(seconds, peak_bytes, queries, gets):
    """Flat figures whose measures add up to what the arguments say."""
    return {
        "index_cold_seconds": seconds / 2,
        "generate_seconds": seconds / 2,
        "index_cold_rss_peak_bytes": peak_bytes / 2,
        "generate_rss_peak_bytes": peak_bytes / 2,
        "index_cold_queries_count": queries - 2,
        "index_warm_queries_count": 1,
        "generate_queries_count": 1,
        "index_cold_s3_requests": {**S3_ZERO, "GET": gets},
        "index_warm_s3_requests": S3_ZERO,
        "generate_s3_requests": S3_ZERO,
    }


def test_a_causes_share_is_what_removing_it_alone_saves_of_stocks_figure():
    stock = columns(seconds=100, peak_bytes=400, queries=200, gets=180)
    fixed = columns(seconds=10, peak_bytes=100, queries=5, gets=20)
    without_read_once = columns(seconds=60, peak_bytes=400, queries=200, gets=20)
    (row,) = shares(stock, fixed, {"read_once": without_read_once})
    assert row["cause"] == "read_once"
    assert row["description"] == CAUSES["read_once"]
    assert row["measures"]["time_seconds"] == {
        "stock": 100,
        "without_cause": 60,
        "fixed": 10,
        "share_of_stock": 0.4,
    }
    assert row["measures"]["memory_peak_bytes"]["share_of_stock"] == 0.0
    assert row["measures"]["queries_count"]["share_of_stock"] == 0.0
    assert row["measures"]["s3_requests_count"]["share_of_stock"] == round(160 / 180, 4)
    assert "note" not in row


def test_a_cause_that_costs_more_alone_has_a_negative_share():
    stock = columns(seconds=100, peak_bytes=400, queries=200, gets=180)
    slower = columns(seconds=110, peak_bytes=400, queries=200, gets=180)
    (row,) = shares(stock, stock, {"upload_beside": slower})
    assert row["measures"]["time_seconds"]["share_of_stock"] == -0.1


def test_a_measure_stock_spends_nothing_on_has_no_share():
    stock = columns(seconds=100, peak_bytes=400, queries=200, gets=0)
    (row,) = shares(stock, stock, {"no_delete": stock})
    assert row["measures"]["s3_requests_count"]["share_of_stock"] is None


def test_the_storage_hash_row_says_why_it_shows_noise():
    stock = columns(seconds=100, peak_bytes=400, queries=200, gets=180)
    (row,) = shares(stock, stock, {"storage_hash": stock})
    assert "run-to-run noise" in row["note"]


def test_every_measure_is_taken_of_figures_a_reproduction_has():
    keys = {key for measure in MEASURES.values() for key in measure}
    assert keys <= set(columns(1, 1, 3, 0))


def test_each_cause_is_switched_off_alone():
    """A part of the fix names its cause; DEBUG's query log is DEBUG off."""
    assert set(CAUSES) == {*DEFAULT_PARTS, "debug"}
    stock = Switches(photos=3)
    assert switches_without("draft_decode", stock) == stock.replace(
        fix=("draft_decode",)
    )
    assert switches_without("debug", stock) == stock.replace(debug=False)
    assert switches_without("debug", stock).thumbnail_fix_variable == "0"
    assert switches_without("row_cache", stock).thumbnail_fix_variable == "row_cache"
