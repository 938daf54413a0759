"""The reproduction's switches and their defaults, recorded in every report.

Kept apart from the runner so that the command line, and with it the memory
watcher, starts without importing what the runner needs (boto3, matplotlib):
a watched command's ru_maxrss includes the watcher's image from before exec.
"""

DEFAULT_PHOTO_DIR = "test_photos"


def default_switches() -> dict:
    return {
        "photos": 20,
        "photo_dir": DEFAULT_PHOTO_DIR,
        "debug": True,
        "debug_toolbar": False,
        "storage": "s3",
        "database": "sqlite",
        # THUMBNAIL_FIX: False (stock), True, or a list of the fix's parts.
        "fix": False,
        # What serves the index page: Django's runserver, or gunicorn with
        # that many worker processes.
        "server": "runserver",
        "workers": 4,
        # PEER: None (easy-thumbnails), or the peer library measured instead.
        "peer": None,
        # What runs after load_photos: "2013" (the index page, then
        # generate_all_thumbnail_aliases), "queue" (the photos made by each
        # count of Celery workers in queue_workers) or "load" (clients on the
        # warm page, then the same while the largest count of workers makes
        # a second batch).
        "scenario": "2013",
        "queue_workers": [1, 2],
        "clients": 16,
        "seconds": 60,
    }


def thumbnail_fix_variable(fix: bool | list[str]) -> str:
    if isinstance(fix, bool):
        return "1" if fix else "0"
    return ",".join(fix)
