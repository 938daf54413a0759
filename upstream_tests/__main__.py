"""python -m upstream_tests: easy-thumbnails' suite as shipped, then with the fix in place."""

import sys
from importlib.metadata import version

from upstream_tests.suite import FIXED_SETTINGS, SHIPPED_SETTINGS, SuiteError, run_suite


def main() -> int:
    print(
        f"easy-thumbnails {version('easy-thumbnails')}'s own test suite "
        "(python -Wd django-admin test easy_thumbnails.tests):",
        flush=True,
    )
    results = {}
    try:
        for name, settings_module in (
            ("stock", SHIPPED_SETTINGS),
            ("fixed", FIXED_SETTINGS),
        ):
            result = results[name] = run_suite(settings_module)
            if result.failed:
                print(result.problems())
            print(f"{name}: {result.counts()}", flush=True)
    except SuiteError as error:
        print(error, file=sys.stderr)
        return 2
    return 1 if any(result.failed for result in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
