import pytest

from tests.conftest import run_manage


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
