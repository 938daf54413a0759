"""How an S3 request is named, by the client's counter and the server's alike."""

S3_OPERATIONS = ["HEAD", "GET", "PUT", "DELETE", "LIST", "POST"]
# In the User-Agent of the site's own check of its storage (once a minute, not
# a page's request): neither counter counts a request that carries it.
UNCOUNTED_USER_AGENT_MARK = "et-issue-example-storage-check"


def is_counted(user_agent: str | bytes | None) -> bool:
    """Whether a request with this User-Agent is counted: all but the site's
    check of its storage."""
    if isinstance(user_agent, bytes):
        user_agent = user_agent.decode("latin-1")
    return UNCOUNTED_USER_AGENT_MARK not in (user_agent or "")


def s3_operation(method: str, lists: bool) -> str:
    """A request's HTTP method, except that a GET which lists a bucket is a LIST."""
    if method == "GET" and lists:
        return "LIST"
    return method


def all_operations(counts: dict[str, int]) -> dict[str, int]:
    """Every operation named, zeros included, so runs compare key by key."""
    return {**dict.fromkeys(S3_OPERATIONS, 0), **counts}
