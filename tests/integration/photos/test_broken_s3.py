"""Commands against an S3 server that is stopped, stops, refuses, lacks the
bucket or does not answer: one message naming the endpoint or bucket and
what to do, in bounded time, and a re-run that finishes the job; stock and
with THUMBNAIL_FIX on alike."""

import os
import re
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest

from local_services import S3Server
from local_services.ports import free_port
from local_services.s3 import ports_record_dir, request_counts, reset_request_counts
from tests.conftest import REPO_ROOT, run_manage, small_photo_bytes
from tests.site_process import get, running_site

# The tests start, stop and break S3 servers of their own.
pytestmark = pytest.mark.server

SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY"
COMMANDS = [("load_photos", "{photos}"), ("generate_all_thumbnail_aliases",)]
BUCKET = "et-issue-example-broken"


class Server:
    """A local S3 server of this test's own, to stop, pause or misconfigure."""

    def __init__(self, data_dir, **env):
        self.s3 = S3Server(data_dir, free_port())
        self.port = self.s3.port
        self.endpoint = self.s3.url
        self.data_dir = Path(data_dir).resolve()
        # Its own data folder, not make s3's: what starts this one again.
        self.start_command = (
            f".venv/bin/python -m local_services s3 start --port {self.port} "
            f"--data-dir {self.data_dir}"
        )
        self.env = env

    def start(self, bucket=True):
        saved = {name: os.environ.get(name) for name in self.env}
        os.environ.update(self.env)  # The server process inherits it.
        try:
            with warnings.catch_warnings():
                # start leaves the server running on purpose; its Popen
                # object, dropped on return, would warn that it is.
                warnings.simplefilter("ignore", ResourceWarning)
                self.s3.start()
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name)
                else:
                    os.environ[name] = value
        if bucket:
            self.s3.ensure_bucket(BUCKET)

    def stop(self):
        self.s3.stop()

    @property
    def pid(self):
        return self.s3.running_pid()

    def keys(self, prefix=""):
        import boto3

        client = boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            region_name="us-east-1",
        )
        pages = client.get_paginator("list_objects_v2").paginate(
            Bucket=BUCKET, Prefix=prefix
        )
        keys = sorted(
            item["Key"] for page in pages for item in page.get("Contents", [])
        )
        client.close()
        return keys


@pytest.fixture
def server(tmp_path):
    server = Server(tmp_path / "s3")
    yield server
    server.stop()


@pytest.fixture(params=["stock", "fix"])
def mode(request):
    return request.param


@pytest.fixture
def env(tmp_path, server, mode):
    env = {
        "THUMBNAIL_FIX": "1" if mode == "fix" else "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "AWS_S3_ENDPOINT_URL": server.endpoint,
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_ACCESS_KEY_ID": "AKIAEXAMPLEBROKENS3",
        "AWS_SECRET_ACCESS_KEY": SECRET,
    }
    _, err, code = run_manage("migrate", "--verbosity", "0", env=env)
    assert code == 0, err
    return env


@pytest.fixture
def photos(tmp_path):
    """Twelve small photographs, different bytes each."""
    directory = tmp_path / "photos"
    directory.mkdir()
    for seed in range(1, 13):
        (directory / f"view-{seed:02d}.jpg").write_bytes(small_photo_bytes(seed))
    return directory


def run(command, env, photos, timeout=60):
    args = [arg.format(photos=photos) for arg in command]
    started = time.monotonic()
    out, err, code = run_manage(*args, env=env, timeout=timeout)
    return out, err, code, time.monotonic() - started


def assert_one_message(err, message):
    assert err == f"CommandError: {message}\n"
    assert SECRET not in err


def names_in_db(env, model="photos.Photo", field="photo"):
    out, err, code = run_manage(
        "shell",
        "--no-imports",
        "-c",
        f"from django.apps import apps; "
        f"print('\\n'.join(sorted(str(v) for v in apps.get_model('{model}')"
        f".objects.values_list('{field}', flat=True))))",
        env=env,
    )
    assert code == 0, err
    return out.split()


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_stopped_server_is_named_with_what_to_do(command, server, env, photos):
    server.start()
    server.stop()

    out, err, code, seconds = run(command, env, photos)

    assert code == 1
    assert_one_message(
        err,
        f"Cannot reach the S3 server at {server.endpoint} (AWS_S3_ENDPOINT_URL): "
        f"start it with `{server.start_command}`, its data in {server.data_dir}.",
    )
    assert seconds < 20

    server.start()
    out, err, code, _ = run(["load_photos", "{photos}"], env, photos)
    assert code == 0, err
    assert server.keys() == names_in_db(env)


