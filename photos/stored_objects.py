"""What a storage holds under a prefix, read by listing it, and removing many at once.

On S3 a listing is one LIST request per 1000 keys, where asking after each
object in turn would be a HEAD per object; removing is one POST per 1000 keys.
Another storage (FileSystemStorage) is walked and deleted file by file.
"""

import os
import posixpath

from easy_thumbnails_fix.storage_hash import set_up

# S3's most keys in one ListObjects answer and in one DeleteObjects request.
S3_KEYS_PER_REQUEST = 1000


def stored_names(storage, prefix: str) -> set[str]:
    """The names of every object in storage whose name starts with prefix."""
    bucket = _s3_bucket(storage)
    if bucket is None:
        return _walked_names(storage, prefix)
    location = _s3_location(set_up(storage))
    objects = bucket.objects.filter(Prefix=location + prefix).page_size(
        S3_KEYS_PER_REQUEST
    )
    return {item.key[len(location) :] for item in objects}


def delete_names(storage, names) -> None:
    """Remove the objects of these names from storage."""
    names = sorted(names)
    bucket = _s3_bucket(storage)
    if bucket is None:
        for name in names:
            storage.delete(name)
        return
    location = _s3_location(set_up(storage))
    for start in range(0, len(names), S3_KEYS_PER_REQUEST):
        batch = names[start : start + S3_KEYS_PER_REQUEST]
        bucket.delete_objects(
            Delete={
                "Objects": [{"Key": location + name} for name in batch],
                "Quiet": True,
            }
        )


def describe_storage(storage) -> str:
    """Where the storage keeps its objects, as a user names it."""
    bucket = _s3_bucket(storage)
    if bucket is None:
        return f"the folder {getattr(storage, 'location', storage)}"
    endpoint = set_up(storage).endpoint_url or "AWS S3"
    return f"bucket {bucket.name!r} on {endpoint}"


def _s3_bucket(storage):
    """django-storages' boto3 Bucket of an S3 storage, or None for another storage."""
    from storages.backends.s3 import S3Storage

    storage = set_up(storage)
    return storage.bucket if isinstance(storage, S3Storage) else None


def _s3_location(storage) -> str:
    location = storage.location.strip("/")
    return f"{location}/" if location else ""


def _walked_names(storage, prefix: str) -> set[str]:
    directory, _ = posixpath.split(prefix)
    root = storage.path("")
    names = set()
    for folder, _, files in os.walk(storage.path(directory)):
        for file in files:
            name = os.path.relpath(os.path.join(folder, file), root)
            name = name.replace(os.sep, "/")
            if name.startswith(prefix):
                names.add(name)
    return names
