"""What the local S3 server's functions make of an endpoint alone."""

import pytest

from local_services.ports import free_port
from local_services.s3 import (
    checkout_data_dir,
    data_dir_in_use,
    endpoint_url,
    is_local_endpoint,
    make_command,
    ports_record_dir,
    remember_data_dir,
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


def test_the_start_command_of_another_data_folder_names_that_folder(tmp_path):
    """make s3 serves var/s3 alone: another folder's server starts by its own."""
    assert start_command(endpoint_url("127.0.0.1", 5055), tmp_path / "s3") == (
        f".venv/bin/python -m local_services s3 start --port 5055 "
        f"--data-dir {tmp_path / 's3'}"
    )
    assert start_command(endpoint_url("127.0.0.1", 5055), checkout_data_dir()) == (
        "make s3 S3_PORT=5055"
    )


def test_a_stopped_endpoints_data_folder_is_the_last_started_on_its_port(tmp_path):
    port = free_port()
    url = endpoint_url("127.0.0.1", port)
    record = ports_record_dir() / str(port)
    record.unlink(missing_ok=True)
    try:
        assert data_dir_in_use(url) == checkout_data_dir()
        remember_data_dir(port, tmp_path / "s3")
        assert data_dir_in_use(url) == tmp_path / "s3"
    finally:
        record.unlink(missing_ok=True)


def test_a_make_command_names_the_s3_port_as_make_run_was_given_it():
    assert make_command("load-photos", endpoint_url("127.0.0.1", 5000)) == (
        "make load-photos"
    )
    assert make_command("load-photos", endpoint_url("127.0.0.1", 5061)) == (
        "make load-photos S3_PORT=5061"
    )
