"""A local Redis server for the task queue: Debian's redis-server, as its own process."""

DEFAULT_HOST = "127.0.0.1"
# Not Redis's own 6379: a system Redis there (Debian's package starts one
# where it may) is left alone.
DEFAULT_PORT = 6380
DEFAULT_DATA_DIR = "var/redis"
