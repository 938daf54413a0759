"""Whether the site's photo storage answers, said at the top of every page.

One check of the storage (check_photo_storage, uncounted) per process at most
every CHECK_EVERY_SECONDS, whatever the pages served meanwhile, so that a warm
page, which asks the storage nothing, costs the queries and S3 requests it
always did, and still says when the storage does not answer.
"""

import threading
import time

from django.core.signals import setting_changed
from django.dispatch import receiver

from .storage_check import StorageUnavailable, check_photo_storage

CHECK_EVERY_SECONDS = 60
# The settings the check reads: changing one (in a test) makes it check again.
CHECKED_SETTINGS = {
    "PHOTO_STORAGE",
    "AWS_S3_ENDPOINT_URL",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
}


def storage_problem_now() -> str | None:
    """What is wrong with the storage, in one line, or None when it answers."""
    try:
        check_photo_storage(counted=False)
    except StorageUnavailable as error:
        return str(error)
    return None


class StorageStatus:
    """The last check's answer, checked again once it is CHECK_EVERY_SECONDS old."""

    def __init__(self, check=storage_problem_now, clock=time.monotonic):
        self.check = check
        self.clock = clock
        self._lock = threading.Lock()
        self._checked_at: float | None = None
        self._problem: str | None = None

    def problem(self) -> str | None:
        """What is wrong with the storage, or None; checked at most once a minute."""
        with self._lock:
            if (
                self._checked_at is None
                or self.clock() - self._checked_at >= CHECK_EVERY_SECONDS
            ):
                self._problem = self.check()
                self._checked_at = self.clock()
            return self._problem

    def forget(self) -> None:
        """Check again on the next page."""
        with self._lock:
            self._checked_at = None


status = StorageStatus()


@receiver(setting_changed)
def check_again_on_new_settings(*, setting, **kwargs):
    if setting in CHECKED_SETTINGS:
        status.forget()


def storage_problem(request) -> dict:
    """The context processor: the problem the request's page shows at its top."""
    return {"storage_problem": getattr(request, "storage_problem", None)}
