"""Latency percentiles and counts of a load run, from each request's outcome."""

from collections import Counter

from measurement.stats.percentiles import percentile


def summarize(
    responses: list[tuple[float, int]], errors: list[str], seconds: float
) -> dict:
    """responses are (seconds, HTTP status) of each answered request; errors
    the name of what went wrong with each request that got no answer."""
    latencies = sorted(latency for latency, _ in responses)
    statuses = Counter(status for _, status in responses)
    requests_count = len(responses) + len(errors)

    def rounded(value):
        return None if value is None else round(value, 4)

    return {
        "requests_count": requests_count,
        "responses_count": len(responses),
        "errors_count": len(errors),
        "errors": dict(Counter(errors)),
        "status_counts": {str(status): statuses[status] for status in sorted(statuses)},
        "status_5xx_count": sum(n for status, n in statuses.items() if status >= 500),
        "seconds": round(seconds, 3),
        "requests_per_second": round(len(responses) / seconds, 2) if seconds else None,
        "latency_p50_seconds": rounded(percentile(latencies, 50)),
        "latency_p99_seconds": rounded(percentile(latencies, 99)),
        "latency_max_seconds": rounded(latencies[-1] if latencies else None),
    }
