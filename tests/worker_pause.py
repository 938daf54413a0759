"""Loaded into a test's worker (`--include tests.worker_pause`): the first
time a thumbnail is stored, write the process id to $WORKER_PAUSE_FILE and
wait, so that the test can kill the worker in the middle of a photo.

It pauses once: with the file there, a task delivered again goes on.
"""

import os
import time
from pathlib import Path

import botocore.session

PAUSE_SECONDS = 120


def note_key(params, context, **kwargs):
    context["pause_key"] = params.get("Key", "")


def pause_after_first_thumbnail(context, **kwargs):
    path = Path(os.environ["WORKER_PAUSE_FILE"])
    # A thumbnail's name is its photo's plus the size: photo.jpg.<size>.jpg
    if path.exists() or context.get("pause_key", "").count(".") < 2:
        return
    path.write_text(f"{os.getpid()}\n")
    time.sleep(PAUSE_SECONDS)


_create_client = botocore.session.Session.create_client


def create_client(session, service_name, *args, **kwargs):
    # django-storages makes its clients lazily, in the pool processes.
    client = _create_client(session, service_name, *args, **kwargs)
    if service_name == "s3":
        client.meta.events.register("before-parameter-build.s3.PutObject", note_key)
        client.meta.events.register(
            "after-call.s3.PutObject", pause_after_first_thumbnail
        )
    return client


botocore.session.Session.create_client = create_client
