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
