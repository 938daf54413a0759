"""The matrix: its cells, each cell's pins, and the report from made-up results."""

import json
import subprocess
import sys

from measurement.commands import main
from measurement.studies.matrix import markdown as matrix_report
from measurement.studies.matrix import run as matrix
from photos.units import MB
from tests.conftest import REPO_ROOT


def test_cells_are_todays_pins_then_one_release_changed_at_a_time():
    assert [cell.name for cell in matrix.cells()] == [
        "today-pins",
        "easy-thumbnails-2.7.2",
        "easy-thumbnails-2.8.5",
        "easy-thumbnails-2.9",
        "easy-thumbnails-2.10",
        "Pillow-10.4.0",
        "Pillow-11.3.0",
        "Pillow-12.3.0",
        "django-storages-1.13.2",
    ]


def test_a_cell_changes_its_package_alone_in_requirements_and_constraints():
    wanted, pins = matrix.requirements(matrix.Cell("django-storages", "1.13.2"))
    today_wanted, today_pins = matrix.requirements(matrix.Cell("today", "pins"))
    assert "django-storages[s3]==1.13.2" in wanted
    assert "django-storages==1.13.2" in pins
    changed = {line for line in wanted if line not in today_wanted}
    assert changed == {"django-storages[s3]==1.13.2"}
    assert {line for line in pins if line not in today_pins} == {
        "django-storages==1.13.2"
    }


def test_the_noxfile_has_one_session_per_cell():
    listed = subprocess.run(
        [sys.executable, "-m", "nox", "--list", "--json"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    sessions = [session["session"] for session in json.loads(listed.stdout)]
    assert sessions == [f"matrix_cell({cell.name})" for cell in matrix.cells()]


def test_pips_error_is_shortened_to_its_error_lines():
    output = "\n".join(
        ["Collecting easy-thumbnails==9.9"] * 50
        + [
            "ERROR: Could not find a version that satisfies the requirement "
            "easy-thumbnails==9.9",
            "ERROR: No matching distribution found for easy-thumbnails==9.9",
        ]
    )
    assert matrix.shortened(output) == (
        "ERROR: Could not find a version that satisfies the requirement "
        "easy-thumbnails==9.9\n"
        "ERROR: No matching distribution found for easy-thumbnails==9.9"
    )


def test_a_failed_reproduction_is_shortened_to_what_failed_and_why():
    output = "\n".join(
        [
            "Creating the run's database (migrate) ...",
            "Reproduction failed: manage.py migrate --noinput failed:",
            "Traceback (most recent call last):",
            '  File "manage.py", line 22, in <module>',
            "    main()",
            "ImportError: cannot import name 'get_storage_class' from "
            "'django.core.files.storage'",
        ]
    )
    assert matrix.shortened(output) == (
        "Reproduction failed: manage.py migrate --noinput failed:\n"
        "ImportError: cannot import name 'get_storage_class' from "
        "'django.core.files.storage'"
    )


def test_a_refused_photo_says_why_the_reproduction_stopped():
    output = "\n".join(
        [
            "1/3 load: load_photos of 2 photos",
            "    [1/2] a.jpg: failed, it could not be stored (No module named "
            "'storages.backends.s3')",
            "    [2/2] b.jpg: failed, it could not be stored (No module named "
            "'storages.backends.s3')",
            "Reproduction failed: load_photos loaded none of the photos; see above.",
        ]
    )
    assert matrix.shortened(output) == (
        "[1/2] a.jpg: failed, it could not be stored (No module named "
        "'storages.backends.s3')\n"
        "Reproduction failed: load_photos loaded none of the photos; see above."
    )


def figures(warm_queries, cold_gets, growth=0.01 * MB):
    return {
        "photos_count": 5,
        "index_cold_queries_count": 231,
        "index_cold_s3_requests": {"GET": cold_gets, "HEAD": 50, "PUT": 45},
        "index_warm_queries_count": warm_queries,
        "generate_s3_requests": {"GET": 45, "PUT": 45},
        "generate_seconds_per_photo_median": 2.1234,
        "generate_rss_peak_bytes": 120 * MB,
        "generate_rss_growth_bytes_per_photo": growth,
    }


RESULTS = [
    {"package": "today", "version": "pins", "photos": 5, "figures": figures(51, 45)},
    {
        "package": "easy-thumbnails",
        "version": "2.7.2",
        "photos": 5,
        "figures": figures(51, 45, growth=None),
    },
    {
        "package": "Pillow",
        "version": "99.0",
        "photos": 5,
        "install_error": "ERROR: No matching distribution found for Pillow==99.0",
    },
    {
        "package": "django-storages",
        "version": "1.13.2",
        "photos": 5,
        "figures": figures(6, 5),
    },
]

REPORT = {
    "metadata": {"created_utc": "2026-11-28T00:00:00+00:00", "aliases_count": 9},
    "cells": RESULTS,
}


def test_report_names_the_releases_that_show_the_explosion():
    markdown = matrix_report.render(REPORT)
    assert (
        "2 of 3 measured cells show the explosion (a query per alias on the warm "
        "page and a GET of the original per alias): today's pins, "
        "easy-thumbnails 2.7.2." in markdown
    )
    assert "1 cell could not install or run; the table says why." in markdown
    assert (
        "| today's pins | **yes** (10.2 warm queries and 9 cold GETs per photo) | 231 "
        "| 140 (GET 45, HEAD 50, PUT 45) | 51 | 90 (GET 45, PUT 45) | 2.123 s "
        "| 120.0 MB | +0.010 MB |" in markdown
    )
    assert "| django-storages 1.13.2 | no (1.2 warm queries and 1 cold GETs" in markdown
    assert "| n/a (under 4 photos) |" in markdown


def test_a_cell_that_cannot_install_says_why():
    markdown = matrix_report.render(REPORT)
    assert (
        "| Pillow 99.0 | does not install: `ERROR: No matching distribution found "
        "for Pillow==99.0` |" in markdown
    )


def test_the_report_is_written_from_the_cells_on_disk(tmp_path):
    (tmp_path / "cells").mkdir()
    for result in RESULTS[:2]:
        cell = matrix.Cell(result["package"], result["version"])
        matrix.write_cell({**result, "name": cell.name}, tmp_path)
    assert main(["matrix", str(tmp_path)]) == 0
    markdown = (tmp_path / "report.md").read_text()
    cells = json.loads((tmp_path / "report.json").read_text())["cells"]
    assert [cell["name"] for cell in cells] == ["today-pins", "easy-thumbnails-2.7.2"]
    assert "| today's pins |" in markdown
    assert "| easy-thumbnails 2.7.2 |" in markdown
