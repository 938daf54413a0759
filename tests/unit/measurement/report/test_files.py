"""A run's folder: kept as it is when the run finishes, renamed with a
README.txt when it does not, so that no half-written folder looks like a
report's."""

import pytest

from measurement.report import files


def test_a_finished_runs_folder_keeps_its_name(tmp_path):
    with files.run_folder(tmp_path, "compare") as (run_dir, _):
        (run_dir / "report.md").write_text("# Report\n")

    assert [path.name for path in tmp_path.iterdir()] == [run_dir.name]
    assert run_dir.name.endswith("Z-compare")
    assert not (run_dir / "README.txt").exists()


def test_an_interrupted_runs_folder_is_named_so_and_says_why(tmp_path):
    with pytest.raises(KeyboardInterrupt), files.run_folder(tmp_path) as (run_dir, _):
        (run_dir / "db.sqlite3").write_bytes(b"")
        raise KeyboardInterrupt

    (folder,) = tmp_path.iterdir()
    assert folder.name == f"{run_dir.name}-interrupted"
    assert sorted(path.name for path in folder.iterdir()) == [
        "README.txt",
        "db.sqlite3",
    ]
    assert (folder / "README.txt").read_text() == (
        "This run was interrupted (Ctrl-C) before it finished: it holds no "
        "report, only what the run had written so far. Delete this folder.\n"
    )


def test_a_failed_runs_folder_is_named_so_and_says_why(tmp_path):
    with pytest.raises(ValueError), files.run_folder(tmp_path) as (run_dir, _):
        raise ValueError("the page failed")

    (folder,) = tmp_path.iterdir()
    assert folder.name == f"{run_dir.name}-failed"
    assert (
        (folder / "README.txt")
        .read_text()
        .startswith("This run was stopped by an error before it finished")
    )
