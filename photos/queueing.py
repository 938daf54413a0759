"""Send photos to the task queue, and say in one line when its broker is down.

Celery and kombu are imported only when a photo is queued: they cost a
process about 13 MB of RSS, and the site's and the commands' own memory is
what this project measures.
"""

from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import transaction


class BrokerUnavailable(Exception):
    def __init__(self, message: str, queued_count: int):
        super().__init__(message)
        self.queued_count = queued_count


def broker_url_shown() -> str:
    """The broker's URL with any password masked, to name it in messages."""
    from kombu.utils.url import maybe_sanitize_url

    return maybe_sanitize_url(settings.CELERY_BROKER_URL)


def queue_photo_thumbnails(photo_ids: Iterable[int]) -> int:
    """Send one task per photo, over one connection; return how many were sent.

    Raises BrokerUnavailable, saying what to do, when the broker cannot be
    reached: at once, rather than after Celery's retries for every photo.
    """
    from kombu.exceptions import OperationalError

    from et_issue_example.celery import app

    from .tasks import make_photo_thumbnails

    queued_count = 0
    with app.connection_for_write(settings.CELERY_BROKER_URL) as connection:
        try:
            connection.ensure_connection(max_retries=1, interval_start=0)
            producer = app.amqp.Producer(connection)
            for photo_id in photo_ids:
                make_photo_thumbnails.apply_async(
                    (photo_id,), producer=producer, retry=False
                )
                queued_count += 1
        except (OperationalError, *connection.connection_errors) as error:
            raise BrokerUnavailable(
                f"The task queue's broker at {broker_url_shown()} did not answer "
                f"({type(error).__name__}): start it with `make redis`, or set "
                "CELERY_BROKER_URL.",
                queued_count,
            ) from None
    return queued_count


def queues_on_upload() -> bool:
    """Whether a new photo's thumbnails go to the task queue (THUMBNAIL_ON_UPLOAD)."""
    return settings.THUMBNAIL_ON_UPLOAD == "queue"


def queue_on_commit(photo_id: int, on_broker_down: Callable[[str], None]) -> None:
    """Once the photo's transaction commits, queue its thumbnails.

    A worker that took the task before the commit would not find the photo.
    When the broker is down, on_broker_down gets one line for the user: the
    photo is saved all the same, its thumbnails left for the next
    generate_all_thumbnail_aliases.
    """

    def queue():
        try:
            queue_photo_thumbnails([photo_id])
        except BrokerUnavailable as error:
            on_broker_down(
                f"{error} The photo is saved; make its thumbnails later with "
                "generate_all_thumbnail_aliases."
            )

    transaction.on_commit(queue)
