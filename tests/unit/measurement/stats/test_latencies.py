from measurement.stats.latencies import summarize
from measurement.stats.percentiles import percentile


def test_percentile_is_the_nearest_rank():
    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 99) == 99.0
    assert percentile([0.2, 0.4], 99) == 0.4
    assert percentile([0.3], 50) == 0.3
    assert percentile([], 50) is None


def test_summarize_counts_statuses_5xx_and_errors_apart():
    responses = [(0.1, 200), (0.3, 200), (0.2, 503), (0.4, 200)]
    errors = ["ConnectionResetError", "TimeoutError", "ConnectionResetError"]

    assert summarize(responses, errors, 2.0) == {
        "requests_count": 7,
        "responses_count": 4,
        "errors_count": 3,
        "errors": {"ConnectionResetError": 2, "TimeoutError": 1},
        "status_counts": {"200": 3, "503": 1},
        "status_5xx_count": 1,
        "seconds": 2.0,
        "requests_per_second": 2.0,
        "latency_p50_seconds": 0.2,
        "latency_p99_seconds": 0.4,
        "latency_max_seconds": 0.4,
    }
