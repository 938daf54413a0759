import pytest

from measurement import commands
from measurement.probes import load_clients


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
    assert capsys.readouterr().err.splitlines() == [
        "python -m measurement load: error: http://example.com/: only http:// on "
        "this machine's loopback is loaded (see python -m measurement load --help)"
    ]
