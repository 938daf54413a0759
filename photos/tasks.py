"""The task a worker runs: make every thumbnail alias of one photo.

The task queue's settings (settings.py, CELERY_*) acknowledge a task only
once it has finished and deliver again one whose worker died, so the task is
written to be run again: what was made before is found, not made twice.
"""

import os

from celery import shared_task
from celery.utils.log import get_task_logger
from django.db import reset_queries

from . import progress
from .generation import make_photo_aliases
from .models import Photo
from .refused_writes import DatabaseFailed
from .storage_check import StorageUnavailable

logger = get_task_logger(__name__)


@shared_task(
    name="photos.make_photo_thumbnails",
    # The storage not answering or refusing writes, or the database failing,
    # is no fault of the photo: try again later, waiting longer each time
    # (10 s, 20 s, ... up to 10 min; 50 min in all).
    autoretry_for=(StorageUnavailable, DatabaseFailed),
    retry_backoff=10,
    retry_backoff_max=600,
    retry_jitter=False,
    max_retries=10,
)
def make_photo_thumbnails(photo_id: int) -> None:
    # With DEBUG on Django keeps each query; a request starts afresh, and so
    # does a task, so that a long-lived worker does not hold them all.
    reset_queries()
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is None:
        logger.info("Photo #%s was deleted: no thumbnails to make.", photo_id)
        return
    logger.info(progress.task_making_message(photo.pk, photo.photo.name, os.getpid()))
    error = make_photo_aliases(photo)
    if error:
        logger.error(progress.task_failed_message(photo.pk, photo.photo.name, error))
        return
    logger.info(progress.task_done_message(photo.pk, photo.photo.name))