# No credentials anywhere: the variables empty, and boto3's own chain (its
# files and the instance metadata service) left nothing to find.
NO_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "",
    "AWS_SECRET_ACCESS_KEY": "",
    "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/credentials",
    "AWS_CONFIG_FILE": "/nonexistent/config",
    "AWS_EC2_METADATA_DISABLED": "true",
}


def test_a_local_server_on_another_port_needs_only_its_endpoint(
    server, tmp_path, photos
):
    """With only AWS_S3_ENDPOINT_URL set, a local endpoint gets moto's dummies."""
    server.start(bucket=False)
    server.s3.ensure_bucket("et-issue-example")
    env = {
        **NO_CREDENTIALS,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "AWS_STORAGE_BUCKET_NAME": "",
        "AWS_S3_ENDPOINT_URL": server.endpoint,
    }
    assert run_manage("migrate", "--verbosity", "0", env=env)[2] == 0

    out, err, code, _ = run(["load_photos", "{photos}"], env, photos)

    assert (code, err) == (0, "")
    assert "12 loaded, 0 already loaded, 0 failed" in out


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_missing_credentials_are_named_with_the_variables_to_set(
    command, tmp_path, photos
):
    env = {
        **NO_CREDENTIALS,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": "",
    }
    assert run_manage("migrate", "--verbosity", "0", env=env)[2] == 0

    out, err, code, seconds = run(command, env, photos)

    assert code == 1
    assert_one_message(
        err,
        "No credentials for AWS S3: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
        "or give boto3 a profile or role of its own.",
    )
    assert seconds < 20


def test_a_key_without_its_secret_is_named(server, env, photos):
    server.start()

    out, err, code, _ = run(
        ["load_photos", "{photos}"], {**env, "AWS_SECRET_ACCESS_KEY": ""}, photos
    )

    assert code == 1
    assert_one_message(
        err,
        "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not: set both for "
        f"{server.endpoint}.",
    )
    assert server.keys() == []


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_refused_credentials_are_named_but_not_shown(command, server, env, photos):
    # moto checks credentials against its IAM users when this is 0.
    server.env = {"INITIAL_NO_AUTH_ACTION_COUNT": "0"}
    server.start(bucket=False)

    out, err, code, seconds = run(command, env, photos)

    assert code == 1
    assert_one_message(
        err,
        f"{server.endpoint} refused access to bucket {BUCKET!r}: check "
        "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.",
    )
    assert "AKIAEXAMPLEBROKENS3" not in out + err
    assert seconds < 20


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_missing_bucket_is_named_with_what_to_do(command, server, env, photos):
    server.start()

    out, err, code, seconds = run(
        command, {**env, "AWS_STORAGE_BUCKET_NAME": "no-such-bucket"}, photos
    )

    assert code == 1
    assert_one_message(
        err,
        f"Bucket 'no-such-bucket' does not exist on {server.endpoint}: create it, "
        f"or set AWS_STORAGE_BUCKET_NAME (the local server of {server.data_dir} "
        f"creates it with `{server.start_command}`).",
    )
    assert seconds < 20


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_server_that_does_not_answer_is_given_up_on_in_seconds(
    command, server, env, photos
):
    server.start()
    os.kill(server.pid, signal.SIGSTOP)
    try:
        out, err, code, seconds = run(command, env, photos)
    finally:
        os.kill(server.pid, signal.SIGCONT)

    assert code == 1
    assert_one_message(
        err,
        f"The S3 server at {server.endpoint} (AWS_S3_ENDPOINT_URL) did not answer "
        "within 5 s: check that "
        "it is running and not overloaded, or raise AWS_S3_CONNECT_TIMEOUT / "
        "AWS_S3_READ_TIMEOUT for a slow network.",
    )
    assert seconds < 20


def stop_server_during(server, env, args, *, after_puts):
    """Run manage.py args; once the server has seen after_puts PUTs, stop the
    server while the command is paused. Return (out, err, code, seconds)."""
    reset_request_counts(server.endpoint)
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        while request_counts(server.endpoint).get("PUT", 0) < after_puts:
            assert process.poll() is None, process.communicate()
            time.sleep(0.005)
        process.send_signal(signal.SIGSTOP)
        server.stop()
        process.send_signal(signal.SIGCONT)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    return out, err, process.returncode, time.monotonic() - started


