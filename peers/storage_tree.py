"""Delete a folder of thumbnails from a Django storage, S3 included."""

import posixpath


def delete_tree(storage, path: str) -> int:
    """Delete every file under path (S3 has no folders to remove); return how many."""
    try:
        directories, files = storage.listdir(path)
    except FileNotFoundError:
        return 0
    for name in files:
        storage.delete(posixpath.join(path, name))
    return len(files) + sum(
        delete_tree(storage, posixpath.join(path, directory))
        for directory in directories
    )
