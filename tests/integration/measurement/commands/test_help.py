import os
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT, run_manage


@pytest.mark.parametrize(
    ("command", "says"),
    [
        ("load_photos", "Load every .jpg, .jpeg, .png, .gif and .webp file"),
        (
            "generate_all_thumbnail_aliases",
            "Generate every thumbnail alias of every photo",
        ),
        ("delete_photo_thumbnails", "Delete every thumbnail of every photo"),
        ("delete_all_photos", "Delete every photo"),
        ("make_test_photos", "Write realistic test photos"),
    ],
)
def test_each_command_says_what_it_does(command, says):
    out, err, code = run_manage(command, "--help")

    assert code == 0, err
    assert says in " ".join(out.split())


@pytest.mark.parametrize(
    ("command", "says"),
    [
        ("watch", "Sample RSS (and USS where the kernel allows) of a process"),
        ("reproduce", "Load photos, serve the index page cold and warm"),
        ("floor", "Decode each photo once, make every alias from it in memory"),
        ("quality", "Make every alias of the photos with stock easy-thumbnails"),
        ("upstream-check", "Apply upstream/*.patch to a clean copy of easy-thumbnails"),
        ("matrix", "Read each cell's result of `make matrix`"),
    ],
)
def test_each_measuring_command_says_what_it_does(command, says):
    """Every `python -m measurement` command is one subcommand of one parser."""
    result = subprocess.run(
        [sys.executable, "-m", "measurement", command, "--help"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert says in " ".join(result.stdout.split())


@pytest.mark.parametrize(
    ("args", "returncode", "message"),
    [
        (
            ["reproduce", "--photos", "0"],
            2,
            "python -m measurement reproduce: error: --photos must be at least 1 "
            "(see python -m measurement reproduce --help)",
        ),
        (["reproduce", "--photos", "-3"], 2, "error: --photos must be at least 1 "),
        (
            ["reproduce", "--photos", "abc"],
            2,
            "python -m measurement reproduce: error: argument --photos: invalid int "
            "value: 'abc' (see python -m measurement reproduce --help)",
        ),
        (
            ["reproduce", "--no-such-option"],
            2,
            "python -m measurement: error: unrecognized arguments: --no-such-option "
            "(see python -m measurement --help)",
        ),
        (
            ["reproduce", "--peers", "--fix"],
            2,
            "error: --peers measures stock and fixed itself: leave out --fix",
        ),
        (
            ["reproduce", "--network", "dial-up"],
            2,
            "python -m measurement reproduce: error: --network 'dial-up' is not a "
            "profile: give one of loopback, same-region, internet "
            "(see python -m measurement reproduce --help)",
        ),
        (
            ["reproduce", "--network", "internet", "--storage", "filesystem"],
            2,
            "error: --network shapes the S3 server: leave it out with --storage "
            "filesystem (see",
        ),
        (["upstream-check", "--photos", "0"], 2, "error: --photos must be at least 1 "),
        (
            ["floor", "--library", "pillow", "no-such-folder"],
            2,
            "error: no-such-folder is not a folder of photos (see",
        ),
        (
            ["matrix", "no-such-folder"],
            1,
            "Matrix report failed: No cells in no-such-folder/cells/: run "
            "`make matrix` first.",
        ),
    ],
)
def test_a_measuring_commands_mistake_is_one_line_and_an_exit_code(
    args, returncode, message, tmp_path
):
    """Bad option values exit 2, a run that cannot go on 1; one line, never a
    traceback, the usage only on --help."""
    result = subprocess.run(
        [sys.executable, "-m", "measurement", *args],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == returncode
    assert message in result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
