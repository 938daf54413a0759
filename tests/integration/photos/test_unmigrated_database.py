"""A database never migrated is one line saying to run `make migrate`, from
every command of the site and from its pages, never a traceback."""

import sqlite3

import pytest

from tests.conftest import run_manage, small_photo_bytes
from tests.site_process import get, running_site


@pytest.fixture
def unmigrated_env(bucket, tmp_path):
    path = tmp_path / "never-migrated.sqlite3"
    return path, {"DATABASE_URL": f"sqlite:///{path}"}


def told_to_migrate(path) -> str:
    return (
        f"The database {path} lacks the tables of admin, auth, contenttypes, "
        "easy_thumbnails, photos, sessions: run `make migrate` "
        "(or manage.py migrate with the same DATABASE_URL)."
    )


@pytest.mark.parametrize(
    "command",
    [
        ["load_photos", "PHOTOS"],
        ["generate_all_thumbnail_aliases"],
        ["generate_all_thumbnail_aliases", "--queue"],
        ["delete_photo_thumbnails", "--noinput"],
        ["delete_all_photos", "--noinput"],
    ],
    ids=" ".join,
)
def test_a_command_on_a_database_never_migrated_says_to_migrate(
    unmigrated_env, tmp_path, command
):
    path, env = unmigrated_env
    photos = tmp_path / "photos"
    photos.mkdir()
    (photos / "one.jpg").write_bytes(small_photo_bytes(1))
    args = [str(photos) if arg == "PHOTOS" else arg for arg in command]

    out, err, code = run_manage(*args, env=env)

    assert code == 1
    assert err == f"CommandError: {told_to_migrate(path)}\n"


def test_a_page_on_a_database_never_migrated_says_to_migrate(unmigrated_env, tmp_path):
    path, env = unmigrated_env
    with running_site(env, tmp_path / "runserver.log") as url:
        status, body = get(f"{url}/")

    assert (status, body) == (503, told_to_migrate(path))


def test_a_database_error_of_another_kind_is_not_called_unmigrated(site_env):
    """Migrated, then a table lost: the error as it is."""
    path = site_env["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        connection.execute("DROP TABLE photos_photo")

    out, err, code = run_manage("generate_all_thumbnail_aliases", env=site_env)

    assert code == 1
    assert "no such table: photos_photo" in err
    assert "make migrate" not in err
