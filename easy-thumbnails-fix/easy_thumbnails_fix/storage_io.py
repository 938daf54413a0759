"""The fix's S3 requests: an original read in one GET, a thumbnail written in one PUT.

Stock reads an original through django-storages' S3File (a HEAD when opened,
then a GET) once per alias, and saves a thumbnail through s3transfer after a
DELETE. On any storage other than plain S3 both go through the storage's own
open and save.
"""

from django.core.files.storage import Storage

from .storage_hash import set_up


def read_original(storage: Storage, name: str) -> bytes:
    """The original's bytes in one request.

    django-storages' S3File sends a HEAD when opened and keeps the download in
    a buffer it drops on close; one GetObject is all reading needs.
    """
    storage = set_up(storage)
    if _is_plain_s3(storage):
        from s3transfer.constants import ALLOWED_DOWNLOAD_ARGS
        from storages.utils import clean_name

        key = storage._normalize_name(clean_name(name))
        params = {
            key_: value
            for key_, value in storage.get_object_parameters(name).items()
            if key_ in ALLOWED_DOWNLOAD_ARGS
        }
        # The bucket's client, which storage.save uses too: threads that
        # store thumbnails then share it instead of building sessions of their own.
        response = storage.bucket.meta.client.get_object(
            Bucket=storage.bucket_name, Key=key, **params
        )
        with response["Body"] as body:
            return body.read()
    with storage.open(name, "rb") as file:
        return file.read()


def write_thumbnail(storage: Storage, name: str, thumbnail) -> None:
    """Store a thumbnail under name, replacing any object there, in one PUT.

    On S3 a PutObject with the storage's own write parameters (content type,
    ACL, object parameters), as its _save sends them, without s3transfer's
    machinery around a body this small; elsewhere the storage's own save.
    """
    storage = set_up(storage)
    if _is_plain_s3(storage):
        from storages.utils import clean_name

        cleaned = clean_name(name)
        key = storage._normalize_name(cleaned)
        thumbnail.seek(0)
        storage.bucket.meta.client.put_object(
            Bucket=storage.bucket_name,
            Key=key,
            Body=thumbnail.read(),
            **storage._get_write_parameters(key),
        )
        return
    storage.save(name, thumbnail)


def overwrites(storage) -> bool:
    """Whether saving under an existing name replaces the object."""
    # django-storages' S3Storage: AWS_S3_FILE_OVERWRITE (default True);
    # Django's FileSystemStorage: allow_overwrite (Django 5.1+).
    return bool(
        getattr(storage, "file_overwrite", False)
        or getattr(storage, "_allow_overwrite", False)
    )


def _is_plain_s3(storage) -> bool:
    try:
        from storages.backends.s3 import S3Storage
    except ImportError:
        return False
    # A gzipped object needs S3File's decompression: leave that to it.
    return isinstance(storage, S3Storage) and not storage.gzip
