"""The secret key and hosts come from the environment, and the S3 credentials
show nowhere: not in pages, logs or error messages."""

import re

import pytest

from tests.conftest import run_manage
from tests.site_process import get, running_site

ACCESS_KEY_ID = "AKIAEXAMPLESECURITY1"
SECRET_ACCESS_KEY = "sEcReT/ExampleKey+NeverShown0123456789abc"


def test_with_debug_off_the_site_refuses_to_start_without_a_secret_key(site_env):
    out, err, code = run_manage(
        "check", env={**site_env, "DJANGO_DEBUG": "0", "SECRET_KEY": ""}
    )

    assert code == 1
    assert (
        "django.core.exceptions.ImproperlyConfigured: SECRET_KEY is not set. With "
        "DJANGO_DEBUG=0 the site needs a secret key from the environment" in err
    )


def test_with_debug_on_the_local_default_runs_without_a_secret_key(site_env):
    out, err, code = run_manage("check", env={**site_env, "SECRET_KEY": ""})

    assert (code, err) == (0, "")


def test_allowed_hosts_come_from_the_environment(site_env):
    out, err, code = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.test import Client\n"
        "for host in ('photos.example.org', 'evil.example.com', '127.0.0.1'):\n"
        "    print(host, Client(HTTP_HOST=host).get('/').status_code)",
        env={
            **site_env,
            "DJANGO_DEBUG": "0",
            "SECRET_KEY": "a-secret-key-from-the-environment-for-this-test-of-fifty-chars",
            "ALLOWED_HOSTS": "photos.example.org",
        },
    )

    assert code == 0, err
    assert out.split("\n") == [
        "photos.example.org 200",
        "evil.example.com 400",
        "127.0.0.1 400",
        "",
    ]


def without_signatures(text):
    """Presigned S3 URLs carry the access key id by design (never the secret)."""
    return re.sub(r"(X-Amz-Credential|AWSAccessKeyId)=[^&\"]*", r"\1=…", text)


def test_credentials_appear_in_no_page_log_or_message(
    site_env, bucket, photo_dir, tmp_path
):
    env = {
        **site_env,
        "AWS_ACCESS_KEY_ID": ACCESS_KEY_ID,
        "AWS_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY,
    }
    _, err, code = run_manage("load_photos", str(photo_dir), env=env)
    assert code == 0, err
    # A broken photo, so the page logs an error with its cause.
    bucket.client.delete_object(
        Bucket=bucket.name, Key=bucket.object_keys("photos/landscape-2")[0]
    )
    log_path = tmp_path / "runserver.log"
    with running_site(env, log_path) as url:
        _, page = get(f"{url}/")
        request_id = re.search(r'data-request-id="([^"]+)"', page).group(1)
        pages = [
            page,
            get(f"{url}/no-such-page/")[1],
            get(f"{url}/admin/login/")[1],
            # The debug toolbar's settings panel lists every setting.
            get(
                f"{url}/__debug__/render_panel/"
                f"?request_id={request_id}&panel_id=SettingsPanel"
            )[1],
        ]

    assert "This photo cannot be shown: its original is missing" in page
    assert "AWS_SECRET_ACCESS_KEY" in pages[3]
    logs = log_path.read_text()
    assert "Photo #2 (photos/landscape-2-" in logs
    for text in [*pages, logs]:
        assert SECRET_ACCESS_KEY not in text
        assert ACCESS_KEY_ID not in without_signatures(text)


@pytest.mark.parametrize(
    "secret_key", ["x", "a" * 60, "django-insecure-" + "k3y-0f-f1fty-ch4r4ct3rs" * 3]
)
def test_with_debug_off_the_site_refuses_a_weak_secret_key_in_one_line(
    site_env, secret_key
):
    """Short, of few characters or django-insecure-: refused, saying how to make one."""
    out, err, code = run_manage(
        "check", env={**site_env, "DJANGO_DEBUG": "0", "SECRET_KEY": secret_key}
    )

    assert code == 1
    assert err.splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: SECRET_KEY is weak (under 50 "
        "characters, under 5 different ones, or django-insecure-): with "
        "DJANGO_DEBUG=0 make one with export SECRET_KEY=\"$(python -c 'import "
        "secrets; print(secrets.token_urlsafe(50))')\""
    )


def test_with_debug_on_a_weak_secret_key_is_accepted(site_env):
    """The local site, DEBUG on, takes any key."""
    out, err, code = run_manage("check", env={**site_env, "SECRET_KEY": "x"})

    assert (code, err) == (0, "")
