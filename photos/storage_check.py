"""Tell a user, in one line, when the photo storage cannot be reached."""

from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import boto3
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    NoCredentialsError,
    ReadTimeoutError,
    SSLError,
)
from django.conf import settings

from counting.s3_operations import UNCOUNTED_USER_AGENT_MARK
from local_services.s3 import data_dir_in_use, is_local_endpoint, start_command

CHECK_TIMEOUT_SECONDS = 5
CREDENTIAL_VARIABLES = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")


class StorageUnavailable(Exception):
    pass


def check_photo_storage(*, counted: bool = True) -> None:
    """Raise StorageUnavailable, with what to do, unless the S3 bucket answers.

    One HEAD of the bucket with short timeouts and no retries, so a stopped
    server is reported in seconds rather than after botocore's retries.
    counted=False marks its requests as the site's own check, which neither
    the page's figures nor the local S3 server count.
    """
    if settings.PHOTO_STORAGE != "s3":
        return
    endpoint = settings.AWS_S3_ENDPOINT_URL or "AWS S3"
    bucket = settings.AWS_STORAGE_BUCKET_NAME
    check_endpoint_url(settings.AWS_S3_ENDPOINT_URL)
    check_credentials_pair(endpoint)
    client = boto3.client(
        "s3",
        endpoint_url=settings.AWS_S3_ENDPOINT_URL,
        aws_access_key_id=settings.AWS_ACCESS_KEY_ID,
        aws_secret_access_key=settings.AWS_SECRET_ACCESS_KEY,
        region_name=settings.AWS_S3_REGION_NAME,
        config=Config(
            connect_timeout=CHECK_TIMEOUT_SECONDS,
            read_timeout=CHECK_TIMEOUT_SECONDS,
            retries={"max_attempts": 1},
            s3={"addressing_style": settings.AWS_S3_ADDRESSING_STYLE},
            user_agent_extra=None if counted else UNCOUNTED_USER_AGENT_MARK,
        ),
    )
    try:
        client.head_bucket(Bucket=bucket)
    except ClientError as error:
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if status not in (401, 403) and not answers_as_s3(client, bucket):
            raise StorageUnavailable(
                f"The server at {endpoint_named()} is not an S3 server (it "
                f"answered HTTP {status}, with no S3 error): set AWS_S3_ENDPOINT_URL "
                "to the S3 server's endpoint, such as the local one's, "
                f"{settings.LOCAL_S3_ENDPOINT_URL} (`make s3`)."
            ) from None
        if status == 404:
            raise StorageUnavailable(
                f"Bucket {bucket!r} does not exist on {endpoint}: create it, or set "
                f"AWS_STORAGE_BUCKET_NAME{bucket_hint()}."
            ) from None
        if status in (401, 403):
            raise StorageUnavailable(
                f"{endpoint} refused access to bucket {bucket!r}: check "
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."
            ) from None
        raise StorageUnavailable(
            f"{endpoint} answered HTTP {status} for bucket {bucket!r}."
        ) from None
    except (ReadTimeoutError, ConnectTimeoutError):
        raise StorageUnavailable(
            f"The S3 server at {endpoint_named()} did not answer within "
            f"{CHECK_TIMEOUT_SECONDS} s: check that it is running and not overloaded, "
            "or raise AWS_S3_CONNECT_TIMEOUT / AWS_S3_READ_TIMEOUT for a slow network."
        ) from None
    except SSLError as error:
        if "CERTIFICATE" in str(error).upper():
            raise StorageUnavailable(
                f"The S3 server at {endpoint_named()} speaks https with a "
                "certificate this machine does not trust."
            ) from None
        plain = urlsplit(settings.AWS_S3_ENDPOINT_URL)._replace(scheme="http")
        raise StorageUnavailable(
            f"The S3 server at {endpoint_named()} does not speak https (TLS): "
            f"for a server that speaks plain http, set AWS_S3_ENDPOINT_URL="
            f"{plain.geturl()}."
        ) from None
    except NoCredentialsError:
        raise StorageUnavailable(
            f"No credentials for {endpoint}: set AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY, or give boto3 a profile or role of its own."
        ) from None
    except BotoCoreError:
        raise StorageUnavailable(
            f"Cannot reach the S3 server at {endpoint_named()}: {start_hint()}."
        ) from None
    finally:
        client.close()


