"""Counting the results of easy-thumbnails' suite from unittest's closing lines."""

import pytest

from upstream_tests.suite import SuiteError, parse

PASSING = """\
......ss..
----------------------------------------------------------------------
Ran 128 tests in 4.214s

OK (skipped=4)
Destroying test database for alias 'default'...
"""

FAILING = """\
.F.E.ss
======================================================================
FAIL: test_postprocessor (easy_thumbnails.tests.test_files.FilesTest.test_postprocessor)
----------------------------------------------------------------------
AssertionError: 'ERROR' != 'INFO'

----------------------------------------------------------------------
Ran 128 tests in 4.385s

FAILED (failures=1, errors=2, skipped=4, expected failures=1)
"""


def test_a_passing_run_counts_its_skips_apart():
    result = parse(PASSING)
    assert result.counts() == "124 passed, 0 failed, 4 skipped"
    assert result.problems() == ""


def test_failures_and_errors_both_count_as_failed():
    result = parse(FAILING)
    assert (result.passed, result.failed, result.skipped) == (120, 3, 4)


def test_the_failure_reports_are_kept_for_the_reader():
    problems = parse(FAILING).problems()
    assert problems.startswith("=" * 70 + "\nFAIL: test_postprocessor")
    assert problems.endswith("AssertionError: 'ERROR' != 'INFO'")


def test_a_run_that_never_reached_its_summary_says_so():
    with pytest.raises(SuiteError, match="ended without unittest's summary"):
        parse("ImportError: No module named 'testfixtures'\n")
