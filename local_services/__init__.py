"""The project's local servers: S3 (moto), PostgreSQL and Redis, each a real
server on this machine with a data folder of its own.

python -m local_services SERVICE COMMAND starts, stops and looks at them;
server.py is what they share, ports.py the ports they listen on.
"""

from .postgres import PostgresServer
from .redis import RedisServer
from .s3 import S3Server
from .server import ServiceError

__all__ = ["PostgresServer", "RedisServer", "S3Server", "ServiceError"]
