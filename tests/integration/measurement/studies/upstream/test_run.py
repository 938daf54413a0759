"""The patch series on a clean copy of easy-thumbnails' source, from PyPI."""

import pytest

from measurement.studies.upstream.run import (
    UpstreamCheckError,
    apply_series,
    download_source,
    first_on_pythonpath,
    imported_from,
    patch_series,
    unpack,
)
from upstream_tests.suite import SHIPPED_SETTINGS, run_suite


@pytest.fixture
def clean_source(tmp_path):
    return unpack(download_source(), tmp_path)


def test_the_series_applies_and_easy_thumbnails_own_suite_passes(clean_source):
    """Every patch applies in order, and the suite, with the patches' own
    tests, passes on the result."""
    apply_series(clean_source, patch_series())

    result = run_suite(SHIPPED_SETTINGS, source_tree=clean_source)

    assert (result.failed, result.skipped) == (0, 4), result.problems()
    assert result.passed > 124  # the released suite's 124, and the patches' own


def test_a_patch_that_does_not_apply_is_named(clean_source, tmp_path):
    broken = tmp_path / "0001-Broken.patch"
    broken.write_text(
        "--- a/easy_thumbnails/utils.py\n+++ b/easy_thumbnails/utils.py\n"
        "@@ -1,1 +1,1 @@\n-no such line\n+another\n"
    )
    with pytest.raises(UpstreamCheckError, match="0001-Broken.patch does not apply"):
        apply_series(clean_source, [broken])


def test_processes_started_meanwhile_import_the_copy(clean_source):
    with first_on_pythonpath(clean_source):
        assert imported_from() == str(clean_source / "easy_thumbnails")
    assert imported_from() != str(clean_source / "easy_thumbnails")
