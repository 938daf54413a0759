"""A port browsers refuse is refused before a server starts on it."""

import pytest

from local_services.browser_ports import BAD_PORTS, refuse_bad_port
from local_services.server import ServiceError


@pytest.mark.parametrize("port", [5060, 5061, 6000, 6566, 10080, 4190, 6697])
def test_the_fetch_standards_bad_ports_are_refused(port):
    assert port in BAD_PORTS
    with pytest.raises(ServiceError, match=f"^Port {port} is one that browsers refuse"):
        refuse_bad_port(port, "S3_PORT")


@pytest.mark.parametrize("port", [5000, 5055, 8000, 8061, 8080, 5062])
def test_the_projects_ports_are_taken(port):
    refuse_bad_port(port, "PORT")


def test_the_message_names_the_variable_and_a_port_browsers_take():
    """From 6665 the next five ports are IRC's, refused too."""
    with pytest.raises(ServiceError) as refused:
        refuse_bad_port(6665, "S3_PORT")

    assert str(refused.value) == (
        "Port 6665 is one that browsers refuse (ERR_UNSAFE_PORT, the Fetch "
        "standard's bad ports), so a page shows nothing loaded from it. Use "
        "another, such as S3_PORT=6670."
    )
