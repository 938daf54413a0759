import io

import boto3
from botocore.awsrequest import AWSResponse

from counting.s3_requests import S3RequestCounter, operation_of


def test_operations_are_named_as_the_local_s3_server_names_them():
    """HTTP method, except that a GET which lists is a LIST."""
    assert operation_of("HEAD", "HeadObject") == "HEAD"
    assert operation_of("GET", "GetObject") == "GET"
    assert operation_of("GET", "ListObjectsV2") == "LIST"
    assert operation_of("PUT", "PutObject") == "PUT"
    assert operation_of("DELETE", "DeleteObject") == "DELETE"
    assert operation_of("POST", "DeleteObjects") == "POST"


class EmptyBody:
    def stream(self, **kwargs):
        yield b""


def answer_ok(request, **kwargs):
    return AWSResponse(request.url, 200, {}, EmptyBody())


def test_clients_created_after_install_are_counted_and_earlier_ones_are_not():
    """Counting hooks into client creation, and stops when uninstalled."""
    counter = S3RequestCounter()
    session = boto3.session.Session(
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    before = session.client("s3", endpoint_url="http://127.0.0.1:9")
    uninstall = counter.install_on_every_client()
    try:
        counted = session.client("s3", endpoint_url="http://127.0.0.1:9")
    finally:
        uninstall()
    after = session.client("s3", endpoint_url="http://127.0.0.1:9")

    for client in (before, counted, after):
        # Answer from here instead of the network: before-send comes after
        # request-created, which is what is counted.
        client.meta.events.register("before-send.s3", answer_ok)
        client.head_object(Bucket="b", Key="k")
        client.list_objects_v2(Bucket="b")
    assert counter.snapshot() == {"HEAD": 1, "LIST": 1}


def test_the_counter_of_this_process_is_one_and_counts_since_a_snapshot():
    """One counter per process, installed once; since() is one request's share."""
    counter = S3RequestCounter.of_this_process()
    assert S3RequestCounter.of_this_process() is counter
    client = boto3.session.Session(
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    ).client("s3", endpoint_url="http://127.0.0.1:9")
    client.meta.events.register("before-send.s3", answer_ok)
    client.head_object(Bucket="b", Key="k")
    before = counter.snapshot()

    client.head_object(Bucket="b", Key="k")
    client.head_object(Bucket="b", Key="k")
    client.list_objects_v2(Bucket="b")

    assert counter.since(before) == {"HEAD": 2, "LIST": 1}


class Body(io.BytesIO):
    """A response's raw body, as urllib3 hands it to botocore."""

    def stream(self, **kwargs):
        yield self.getvalue()


def answer_with_an_object(request, **kwargs):
    data = b"x" * 1000 if request.method == "GET" else b""
    headers = {"Content-Length": str(len(data))}
    return AWSResponse(request.url, 200, headers, Body(data))


def test_body_bytes_are_what_puts_send_and_gets_of_objects_bring():
    """PUT bodies as botocore sends them, GET bodies as their length; a HEAD's
    Content-Length is of a body it never gets, and is left out."""
    counter = S3RequestCounter()
    client = boto3.session.Session(
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    ).client("s3", endpoint_url="http://127.0.0.1:9")
    counter.register(client)
    client.meta.events.register("before-send.s3", answer_with_an_object)

    client.put_object(Bucket="b", Key="k", Body=b"y" * 300)
    assert client.get_object(Bucket="b", Key="k")["Body"].read() == b"x" * 1000
    client.head_object(Bucket="b", Key="k")

    assert counter.body_bytes.snapshot() == {"get": 1000, "put": 300}
    assert counter.snapshot() == {"GET": 1, "HEAD": 1, "PUT": 1}
