"""How an S3 request is named, by the client's counter and the server's alike."""

S3_OPERATIONS = ["HEAD", "GET", "PUT", "DELETE", "LIST", "POST"]


def s3_operation(method: str, lists: bool) -> str:
    """A request's HTTP method, except that a GET which lists a bucket is a LIST."""
    if method == "GET" and lists:
        return "LIST"
    return method


def all_operations(counts: dict[str, int]) -> dict[str, int]:
    """Every operation named, zeros included, so runs compare key by key."""
    return {**dict.fromkeys(S3_OPERATIONS, 0), **counts}
