"""Measure easy-thumbnails issue #230 from outside: memory, SQL queries, S3 requests."""
