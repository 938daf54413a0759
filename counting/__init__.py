"""What the site shows and the measurements report, counted one way.

- kinds.py: the base of every counter here, counts by kind from any thread;
- queries.py: SQL statements, by kind, through Django's execute wrapper;
- statement_kinds.py: what kind a statement is (SELECT, ..., BEGIN, ...);
- s3_operations.py: how a request to S3 is named (HEAD, GET, LIST, ...),
  by the client and by the local S3 server alike;
- s3_requests.py: the S3 requests of a process, from botocore's own events.

The local S3 server (local_services.s3.app) counts what it serves on the same base.
Nothing is imported here: the S3 server and the report writers need
neither Django nor botocore.
"""
