"""Tell a database or a storage that fails every photo from a photo that failed.

A photo that cannot be read or decoded is that photo's failure: the next one
is tried. A database that refuses a write, or a bucket that refuses a PUT,
would fail every photo after it in turn, each upload left without its row:
the run stops at once, naming the database or the bucket.
"""

from botocore.exceptions import ClientError
from django.conf import settings
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    DataError,
    IntegrityError,
    connections,
)

from .database_check import unapplied_migrations_message
from .storage_check import StorageUnavailable

# S3's answers to a write that every other photo would get too: the bucket,
# its policy or the credentials refuse it.
STORAGE_REFUSALS = {
    "AccessDenied",
    "AccountProblem",
    "AllAccessDisabled",
    "InvalidAccessKeyId",
    "NoSuchBucket",
    "SignatureDoesNotMatch",
}


class DatabaseFailed(Exception):
    """The database failed a query that every photo needs."""


def check_database_failure(error: BaseException, using=DEFAULT_DB_ALIAS) -> None:
    """Raise DatabaseFailed, naming the database, when error is the database's.

    An IntegrityError or a DataError is the row's own (another process wrote
    it first, a value does not fit), not the database's. The message is one
    line, whatever the driver's.
    """
    for cause in causes(error):
        if isinstance(cause, DatabaseError) and not isinstance(
            cause, IntegrityError | DataError
        ):
            message = unapplied_migrations_message(using) or (
                f"The database {database_description(using)} failed: "
                f"{type(cause).__name__}: {' '.join(str(cause).split())}."
            )
            raise DatabaseFailed(message) from None


def check_storage_refusal(error: BaseException) -> None:
    """Raise StorageUnavailable, naming the bucket, when S3 refused a write
    as it would refuse any photo's."""
    for cause in causes(error):
        if not isinstance(cause, ClientError):
            continue
        details = cause.response.get("Error", {})
        code = details.get("Code")
        if code in STORAGE_REFUSALS:
            endpoint = settings.AWS_S3_ENDPOINT_URL or "AWS S3"
            raise StorageUnavailable(
                f"Bucket {settings.AWS_STORAGE_BUCKET_NAME!r} on {endpoint} refused "
                f"a write ({code}: {details.get('Message', '')}): check its policy "
                "and that AWS_ACCESS_KEY_ID may write to it (s3:PutObject)."
            ) from None


def database_description(using=DEFAULT_DB_ALIAS) -> str:
    """The database as settings.DATABASES names it: its file, or its name and server."""
    database = connections[using].settings_dict
    if database.get("HOST"):
        port = f":{database['PORT']}" if database.get("PORT") else ""
        return f"{database['NAME']} on {database['HOST']}{port}"
    return str(database["NAME"])


def causes(error: BaseException):
    """error, then what it was raised from or during, in turn."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__