def test_a_server_stopped_during_load_photos_ends_it_and_a_rerun_finishes(
    server, env, photos
):
    server.start()

    out, err, code, seconds = stop_server_during(
        server, env, ["load_photos", str(photos)], after_puts=2
    )

    assert code == 1
    (line,) = err.splitlines()
    assert line.startswith("CommandError: Stopped at view-")
    assert (
        f"Cannot reach the S3 server at {server.endpoint} (AWS_S3_ENDPOINT_URL): "
        f"start it with `{server.start_command}`, its data in {server.data_dir}. "
    ) in line
    assert re.search(r" \d+ loaded, 0 already loaded, 0 failed, \d+ not tried, ", line)
    assert line.endswith("Then run load_photos again: it loads only what is missing.")
    assert seconds < 40
    assert SECRET not in out + err

    server.start(bucket=False)  # The same data directory: the objects are back.
    loaded_before = len(names_in_db(env))
    out, err, code, _ = run(["load_photos", "{photos}"], env, photos)

    assert (code, err) == (0, "")
    assert (
        f"{12 - loaded_before} loaded, {loaded_before} already loaded, 0 failed" in out
    )
    assert server.keys() == names_in_db(env)
    assert len(server.keys()) == 12


def test_a_server_stopped_during_generation_ends_it_and_a_rerun_finishes(
    server, env, photos
):
    server.start()
    assert run(["load_photos", "{photos}"], env, photos)[2] == 0
    originals = server.keys()

    out, err, code, seconds = stop_server_during(
        server, env, ["generate_all_thumbnail_aliases"], after_puts=12
    )

    assert code == 1
    assert err.startswith("CommandError: Stopped at photo ")
    assert err.endswith(
        f"Cannot reach the S3 server at {server.endpoint} (AWS_S3_ENDPOINT_URL): "
        f"start it with `{server.start_command}`, its data in {server.data_dir}. "
        "Then run "
        "generate_all_thumbnail_aliases again: it "
        "makes only the thumbnails that are missing.\n"
    )
    assert err.count("\n") == 1
    assert seconds < 40

    server.start(bucket=False)
    out, err, code, _ = run(["generate_all_thumbnail_aliases"], env, photos)

    assert (code, err) == (0, "")
    thumbnails = names_in_db(env, "easy_thumbnails.Thumbnail", "name")
    assert len(thumbnails) == len(set(thumbnails)) == 12 * 9
    assert names_in_db(env, "easy_thumbnails.Source", "name") == originals
    assert server.keys() == sorted(originals + thumbnails)


def test_the_page_comes_back_in_seconds_when_the_storage_stops(server, env, tmp_path):
    server.start()
    first, rest = tmp_path / "first", tmp_path / "rest"
    first.mkdir()
    rest.mkdir()
    (first / "warm.jpg").write_bytes(small_photo_bytes(1))
    for seed in (2, 3, 4):
        (rest / f"cold-{seed}.jpg").write_bytes(small_photo_bytes(seed))
    assert run(["load_photos", str(first)], env, None)[2] == 0
    assert run(["generate_all_thumbnail_aliases"], env, None)[2] == 0
    assert run(["load_photos", str(rest)], env, None)[2] == 0
    log_path = tmp_path / "runserver.log"

    with running_site(env, log_path) as url:
        server.stop()
        started = time.monotonic()
        status, html = get(f"{url}/")
        seconds = time.monotonic() - started

    assert status == 200
    assert seconds < 20
    sections = re.findall(
        r'<section class="photo" id="photo-\d+">(.*?)</section>', html, re.S
    )
    assert sections[0].count(" data-alias=") == 9
    for section in sections[1:]:
        assert " data-alias=" not in section
        assert (
            "This photo cannot be shown: the photo storage could not be reached."
            in section
        )
    logged = [
        line for line in log_path.read_text().splitlines() if "cannot be shown" in line
    ]
    assert len(logged) == 3
    assert SECRET not in log_path.read_text()


def test_the_default_endpoint_is_named_as_the_default_with_the_variable_to_set(
    settings,
):
    """No AWS variable set: the message says the endpoint is the default, and
    that AWS_S3_ENDPOINT_URL points commands at a server on another port."""
    from photos.storage_check import StorageUnavailable, check_photo_storage

    port = free_port()
    # Another test may have started a server of its own folder on this port.
    (ports_record_dir() / str(port)).unlink(missing_ok=True)
    settings.LOCAL_S3 = True
    settings.AWS_S3_ENDPOINT_URL = f"http://127.0.0.1:{port}"

    with pytest.raises(StorageUnavailable) as raised:
        check_photo_storage()

    assert str(raised.value) == (
        f"Cannot reach the S3 server at http://127.0.0.1:{port} "
        f"(AWS_S3_ENDPOINT_URL's default): start it with `make s3 S3_PORT={port}`, "
        f"its data in {REPO_ROOT / 'var' / 's3'}, or set AWS_S3_ENDPOINT_URL to the "
        "S3 server that runs."
    )
