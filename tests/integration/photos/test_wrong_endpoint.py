"""A wrong AWS_S3_ENDPOINT_URL is one line naming the variable and what is
wrong with it: no scheme, a scheme the server does not speak, a server that
is not S3's. No traceback, from the commands and the site alike."""

from urllib.parse import urlsplit

import pytest

from tests.conftest import run_manage

COMMANDS = [("load_photos", "{photos}"), ("generate_all_thumbnail_aliases",)]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_an_endpoint_without_a_scheme_is_named_with_the_url_to_set(
    command, site_env, settings, photo_dir
):
    host_and_port = urlsplit(settings.AWS_S3_ENDPOINT_URL).netloc

    out, err, code = run_manage(
        *(arg.format(photos=photo_dir) for arg in command),
        env={**site_env, "AWS_S3_ENDPOINT_URL": host_and_port},
    )

    assert code == 1
    assert err == (
        f"CommandError: AWS_S3_ENDPOINT_URL={host_and_port} has no scheme: set it "
        f"to http://{host_and_port} (or https:// for a server that speaks TLS).\n"
    )


def test_an_endpoint_of_another_scheme_than_http_is_refused(site_env):
    out, err, code = run_manage(
        "generate_all_thumbnail_aliases",
        env={**site_env, "AWS_S3_ENDPOINT_URL": "s3://127.0.0.1:5061"},
    )

    assert code == 1
    assert err == (
        "CommandError: AWS_S3_ENDPOINT_URL=s3://127.0.0.1:5061 is not an http:// "
        "or https:// URL with a host: set it to one, such as http://127.0.0.1:5000.\n"
    )


def test_https_to_a_server_that_speaks_http_names_the_http_url(site_env, settings):
    http = settings.AWS_S3_ENDPOINT_URL
    https = http.replace("http://", "https://", 1)

    out, err, code = run_manage(
        "generate_all_thumbnail_aliases",
        env={**site_env, "AWS_S3_ENDPOINT_URL": https},
    )

    assert code == 1
    assert err == (
        f"CommandError: The S3 server at {https} (AWS_S3_ENDPOINT_URL) does not "
        "speak https (TLS): for a server that speaks plain http, set "
        f"AWS_S3_ENDPOINT_URL={http}.\n"
    )


def test_the_sites_own_address_is_not_taken_for_an_s3_server(site_env, site_server):
    out, err, code = run_manage(
        "generate_all_thumbnail_aliases",
        env={**site_env, "AWS_S3_ENDPOINT_URL": site_server},
    )

    assert code == 1
    assert err == (
        f"CommandError: The server at {site_server} (AWS_S3_ENDPOINT_URL) is not "
        "an S3 server (it answered HTTP 404, with no S3 error): set "
        "AWS_S3_ENDPOINT_URL to the S3 server's endpoint, such as the local "
        "one's, http://127.0.0.1:5000 (`make s3`).\n"
    )
