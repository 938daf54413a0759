import pytest

from measurement import commands, load_clients
from measurement.load_figures import percentile, summarize


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


@pytest.mark.parametrize(
    "url", ["http://example.com/", "https://127.0.0.1/", "http://10.0.0.1:8000/"]
)
def test_the_clients_load_only_this_machines_loopback(url):
    with pytest.raises(load_clients.NotLoopback, match="only http:// on this machine"):
        load_clients.run_clients(url, 1, 1)


def test_the_command_says_so_in_one_line(capsys):
    with pytest.raises(SystemExit) as exit:
        commands.main(["load", "http://example.com/", "--seconds", "1"])
    assert exit.value.code == 2
    assert (
        capsys.readouterr()
        .err.splitlines()[-1]
        .endswith(
            "http://example.com/: only http:// on this machine's loopback is loaded."
        )
    )
