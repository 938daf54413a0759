"""The fix keys rows by the real storage's hash, whether or not it was used yet."""

from django.core.files.storage import DefaultStorage
from easy_thumbnails import utils
from easy_thumbnails_fix.storage_hash import storage_hash
from storages.backends.s3 import S3Storage


def test_a_fresh_lazy_storage_hashes_as_the_storage_it_wraps():
    """Django's default storage before first use hashes as S3Storage."""
    assert storage_hash(DefaultStorage()) == utils.get_storage_hash(S3Storage())


def test_stock_hashes_a_fresh_lazy_storage_as_object():
    """The easy-thumbnails bug the fix works around: LazyObject's sentinel is
    not None, so the sentinel's class is hashed."""
    assert utils.get_storage_hash(DefaultStorage()) == utils.get_storage_hash(
        "builtins.object"
    )
