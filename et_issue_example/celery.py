"""The Celery app: `celery -A et_issue_example worker` makes photos' thumbnails.

Celery's Django layout, but not imported by the package's __init__: Celery
costs a process about 13 MB of RSS, and the site's and the commands' own
memory is what this project measures. `celery -A et_issue_example` finds this
module itself; photos.queueing imports it when it sends tasks.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "et_issue_example.settings")

app = Celery("et_issue_example")
# Every CELERY_* setting in settings.py, read from the environment there.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
