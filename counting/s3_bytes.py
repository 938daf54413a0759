"""The S3 body bytes a report keeps, named alike by the server's count and botocore's.

A thumbnail's cost in S3 traffic is its downloads of the original (GET
response bodies) and its uploads (PUT request bodies); the other operations'
bodies are a few hundred bytes of XML.
"""

S3_BYTES_KINDS = ["get", "put"]


def get_and_put(received: dict[str, int], sent: dict[str, int]) -> dict[str, int]:
    """The bytes of GET response bodies and of PUT request bodies, from the
    body bytes a server received and sent, by operation."""
    return {"get": sent.get("GET", 0), "put": received.get("PUT", 0)}


def all_kinds(counts: dict[str, int]) -> dict[str, int]:
    """get and put both named, zeros included, so runs compare key by key."""
    return {**dict.fromkeys(S3_BYTES_KINDS, 0), **counts}
