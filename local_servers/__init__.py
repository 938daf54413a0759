"""What the project's local servers (local_s3, local_redis) and its tests share:
a free port, and a server started in the background that outlives its starter."""
