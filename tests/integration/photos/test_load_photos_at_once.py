"""Two load_photos at once store each photo once, with one row, stock and fixed."""

import os
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT, run_manage, small_photo_bytes

pytestmark = pytest.mark.every_database


@pytest.fixture(params=["stock", "fix"])
def mode(request):
    return request.param


@pytest.fixture
def site_env(site_env, mode):
    """The site's subprocesses, stock or with the fix on."""
    return {**site_env, "THUMBNAIL_FIX": "1" if mode == "fix" else "0"}


def source_names(env) -> list[str]:
    """The names of the Source rows in the site's database."""
    out, err, code = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from easy_thumbnails.models import Source\n"
        "for name in Source.objects.values_list('name', flat=True): print(name)",
        env=env,
    )
    assert code == 0, err
    return out.split()


def test_two_load_photos_at_once_store_each_photo_once(
    site_env, bucket, tmp_path, mode
):
    folder = tmp_path / "many"
    folder.mkdir()
    for seed in range(1, 13):
        data = small_photo_bytes(seed)
        # The same photo under two names: one Photo, whichever loader wins.
        (folder / f"view-{seed:02d}.jpg").write_bytes(data)
        (folder / f"copy-{seed:02d}.jpg").write_bytes(data)
    commands = [
        subprocess.Popen(
            [sys.executable, "manage.py", "load_photos", str(folder)],
            cwd=REPO_ROOT,
            env={**os.environ, **site_env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [command.communicate(timeout=300) for command in commands]

    for command, (_, err) in zip(commands, results, strict=True):
        assert (command.returncode, err) == (0, "")
    out, err, code = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from photos.models import Photo\n"
        "for name in Photo.objects.values_list('photo', flat=True): print(name)",
        env=site_env,
    )
    assert code == 0, err
    names = out.split()
    assert len(names) == len(set(names)) == 12
    assert bucket.object_keys() == sorted(names)
    assert sorted(source_names(site_env)) == sorted(names)
