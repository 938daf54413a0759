"""Keep moto's S3 objects on disk, so they outlive a restart of the server.

moto holds everything in memory. After each change the server writes a
manifest of buckets and keys, with each object's bytes stored once under its
SHA-256 (so a save writes only new objects), and reads it back on start.
"""

import datetime
import hashlib
import json
import os
from pathlib import Path

from moto.core import DEFAULT_ACCOUNT_ID
from moto.s3.models import s3_backends

MANIFEST_NAME = "manifest.json"
OBJECTS_DIR = "objects"


def _backends():
    # moto keys its state by account; a server with one set of credentials
    # uses one account, but nothing here needs to assume which.
    for account_id in list(s3_backends.keys()):
        yield account_id, s3_backends[account_id]["aws"]


def save(data_dir: Path) -> None:
    objects_dir = data_dir / OBJECTS_DIR
    objects_dir.mkdir(parents=True, exist_ok=True)
    manifest = {"buckets": {}}
    referenced = set()
    buckets = [
        (account_id, bucket)
        for account_id, backend in _backends()
        for bucket in list(backend.buckets.values())
    ]
    for account_id, bucket in buckets:
        keys = {}
        for name, key in list(bucket.keys.items()):
            digest = _sha256(key)
            blob = objects_dir / digest
            if not blob.exists():
                _write_atomic(blob, key.value)
            referenced.add(digest)
            keys[name] = {
                "sha256": digest,
                "metadata": dict(key.metadata),
                "last_modified": key.last_modified.isoformat(),
            }
        manifest["buckets"][bucket.name] = {
            "account_id": account_id,
            "region": bucket.region_name,
            "keys": keys,
        }
    _write_atomic(
        data_dir / MANIFEST_NAME, json.dumps(manifest, indent=1).encode("utf-8")
    )
    for blob in objects_dir.iterdir():
        if blob.name not in referenced and not blob.name.endswith(".tmp"):
            blob.unlink(missing_ok=True)


# SHA-256 of objects already hashed, by the ETag and size moto gave them when
# they were stored: a save reads and hashes only new objects, not every one
# of a bucket of 500 8-megapixel photos each time.
_sha256_by_etag: dict[tuple[str, int], str] = {}


def _sha256(key) -> str:
    known = (key.etag, key.size)
    if known not in _sha256_by_etag:
        _sha256_by_etag[known] = hashlib.sha256(key.value).hexdigest()
    return _sha256_by_etag[known]


def restore(data_dir: Path) -> int:
    """Load a saved manifest into moto; return how many objects it held."""
    manifest_path = data_dir / MANIFEST_NAME
    if not manifest_path.exists():
        return 0
    manifest = json.loads(manifest_path.read_text("utf-8"))
    count = 0
    for bucket_name, bucket in manifest["buckets"].items():
        backend = s3_backends[bucket.get("account_id", DEFAULT_ACCOUNT_ID)]["aws"]
        if bucket_name not in backend.buckets:
            backend.create_bucket(bucket_name, bucket["region"])
        for key_name, saved in bucket["keys"].items():
            blob = data_dir / OBJECTS_DIR / saved["sha256"]
            key = backend.put_object(
                bucket_name, key_name, blob.read_bytes(), disable_notification=True
            )
            key.set_metadata(saved["metadata"], replace=True)
            # Thumbnail freshness is judged by modification times: keep them.
            key.last_modified = datetime.datetime.fromisoformat(saved["last_modified"])
            count += 1
    return count


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
