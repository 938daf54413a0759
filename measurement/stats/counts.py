"""Counts that come by kind (S3 requests by operation) or as one number."""


def total(value) -> int | float | None:
    """A count in all: the sum of a count by kind, or the count itself."""
    return sum(value.values()) if isinstance(value, dict) else value
