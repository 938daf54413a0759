"""The storage's status a page shows: checked at most once a minute per
process, whatever the pages served meanwhile."""

import pytest

from photos.storage_status import CHECK_EVERY_SECONDS, StorageStatus


class Clock:
    def __init__(self):
        self.seconds = 1000.0

    def __call__(self):
        return self.seconds


class Check:
    def __init__(self, answer):
        self.answer = answer
        self.count = 0

    def __call__(self):
        self.count += 1
        return self.answer


def test_the_first_page_checks_and_the_next_ones_within_a_minute_do_not():
    check, clock = Check("Cannot reach the S3 server."), Clock()
    status = StorageStatus(check, clock)

    assert status.problem() == "Cannot reach the S3 server."
    clock.seconds += CHECK_EVERY_SECONDS - 0.1
    for _ in range(100):
        assert status.problem() == "Cannot reach the S3 server."

    assert check.count == 1


def test_a_minute_after_the_last_check_the_next_page_checks_again():
    check, clock = Check(None), Clock()
    status = StorageStatus(check, clock)
    assert status.problem() is None

    check.answer = "Cannot reach the S3 server."
    clock.seconds += CHECK_EVERY_SECONDS

    assert status.problem() == "Cannot reach the S3 server."
    assert check.count == 2


@pytest.fixture
def site_status(monkeypatch):
    """The process's status, with a check of the test's own; forgotten after,
    so that no other test's page sees its answer."""
    from photos.storage_status import status

    check = Check(None)
    monkeypatch.setattr(status, "check", check)
    status.forget()
    yield status, check
    status.forget()


def test_changed_storage_settings_are_checked_on_the_next_page(settings, site_status):
    status, check = site_status
    status.problem()

    settings.AWS_STORAGE_BUCKET_NAME = "another-bucket"
    status.problem()

    assert check.count == 2
