"""The local S3 server: its own process, objects kept across restarts."""

import os
import socket
import subprocess
import sys
import threading
import time

import boto3
import psutil
import pytest

from counting.s3_bytes import get_and_put
from local_services import S3Server
from local_services.ports import free_port
from local_services.s3 import (
    body_bytes,
    clear_failing_puts,
    fail_puts,
    network,
    ports_record_dir,
    request_counts,
    reset_request_counts,
    server_info,
    set_network,
)
from local_services.s3.bodies import PIECE_BYTES
from tests.conftest import REPO_ROOT, run_manage

# The tests start real S3 servers of their own.
pytestmark = pytest.mark.server


@pytest.fixture
def server(tmp_path):
    port = free_port()
    data_dir = tmp_path / "s3"
    yield port, data_dir
    S3Server(data_dir, port).stop()


def client(endpoint):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )


def s3_command(*args, port, data_dir):
    return subprocess.run(
        [sys.executable, "-m", "local_services", "s3", *args]
        + [
            "--port",
            str(port),
            "--data-dir",
            str(data_dir),
            "--bucket",
            "photos-bucket",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_objects_survive_a_restart_of_the_server(server):
    port, data_dir = server
    started = s3_command("start", port=port, data_dir=data_dir)
    assert started.returncode == 0, started.stderr
    assert "bucket photos-bucket created" in started.stdout
    s3 = client(f"http://127.0.0.1:{port}")
    s3.put_object(
        Bucket="photos-bucket",
        Key="photos/a.jpg",
        Body=b"jpeg",
        ContentType="image/jpeg",
    )
    before = s3.head_object(Bucket="photos-bucket", Key="photos/a.jpg")
    s3.close()

    assert "Stopped" in s3_command("stop", port=port, data_dir=data_dir).stdout
    restarted = s3_command("start", port=port, data_dir=data_dir)

    assert "bucket photos-bucket exists" in restarted.stdout
    s3 = client(f"http://127.0.0.1:{port}")
    after = s3.get_object(Bucket="photos-bucket", Key="photos/a.jpg")
    assert after["Body"].read() == b"jpeg"
    assert after["ContentType"] == "image/jpeg"
    assert after["LastModified"] == before["LastModified"]
    s3.close()


def test_an_upload_under_way_when_the_server_stops_is_answered_and_kept(server):
    """Stopping waits for the changes under way: an upload the server took
    before it was told to stop is answered 200 and is there after a restart,
    so that no row stands for an object the bucket lost."""
    port, data_dir = server
    s3_command("start", "--network", "internet", port=port, data_dir=data_dir)
    endpoint = f"http://127.0.0.1:{port}"
    s3 = client(endpoint)
    # About two seconds at the internet profile's 2 Mbit/s up.
    photo = os.urandom(500_000)
    reset_request_counts(endpoint)
    answer = {}

    def upload():
        try:
            answer["response"] = s3.put_object(
                Bucket="photos-bucket", Key="photos/big.jpg", Body=photo
            )
        except Exception as error:  # what the test reports
            answer["error"] = error

    uploading = threading.Thread(target=upload)
    uploading.start()
    while request_counts(endpoint).get("PUT", 0) == 0:
        time.sleep(0.01)
    # Past its first-byte latency: its body is being read.
    time.sleep(network.profile("internet").latency_seconds + 0.3)
    stopped = s3_command("stop", port=port, data_dir=data_dir)
    uploading.join(30)
    s3.close()

    assert "Stopped" in stopped.stdout, stopped.stdout + stopped.stderr
    assert "error" not in answer, answer
    assert answer["response"]["ResponseMetadata"]["HTTPStatusCode"] == 200
    s3_command("start", port=port, data_dir=data_dir)
    s3 = client(endpoint)
    kept = s3.get_object(Bucket="photos-bucket", Key="photos/big.jpg")
    assert kept["Body"].read() == photo
    s3.close()


def test_starting_a_running_server_says_so(server):
    port, data_dir = server
    s3_command("start", port=port, data_dir=data_dir)

    again = s3_command("start", port=port, data_dir=data_dir)

    assert again.returncode == 0
    assert again.stdout.startswith("Already running: local S3 server")


def test_the_server_says_which_data_folder_it_serves(server):
    port, data_dir = server
    s3_command("start", port=port, data_dir=data_dir)

    info = server_info(f"http://127.0.0.1:{port}")

    assert info == {
        "ok": True,
        "data_dir": str(data_dir.resolve()),
        "pid": int((data_dir / "server.pid").read_text()),
    }


def test_another_checkouts_server_on_the_port_is_named_not_reused(server, tmp_path):
    """Two data folders, one port: the second start refuses and says what to do."""
    port, data_dir = server
    s3_command("start", port=port, data_dir=data_dir)
    pid = int((data_dir / "server.pid").read_text())
    other_dir = tmp_path / "other-checkout" / "s3"

    refused = s3_command("start", port=port, data_dir=other_dir)

    assert refused.returncode == 1
    assert refused.stdout == ""
    assert refused.stderr == (
        f"Port {port} is taken by another local S3 server (pid {pid}, data in "
        f"{data_dir.resolve()}), not the one of {other_dir}: start this one on "
        f"another port, e.g. `.venv/bin/python -m local_services s3 start --port "
        f"{port + 1} --data-dir {other_dir}` (and `make run "
        f"S3_PORT={port + 1}`), or stop that one with `.venv/bin/python -m local_services "
        f"s3 stop --data-dir {data_dir.resolve()}`.\n"
    )
    assert not (other_dir / "server.pid").exists()
    assert server_info(f"http://127.0.0.1:{port}")["pid"] == pid

    stopped = s3_command("stop", port=port, data_dir=other_dir)

    assert stopped.stdout == (
        f"The local S3 server of {other_dir} was not running.\n"
        f"The one on http://127.0.0.1:{port} keeps its data in {data_dir.resolve()}: "
        "stop it with `.venv/bin/python -m local_services s3 stop --data-dir "
        f"{data_dir.resolve()}`.\n"
    )
    assert server_info(f"http://127.0.0.1:{port}")["pid"] == pid


def test_another_program_on_the_port_is_named(server):
    port, data_dir = server
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", port))
        listener.listen()

        refused = s3_command("start", port=port, data_dir=data_dir)

    assert refused.returncode == 1
    assert refused.stderr == (
        f"Port {port} is taken by another program: start the local S3 server of "
        f"{data_dir} on another port, e.g. `.venv/bin/python -m local_services s3 "
        f"start --port {port + 1} --data-dir {data_dir}`, or stop that program.\n"
    )
    assert not (data_dir / "server.pid").exists()


def test_one_data_folder_is_served_by_one_server_only(server):
    """A second server saving into the same folder would overwrite the first's."""
    port, data_dir = server
    s3_command("start", port=port, data_dir=data_dir)
    pid = int((data_dir / "server.pid").read_text())
    other_port = free_port()

    refused = s3_command("start", port=other_port, data_dir=data_dir)

    assert refused.returncode == 1
    assert refused.stderr == (
        f"The local S3 server of {data_dir} already runs (pid {pid}) on port "
        f"{port}, not {other_port}: use port {port} (S3_PORT={port}), or stop it "
        "with `make s3-stop` and start it again.\n"
    )
    assert int((data_dir / "server.pid").read_text()) == pid
    assert not S3Server(data_dir, other_port).is_running()


def test_the_server_counts_requests_by_operation(server):
    port, data_dir = server
    s3_command("start", port=port, data_dir=data_dir)
    endpoint = f"http://127.0.0.1:{port}"
    reset_request_counts(endpoint)
    s3 = client(endpoint)

    s3.put_object(Bucket="photos-bucket", Key="k", Body=b"1")
    s3.head_object(Bucket="photos-bucket", Key="k")
    s3.get_object(Bucket="photos-bucket", Key="k")["Body"].read()
    s3.list_objects_v2(Bucket="photos-bucket")
    s3.delete_object(Bucket="photos-bucket", Key="k")
    s3.close()

    assert request_counts(endpoint) == {
        "DELETE": 1,
        "GET": 1,
        "HEAD": 1,
        "LIST": 1,
        "PUT": 1,
    }


def test_a_command_that_cannot_reach_s3_says_which_endpoint_and_what_to_do(tmp_path):
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    # Another test may have started a server of its own folder on this port.
    (ports_record_dir() / str(port)).unlink(missing_ok=True)

    out, err, code = run_manage(
        "generate_all_thumbnail_aliases",
        env={"AWS_S3_ENDPOINT_URL": endpoint},
    )

    assert code == 1
    assert err == (
        f"CommandError: Cannot reach the S3 server at {endpoint} "
        f"(AWS_S3_ENDPOINT_URL): start it with `make s3 S3_PORT={port}`, its data "
        f"in {REPO_ROOT / 'var' / 's3'}.\n"
    )


def test_the_server_fails_the_puts_of_a_prefix_until_cleared(bucket):
    """PUTs of keys under the prefix get the S3 error asked for and store
    nothing; other keys are stored; clearing the rule stores them again."""
    from botocore.config import Config
    from botocore.exceptions import ClientError

    s3 = boto3.client(
        "s3",
        endpoint_url=bucket.endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
        config=Config(retries={"max_attempts": 1}),
    )
    fail_puts(bucket.endpoint, "photos/broken.jpg.", status=403)
    try:
        with pytest.raises(ClientError) as raised:
            s3.put_object(
                Bucket=bucket.name, Key="photos/broken.jpg.50x50.jpg", Body=b"x"
            )
        s3.put_object(Bucket=bucket.name, Key="photos/other.jpg.50x50.jpg", Body=b"x")
    finally:
        clear_failing_puts(bucket.endpoint)
    s3.put_object(Bucket=bucket.name, Key="photos/broken.jpg.58x40.jpg", Body=b"x")
    s3.close()

    assert raised.value.response["Error"]["Code"] == "AccessDenied"
    assert bucket.request_counts() == {"PUT": 3}
    assert bucket.object_keys() == [
        "photos/broken.jpg.58x40.jpg",
        "photos/other.jpg.50x50.jpg",
    ]


def timed(call):
    started = time.monotonic()
    call()
    return time.monotonic() - started


def traffic(s3, photo):
    """An upload, a download and a HEAD, each timed."""
    return {
        "PUT": timed(
            lambda: s3.put_object(Bucket="photos-bucket", Key="a", Body=photo)
        ),
        "GET": timed(
            lambda: s3.get_object(Bucket="photos-bucket", Key="a")["Body"].read()
        ),
        "HEAD": timed(lambda: s3.head_object(Bucket="photos-bucket", Key="a")),
    }


def test_a_network_profile_delays_each_request_and_paces_its_bodies(server):
    """With internet, each request waits its first-byte latency and each body
    its bytes at the line's rate; the requests and bytes counted are those of
    loopback."""
    port, data_dir = server
    started = s3_command("start", "--network", "internet", port=port, data_dir=data_dir)
    assert started.returncode == 0, started.stderr
    assert (
        "network internet simulated: 80 ms first byte, 15.6 Mbit/s down, 2 Mbit/s up."
        in started.stdout
    )
    endpoint = f"http://127.0.0.1:{port}"
    s3 = client(endpoint)
    photo = os.urandom(300_000)
    reset_request_counts(endpoint)

    seconds = traffic(s3, photo)

    internet = network.profile("internet")
    paced_bytes = len(photo) - PIECE_BYTES  # the first piece goes at once
    assert seconds["HEAD"] >= internet.latency_seconds
    assert seconds["PUT"] >= (
        internet.latency_seconds + paced_bytes / internet.upload_bytes_per_second
    )
    assert seconds["GET"] >= (
        internet.latency_seconds + paced_bytes / internet.download_bytes_per_second
    )
    shaped = (request_counts(endpoint), body_bytes(endpoint))

    assert set_network(endpoint, "loopback")["simulated"] is False
    reset_request_counts(endpoint)
    traffic(s3, photo)
    assert (request_counts(endpoint), body_bytes(endpoint)) == shaped
    assert shaped[0] == {"GET": 1, "HEAD": 1, "PUT": 1}
    assert get_and_put(shaped[1]["received"], shaped[1]["sent"]) == {
        "get": len(photo),
        "put": len(photo),
    }
    s3.close()


def test_starting_a_running_server_with_a_profile_gives_it_that_profile(server):
    """make run NETWORK=... changes the network of a server already running."""
    port, data_dir = server
    s3_command("start", port=port, data_dir=data_dir)

    again = s3_command(
        "start", "--network", "same-region", port=port, data_dir=data_dir
    )

    assert again.stdout.startswith("Already running: local S3 server")
    assert "network same-region simulated: 30 ms first byte, 680 Mbit/s down" in (
        again.stdout
    )
    back = s3_command("start", port=port, data_dir=data_dir)
    assert "network loopback (not shaped)." in back.stdout


def test_a_server_told_to_stop_stops_without_being_waited_for(server):
    """tell_to_stop(), for a run stopping all its servers at once: SIGTERM,
    as stop() sends it, and stop() after finds it stopped."""
    port, data_dir = server
    s3 = S3Server(data_dir, port)
    s3.start()
    process = psutil.Process(s3.running_pid())

    s3.tell_to_stop()
    process.wait(timeout=20)

    assert s3.running_pid() is None
    assert s3.stop() is False
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
