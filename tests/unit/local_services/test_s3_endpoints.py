"""What the local S3 server's functions make of an endpoint alone."""

import pytest

from local_services.s3 import (
    endpoint_url,
    is_local_endpoint,
    make_command,
    start_command,
)


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:5000", "http://localhost:5055", "http://[::1]:5000"],
)
def test_an_endpoint_on_the_loopback_interface_is_local(url):
    assert is_local_endpoint(url)


@pytest.mark.parametrize(
    "url", [None, "", "https://s3.eu-west-1.amazonaws.com", "http://10.0.0.5:5000"]
)
def test_an_endpoint_elsewhere_or_none_is_not_local(url):
    assert not is_local_endpoint(url)


def test_the_start_command_names_the_port_unless_it_is_the_default():
    assert start_command(endpoint_url("127.0.0.1", 5000)) == "make s3"
    assert start_command(endpoint_url("127.0.0.1", 5055)) == "make s3 S3_PORT=5055"


def test_a_make_command_names_the_s3_port_as_make_run_was_given_it():
    assert make_command("load-photos", endpoint_url("127.0.0.1", 5000)) == (
        "make load-photos"
    )
    assert make_command("load-photos", endpoint_url("127.0.0.1", 5061)) == (
        "make load-photos S3_PORT=5061"
    )
