"""`reproduce --compare` on one small photo: three columns, the floors, the
thumbnail comparison and the targets, in one report."""

import json

import pytest

from tests.integration.measurement.studies.reproduction.test_run import reproduce

# reproduce starts servers of its own.
pytestmark = pytest.mark.server

ALIASES = 9


@pytest.fixture(scope="module")
def compare_run(tmp_path_factory):
    from tests.conftest import small_photo_bytes

    photos = tmp_path_factory.mktemp("photos")
    (photos / "landscape-1.jpg").write_bytes(small_photo_bytes(1))
    cwd = tmp_path_factory.mktemp("compare")
    result = reproduce(
        "--compare", "--photos", "1", "--photo-dir", str(photos), "--out", "out",
        cwd=cwd, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    latest = cwd / "out" / "latest-compare"
    report = json.loads((latest / "report.json").read_text())
    return result, report, latest


def test_each_column_is_a_reproduction_of_its_own(compare_run):
    _, report, latest = compare_run
    assert list(report["columns"]) == ["stock", "fixed", "fixed_vips"]
    run_dir = next(p for p in latest.parent.iterdir() if p.name != "latest-compare")
    for name in report["columns"]:
        assert (run_dir / name / "latest" / "report.json").exists()
    stock, fixed = report["columns"]["stock"], report["columns"]["fixed"]
    # Stock downloads the original once per alias; the fix once.
    assert stock["generate_s3_requests"]["GET"] == ALIASES
    assert fixed["generate_s3_requests"]["GET"] == 1
    assert fixed["index_warm_queries_count"] == 1
    assert report["ratios"]["generate_s3_requests"] < 1


def test_the_floors_and_the_thumbnails_are_measured_beside_them(compare_run):
    _, report, _ = compare_run
    for floor in ("pillow_floor", "pillow_floor_draft_gap", "vips_floor"):
        assert report[floor]["photos_count"] == 1
        assert len(report[floor]["per_photo_seconds"]) == 1
    for quality in ("thumbnail_quality", "thumbnail_quality_vips"):
        assert report[quality]["thumbnails_count"] == ALIASES
        assert report[quality]["differing"] == []


def test_every_target_is_reported_met_or_not_and_printed(compare_run):
    result, report, latest = compare_run
    names = [item["name"] for item in report["targets"]]
    assert len(names) == 13
    met = {item["name"]: item["met"] for item in report["targets"]}
    assert met["Warm index page: SQL queries"] is True
    assert met["Quality: thumbnails that differ from stock's"] is True
    markdown = (latest / "report.md").read_text()
    assert "## Targets" in markdown
    for item in report["targets"]:
        mark = "met" if item["met"] else "NOT met"
        assert (
            f"  {item['name']}: {item['measured']} (target {item['target']}): {mark}"
            in (result.stdout)
        )
    assert report["causes"] == []
