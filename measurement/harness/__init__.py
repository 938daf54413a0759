"""What every study's run stands on: the run's own servers (S3, database,
broker), the measured commands under the watcher, the site served under its
watcher, and Celery workers. Nothing here knows one study from another."""