def check_endpoint_url(url: str | None) -> None:
    """Raise StorageUnavailable when AWS_S3_ENDPOINT_URL is not an http or
    https URL, which botocore refuses with a ValueError of its own."""
    if url is None:
        return
    parts = urlsplit(url)
    if "://" not in url:
        raise StorageUnavailable(
            f"AWS_S3_ENDPOINT_URL={url} has no scheme: set it to http://{url} "
            "(or https:// for a server that speaks TLS)."
        )
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StorageUnavailable(
            f"AWS_S3_ENDPOINT_URL={url} is not an http:// or https:// URL with a "
            f"host: set it to one, such as {settings.LOCAL_S3_ENDPOINT_URL}."
        )


def answers_as_s3(client, bucket: str) -> bool:
    """Whether the endpoint answers a listing of the bucket as S3 does: its
    objects, or an S3 error (a HEAD's answer has no body to tell by)."""
    try:
        client.list_objects_v2(Bucket=bucket, MaxKeys=0)
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        # botocore names an error without an S3 body by its HTTP status.
        return not code.isdigit()
    except BotoCoreError:
        return False
    return True


def endpoint_named() -> str:
    """The endpoint in use, and where it comes from: AWS_S3_ENDPOINT_URL, or
    its default when no AWS variable is set."""
    if settings.AWS_S3_ENDPOINT_URL is None:
        return "AWS S3"
    if settings.LOCAL_S3:
        return f"{settings.AWS_S3_ENDPOINT_URL} (AWS_S3_ENDPOINT_URL's default)"
    return f"{settings.AWS_S3_ENDPOINT_URL} (AWS_S3_ENDPOINT_URL)"


def local_start_command() -> tuple[Path, str] | None:
    """(data folder, command that starts its server) of a local endpoint;
    looked up only once the storage failed, at the cost of a request."""
    if not is_local_endpoint(settings.AWS_S3_ENDPOINT_URL):
        return None
    data_dir = data_dir_in_use(settings.AWS_S3_ENDPOINT_URL)
    return data_dir, start_command(settings.AWS_S3_ENDPOINT_URL, data_dir)


def start_hint() -> str:
    local = local_start_command()
    if local is None:
        return "check AWS_S3_ENDPOINT_URL and the network"
    data_dir, command = local
    hint = f"start it with `{command}`, its data in {data_dir}"
    if settings.LOCAL_S3:
        hint += ", or set AWS_S3_ENDPOINT_URL to the S3 server that runs"
    return hint


def bucket_hint() -> str:
    """Where the local server would create a missing bucket; nothing for a
    remote endpoint, where it cannot."""
    local = local_start_command()
    if local is None:
        return ""
    data_dir, command = local
    return f" (the local server of {data_dir} creates it with `{command}`)"


def check_credentials_pair(endpoint: str) -> None:
    """Raise StorageUnavailable when only one of the two credentials is set."""
    given = [name for name in CREDENTIAL_VARIABLES if getattr(settings, name)]
    if len(given) == 1:
        (missing,) = set(CREDENTIAL_VARIABLES) - set(given)
        raise StorageUnavailable(
            f"{given[0]} is set but {missing} is not: set both for {endpoint}."
        )


@contextmanager
def storage_failures_explained():
    """Raise StorageUnavailable when the storage stopped answering mid-run.

    Any other S3 error (or one the storage check cannot explain) goes on as it is.
    """
    try:
        yield
    except (BotoCoreError, ClientError):
        check_photo_storage()
        raise
