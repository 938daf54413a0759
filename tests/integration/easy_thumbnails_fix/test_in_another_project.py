"""easy-thumbnails-fix adopted by another project, as its README says: the
fix's counts with nothing of this project but the package.

The other project (tests/second_project/: its own settings, a model with the
fix's ThumbnailerImageField, a view in thumbnail_page, a loop in
thumbnail_batch) runs in a virtualenv of its own, made without this project's
site-packages and started outside this project's folder, so it can import
only what that virtualenv holds.

The README's install step, ``pip install "./easy-thumbnails-fix[s3]"``, is
done in the two steps pip takes: the folder is built into a wheel (here, with
the build backend pinned in this project's .venv, so nothing is downloaded),
and pip installs that wheel into the other virtualenv, resolving the
package's declared dependencies there. Those dependencies (Django,
easy-thumbnails, django-storages, boto3, Pillow and theirs) are the pinned
distributions already installed in this project's .venv, linked into the
other virtualenv's site-packages one distribution at a time, found by
following the package's own requirements: installing them again would need
the network in a test and a minute of unpacking, for the same code. pip runs
with --no-index, so a requirement those pins do not meet fails the install,
and a module the package uses but does not declare fails the import.
"""

import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import REPO_ROOT, small_photo_bytes

PACKAGE_DIR = REPO_ROOT / "easy-thumbnails-fix"
SECOND_PROJECT = REPO_ROOT / "tests" / "second_project"
ALIASES_COUNT = 3  # THUMBNAIL_ALIASES of the second project
# What the second project must not see: this project and its tools.
NOT_INSTALLED = ("photos", "et_issue_example", "measurement", "moto", "debug_toolbar")

# Renders the index page through Django's test client, counting its queries.
# The index page twice in one process: the second finds the page's rows in
# the process's cache (Django's default, local memory).
RENDER_INDEX = """
import json
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

loads = []
for _ in range(2):
    with CaptureQueriesContext(connection) as queries:
        response = Client().get("/")
    loads.append({
        "status": response.status_code,
        "images": response.content.decode().count(" data-alias="),
        "queries": len(queries),
    })
print(json.dumps(loads))
"""


