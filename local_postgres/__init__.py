"""A local PostgreSQL server: the real one, with its own data folder and port."""

DEFAULT_HOST = "127.0.0.1"
# Beside, not on, the 5432 of a PostgreSQL the machine may run already.
DEFAULT_PORT = 5440
DEFAULT_DATA_DIR = "var/postgres"
DEFAULT_DATABASE = "et_issue_example"
