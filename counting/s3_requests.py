"""Count S3 requests and their body bytes in the measured process, from
botocore's own events.

This is the independent check of the local S3 server's counts: the server
counts what it serves, this counts what the client sends and is sent.
"""

import threading

import botocore.session

from counting.kinds import KindCounter
from counting.s3_operations import is_counted, s3_operation


def operation_of(method: str, operation_name: str) -> str:
    """Name a request as the local S3 server does: by HTTP method, listings apart."""
    return s3_operation(method, lists=operation_name.startswith("List"))


def body_length(headers) -> int:
    """A body's bytes by its Content-Length header; none without one."""
    return int(headers.get("Content-Length") or headers.get("content-length") or 0)


class S3RequestCounter(KindCounter):
    """The S3 requests a process sends, by operation, and in body_bytes the
    bytes of their bodies that a report keeps (counting.s3_bytes): "put",
    what PUT requests send, and "get", what GET responses of objects bring.
    """

    _of_this_process = None
    _of_this_process_lock = threading.Lock()

    def __init__(self):
        super().__init__()
        self.body_bytes = KindCounter()

    @classmethod
    def of_this_process(cls) -> "S3RequestCounter":
        """The one counter of every S3 client this process creates after the first call.

        A request's own figures are its since() a snapshot taken as it began;
        requests served at the same time count in each other's.
        """
        with cls._of_this_process_lock:
            if cls._of_this_process is None:
                cls._of_this_process = cls()
                cls._of_this_process.install_on_every_client()
            return cls._of_this_process

    def on_request_created(self, request, operation_name, **kwargs):
        # request-created fires once per HTTP request, retries included,
        # which is what the server sees.
        if is_counted(request.headers.get("User-Agent")):
            self.add(operation_of(request.method, operation_name))

    def on_before_send(self, request, **kwargs):
        # Once per attempt, as request-created: the Content-Length botocore
        # sends, whatever the body is (bytes, a file, a part of one).
        if request.method == "PUT":
            self.body_bytes.add("put", body_length(request.headers))

    def on_object_received(self, response_dict, **kwargs):
        # The body's length as its header gives it: botocore's StreamingBody
        # refuses a body that ends short of it once it is read to the end.
        if response_dict is not None and response_dict["status_code"] < 300:
            self.body_bytes.add("get", body_length(response_dict["headers"]))

    def register(self, client) -> None:
        client.meta.events.register("request-created.s3", self.on_request_created)
        client.meta.events.register("before-send.s3", self.on_before_send)
        client.meta.events.register(
            "response-received.s3.GetObject", self.on_object_received
        )

    def install_on_every_client(self):
        """Count the requests of every S3 client created from now on.

        Returns a function that stops counting new clients.

        django-storages builds its boto3 session and client lazily, once per
        thread, out of reach of the caller; botocore's create_client is the
        one place every client passes through.
        """
        create_client = botocore.session.Session.create_client
        counter = self

        def counting_create_client(session, service_name, *args, **kwargs):
            client = create_client(session, service_name, *args, **kwargs)
            if service_name == "s3":
                counter.register(client)
            return client

        botocore.session.Session.create_client = counting_create_client

        def uninstall():
            botocore.session.Session.create_client = create_client

        return uninstall