def declared_requirements(extras=("s3",)) -> list[Requirement]:
    """The package's dependencies, as its pyproject.toml declares them."""
    project = tomllib.loads((PACKAGE_DIR / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in extras:
        requirements += project["optional-dependencies"][extra]
    return [Requirement(text) for text in requirements]


def dependency_closure(requirements) -> list[importlib.metadata.Distribution]:
    """The installed distributions the requirements need, theirs included."""
    found, todo = {}, list(requirements)
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        if name in found:
            continue
        found[name] = distribution = importlib.metadata.distribution(name)
        extras = requirement.extras or {""}
        for text in distribution.requires or []:
            needed = Requirement(text)
            if needed.marker is None or any(
                needed.marker.evaluate({"extra": extra}) for extra in extras
            ):
                todo.append(needed)
    return list(found.values())


def link_distribution(distribution, site_packages: Path) -> None:
    """Make the distribution importable from site_packages, files and metadata."""
    installed_at = Path(distribution.locate_file(""))
    top_levels = {
        Path(file).parts[0]
        for file in distribution.files or []
        if Path(file).parts[0] not in ("..", "__pycache__")
    }
    for top_level in top_levels:
        (site_packages / top_level).symlink_to(installed_at / top_level)


@pytest.fixture(scope="module")
def other_venv(tmp_path_factory) -> Path:
    """A new virtualenv with easy-thumbnails-fix[s3] installed by pip."""
    tmp_path = tmp_path_factory.mktemp("other-venv")
    venv = tmp_path / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)],
        check=True,
        timeout=120,
    )
    python = venv / "bin" / "python"
    site_packages = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    for distribution in dependency_closure(declared_requirements()):
        link_distribution(distribution, site_packages)
    wheels = tmp_path / "wheels"
    pip = [sys.executable, "-m", "pip", "--quiet", "--disable-pip-version-check"]
    # Built with the flit_core pinned in this .venv: nothing to download.
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "--wheel-dir", wheels]
        + [PACKAGE_DIR],
        check=True,
        timeout=300,
        cwd=tmp_path,
    )
    subprocess.run(
        [*pip, "--python", python, "install", "--no-index", "--find-links", wheels]
        + ["easy-thumbnails-fix[s3]"],
        check=True,
        timeout=300,
        cwd=tmp_path,
        # Only the wheel just built: no index, no links from the environment.
        env={
            name: value
            for name, value in os.environ.items()
            if name not in ("PIP_FIND_LINKS", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL")
        },
    )
    return venv


@pytest.fixture
def other_project(tmp_path, other_venv, bucket):
    """Runs the second project's manage.py in its virtualenv, on the tests' bucket."""
    project = tmp_path / "project"
    shutil.copytree(
        SECOND_PROJECT, project, ignore=shutil.ignore_patterns("__pycache__")
    )
    env = {
        "PATH": f"{other_venv / 'bin'}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "AWS_S3_ENDPOINT_URL": bucket.endpoint,
        "AWS_STORAGE_BUCKET_NAME": bucket.name,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }

    def run(*args) -> str:
        result = subprocess.run(
            [other_venv / "bin" / "python", *args],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    return run


def requests_made(bucket) -> dict:
    return {op: count for op, count in bucket.request_counts().items() if count}


def test_the_venv_holds_the_package_and_its_dependencies_only(
    other_project, other_venv
):
    """Neither this project nor its tools can be imported there; the fix can,
    installed by pip from the package."""
    found = other_project(
        "-c",
        "import importlib.util, json; "
        f"print(json.dumps([n for n in {NOT_INSTALLED!r} if importlib.util.find_spec(n)]))",
    )
    assert json.loads(found) == []
    installed = other_project(
        "-c",
        "import importlib.metadata as m, easy_thumbnails_fix, easy_thumbnails; "
        "d = m.distribution('easy-thumbnails-fix'); "
        "print(d.version, d.read_text('INSTALLER').strip()); "
        "print(easy_thumbnails_fix.__file__); print(easy_thumbnails.__file__)",
    )
    version_and_tool, fix_file, easy_thumbnails_file = installed.splitlines()
    assert version_and_tool == "0.1.0 pip"
    # A copy installed by pip, not this folder; the dependencies are linked.
    venv = other_venv
    assert Path(fix_file).resolve().is_relative_to(venv)
    assert Path(easy_thumbnails_file).is_relative_to(venv)
    assert not Path(easy_thumbnails_file).resolve().is_relative_to(venv)


def test_the_readme_steps_give_the_fix_counts(other_project, bucket, tmp_path):
    """A cold page: one GET per photo, one PUT per thumbnail, no HEAD or
    DELETE. A warm page: three queries in a new process, then one, no S3
    request. A loop in
    thumbnail_batch over new photos: the same counts as the cold page."""
    migration = other_project("manage.py", "makemigrations", "gallery")
    assert "Create model Picture" in migration
    migration_file = SECOND_PROJECT / "gallery" / "migrations" / "0001_initial.py"
    # The fix's field is stock's in migrations: the same column.
    assert (
        "easy_thumbnails.fields.ThumbnailerImageField"
        in (
            tmp_path / "project" / migration_file.relative_to(SECOND_PROJECT)
        ).read_text()
    )
    other_project("manage.py", "migrate", "--verbosity", "0")
    photos = tmp_path / "photos"
    photos.mkdir()
    for seed in range(1, 6):
        (photos / f"hill-{seed}.jpg").write_bytes(
            small_photo_bytes(seed, size=(1600, 1200))
        )
    other_project("manage.py", "add_pictures", *sorted(map(str, photos.iterdir()))[:3])
    bucket.reset_request_counts()

    cold, _ = json.loads(
        other_project("manage.py", "shell", "--verbosity", "0", "-c", RENDER_INDEX)
    )

    assert (cold["status"], cold["images"]) == (200, 3 * ALIASES_COUNT)
    assert requests_made(bucket) == {"GET": 3, "PUT": 3 * ALIASES_COUNT}
    bucket.reset_request_counts()

    warm = json.loads(
        other_project("manage.py", "shell", "--verbosity", "0", "-c", RENDER_INDEX)
    )

    # The pictures, their Source rows, their Thumbnail rows; then the
    # pictures alone, their rows from the cache.
    assert [(load["status"], load["images"], load["queries"]) for load in warm] == [
        (200, 3 * ALIASES_COUNT, 3),
        (200, 3 * ALIASES_COUNT, 1),
    ]
    assert requests_made(bucket) == {}

    other_project("manage.py", "add_pictures", *sorted(map(str, photos.iterdir()))[3:])
    bucket.reset_request_counts()

    other_project("manage.py", "make_thumbnails")

    assert requests_made(bucket) == {"GET": 2, "PUT": 2 * ALIASES_COUNT}
    assert len(bucket.object_keys("pictures/")) == 5 * (1 + ALIASES_COUNT)
