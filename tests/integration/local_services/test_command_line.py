"""python -m local_services SERVICE COMMAND: one command line for every server."""

import os
import subprocess
import sys

import pytest

from local_services.ports import free_port
from tests.conftest import REPO_ROOT

# The commands start and stop real servers of their own.
pytestmark = pytest.mark.server

SERVICES = ["s3", "postgres", "redis"]


def local_services(*args, cwd=REPO_ROOT):
    return subprocess.run(
        [sys.executable, "-m", "local_services", *map(str, args)],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "service, line",
    [
        ("s3", "Local S3 server on http://127.0.0.1:{port}: not running.\n"),
        ("postgres", "Local PostgreSQL of {data_dir}: not running.\n"),
        ("redis", "Local Redis server on redis://127.0.0.1:{port}/0: not running.\n"),
    ],
)
def test_status_of_a_stopped_server_is_one_line_and_exit_code_1(
    service, line, tmp_path
):
    port, data_dir = free_port(), tmp_path / service

    result = local_services(
        service, "status", "--host", "127.0.0.1", "--port", port, "--data-dir", data_dir
    )

    assert (result.returncode, result.stdout, result.stderr) == (
        1,
        line.format(port=port, data_dir=data_dir),
        "",
    )


@pytest.mark.parametrize(
    "service, line",
    [
        ("s3", "The local S3 server of {data_dir} was not running.\n"),
        ("postgres", "The local PostgreSQL was not running.\n"),
        ("redis", "The local Redis server was not running.\n"),
    ],
)
def test_stopping_a_stopped_server_is_one_line_and_exit_code_0(service, line, tmp_path):
    data_dir = tmp_path / service

    result = local_services(
        service, "stop", "--port", free_port(), "--data-dir", data_dir
    )

    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        line.format(data_dir=data_dir),
        "",
    )


@pytest.mark.parametrize("service", SERVICES)
def test_a_command_the_service_does_not_have_is_a_usage_error(service):
    result = local_services(service, "restart")

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"usage: python -m local_services {service} ")
    assert "invalid choice: 'restart'" in result.stderr


@pytest.mark.parametrize(
    "args, variable",
    [
        (["s3", "start", "--port", "5061"], "S3_PORT"),
        (["s3", "serve", "--port", "5061"], "S3_PORT"),
        (["site-port", "5061"], "PORT"),
    ],
    ids=["s3 start", "s3 serve", "site-port"],
)
def test_a_port_browsers_refuse_is_refused_in_one_line_and_nothing_starts(
    args, variable, tmp_path
):
    result = local_services(*args, cwd=tmp_path)

    assert result.returncode == 1
    assert result.stderr == (
        "Port 5061 is one that browsers refuse (ERR_UNSAFE_PORT, the Fetch "
        "standard's bad ports), so a page shows nothing loaded from it. Use "
        f"another, such as {variable}=5062.\n"
    )
    assert list(tmp_path.iterdir()) == []
