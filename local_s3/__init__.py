"""A local S3 server: moto in server mode, as its own process, with objects kept on disk."""

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5000
DEFAULT_DATA_DIR = "var/s3"
