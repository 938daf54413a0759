"""easy-thumbnails-fix adopted by another project with two settings lines: the
fix's counts for a site that uses easy-thumbnails as sites do.

The other project (tests/second_project/) knows nothing of the fix but its
settings: ``"easy_thumbnails_fix"`` in INSTALLED_APPS and ``THUMBNAIL_FIX``.
Its model has easy-thumbnails' own ThumbnailerImageField; its paginated
ListView's template thumbnails each picture with ``{% thumbnail %}``,
``|thumbnail_url`` and an alias attribute (``picture.image.medium.url``,
``.width``); a JSON view calls ``get_thumbnailer(picture.image)["small"]``;
its make_thumbnails command is a plain loop over ``generate_all_aliases``.
THUMBNAIL_FIX is read from the environment (GALLERY_THUMBNAIL_FIX), so the
same project is measured with the fix on ("fix") and off ("stock"), and once
more with the app taken out of INSTALLED_APPS, which stock must match.

Each measured page is served by one process of the project, a ``manage.py
shell -c`` script that gets the paths it reads on its stdin through Django's
test client (so request_started and request_finished are sent as a server
sends them) and counts each one's queries in Django's query log; the S3
requests are counted at the tests' S3 server between two paths. Every gallery
(a copy of the project with a database of its own and a prefix of its own in
the module's bucket) is measured once and read by the tests that need it.

The project runs in a virtualenv of its own, made without this project's
site-packages and started outside this project's folder, so it can import
only what that virtualenv holds. The README's install step,
``pip install "./easy-thumbnails-fix[s3]"``, is done in the two steps pip
takes: the folder is built into a wheel (here, with the build backend pinned
in this project's .venv, so nothing is downloaded), and pip installs that
wheel into the other virtualenv, resolving the package's declared
dependencies there. Those dependencies (Django, easy-thumbnails,
django-storages, boto3, Pillow and theirs) are the pinned distributions
already installed in this project's .venv, linked into the other
virtualenv's site-packages one distribution at a time, found by following
the package's own requirements: installing them again would need the network
in a test and a minute of unpacking, for the same code. pip runs with
--no-index, so a requirement those pins do not meet fails the install, and a
module the package uses but does not declare fails the import.
"""

import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import tomllib
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import REPO_ROOT, Bucket, small_photo_bytes

# The galleries live in a bucket the module empties once, not per test.
pytestmark = pytest.mark.server

PACKAGE_DIR = REPO_ROOT / "easy-thumbnails-fix"
SECOND_PROJECT = REPO_ROOT / "tests" / "second_project"
# What the second project must not see: this project and its tools.
NOT_INSTALLED = ("photos", "et_issue_example", "measurement", "moto", "debug_toolbar")

MODES = ("fix", "stock")
COUNTS = (10, 100)
# The list page's thumbnails of a picture: the {% thumbnail %} tag's 150x100
# crop, |thumbnail_url:'small', picture.image.medium; and each one's size
# shown, for a 320x240 photo ("medium", 400x300, does not upscale).
PAGE_THUMBNAILS = {"150x100": (150, 100), "small": (58, 40), "medium": (320, 240)}
ALIASES = ("small", "medium")  # THUMBNAIL_ALIASES of the second project
PHOTO_SIZE = (320, 240)
# A paginated ListView's own queries: the COUNT and the page's SELECT.
VIEW_QUERIES = 2
LIST, JSON = "/", "/pictures.json"

# Serves the paths written on its stdin, one a line, through Django's test
# client in this one process, and writes, one a line, what each cost.
SERVE = """
import json, sys, time
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

client = Client()
for line in sys.stdin:
    started = time.monotonic()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(line.strip())
    print(json.dumps({
        "status": response.status_code,
        "body": response.content.decode(),
        "queries": len(queries),
        "seconds": round(time.monotonic() - started, 3),
    }), flush=True)
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


@pytest.fixture(scope="module")
def module_bucket():
    """The tests' bucket, emptied once for the module: its galleries stay in
    it, each under a prefix of its own, while the module runs."""
    bucket = Bucket()
    bucket.empty()
    yield bucket
    bucket.empty()
    bucket.client.close()


@pytest.fixture(scope="module")
def photos(tmp_path_factory) -> list[Path]:
    """100 small photographs, so that 100 pictures stay quick in stock mode."""
    directory = tmp_path_factory.mktemp("photos")
    paths = []
    for seed in range(1, max(COUNTS) + 1):
        path = directory / f"hill-{seed:03}.jpg"
        path.write_bytes(small_photo_bytes(seed, size=PHOTO_SIZE))
        paths.append(path)
    return paths


def requests_made(bucket) -> dict:
    return {op: count for op, count in bucket.request_counts().items() if count}


class Gallery:
    """A copy of the second project: its own database, its own prefix in the
    bucket, THUMBNAIL_FIX on ("fix") or off ("stock"); with adopted=False,
    without the two lines of adoption at all."""

    def __init__(self, root: Path, venv: Path, bucket, mode: str, adopted=True):
        self.root, self.venv, self.bucket = root, venv, bucket
        shutil.copytree(
            SECOND_PROJECT,
            root,
            ignore=shutil.ignore_patterns("__pycache__", "db.sqlite3"),
        )
        if not adopted:
            settings = root / "gallery_site" / "settings.py"
            text = settings.read_text()
            for line in (
                '"easy_thumbnails_fix", ',
                'THUMBNAIL_FIX = os.environ.get("GALLERY_THUMBNAIL_FIX", "true") == "true"\n',
            ):
                assert line in text
                text = text.replace(line, "")
            settings.write_text(text)
        self.location = root.name
        self.env = {
            "PATH": f"{venv / 'bin'}:/usr/bin:/bin",
            "HOME": str(root.parent),
            "AWS_S3_ENDPOINT_URL": bucket.endpoint,
            "AWS_STORAGE_BUCKET_NAME": bucket.name,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_LOCATION": self.location,
            "GALLERY_THUMBNAIL_FIX": "true" if mode == "fix" else "false",
        }

    def run(self, *args) -> str:
        """manage.py's output, or the test fails with its stderr."""
        result = subprocess.run(
            [self.venv / "bin" / "python", *args],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def keys(self) -> list[str]:
        """The gallery's files in the bucket, its prefix left out."""
        prefix = f"{self.location}/"
        return [key[len(prefix) :] for key in self.bucket.object_keys(prefix)]

    @contextmanager
    def process(self):
        """One process of the project; get(path) serves the path in it."""
        stderr = (self.root.parent / f"{self.root.name}-stderr.txt").open("w+")
        popen = subprocess.Popen(
            [self.venv / "bin" / "python", "manage.py", "shell", "-v", "0", "-c"]
            + [SERVE],
            cwd=self.root,
            env=self.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )

        def get(path: str) -> dict:
            self.bucket.reset_request_counts()
            popen.stdin.write(path + "\n")
            popen.stdin.flush()
            timer = threading.Timer(300, popen.kill)
            timer.start()
            try:
                line = popen.stdout.readline()
            finally:
                timer.cancel()
            if not line:
                popen.wait()
                stderr.seek(0)
                pytest.fail(f"the project's process ended:\n{stderr.read()}")
            return {**json.loads(line), "s3": requests_made(self.bucket)}

        try:
            yield get
        finally:
            popen.stdin.close()
            popen.wait(timeout=60)
            popen.stdout.close()
            stderr.close()


@pytest.fixture(scope="module")
def new_gallery(tmp_path_factory, other_venv, module_bucket, photos):
    """Makes a gallery of that many pictures, migrated, the photos stored."""

    def new(name: str, mode: str, pictures: int, adopted=True) -> Gallery:
        gallery = Gallery(
            tmp_path_factory.mktemp("galleries", numbered=True) / name,
            other_venv,
            module_bucket,
            mode,
            adopted,
        )
        gallery.run("manage.py", "migrate", "--verbosity", "0")
        if pictures:
            gallery.run("manage.py", "add_pictures", *map(str, photos[:pictures]))
        return gallery

    return new


@pytest.fixture(scope="module")
def measured(new_gallery):
    """What a page costs in a gallery of that many pictures, measured once per
    module: "cold", the first load, no thumbnail made yet; "warm", the same
    page again in that process; "new", the page in a new process, and
    "new_warm" again in that one."""
    done = {}

    def measure(path: str, mode: str, pictures: int, adopted=True) -> dict:
        key = (path, mode, pictures, adopted)
        if key not in done:
            kind = "list" if path == LIST else "json"
            name = f"{kind}-{mode}-{pictures}" + ("" if adopted else "-unadopted")
            gallery = new_gallery(name, mode, pictures, adopted)
            with gallery.process() as get:
                cold, warm = get(path), get(path)
            with gallery.process() as get:
                new, new_warm = get(path), get(path)
            done[key] = {"cold": cold, "warm": warm, "new": new, "new_warm": new_warm}
        return done[key]

    return measure


def shown(load: dict) -> Counter:
    """The list page's images: how many of each thumbnail at each size."""
    images = re.findall(
        r'<img src="([^"]+)"(?: width="(\d+)")?(?: height="(\d+)")?'
        r' data-thumbnail="(\w+)">',
        load["body"],
    )
    return Counter((kind, width, height) for _, width, height, kind in images)


def expected_images(pictures: int) -> Counter:
    width, height = PAGE_THUMBNAILS["150x100"]
    return Counter(
        {
            ("150x100", str(width), str(height)): pictures,
            ("small", "", ""): pictures,
            ("medium", str(PAGE_THUMBNAILS["medium"][0]), ""): pictures,
        }
    )


def costs(loads: dict) -> dict:
    """Each load's queries and S3 requests."""
    return {name: (load["queries"], load["s3"]) for name, load in loads.items()}


# The project


def test_the_venv_holds_the_package_and_its_dependencies_only(new_gallery):
    """Neither this project nor its tools can be imported there; the fix can,
    installed by pip from the package."""
    gallery = new_gallery("venv", "fix", pictures=1)
    found = gallery.run(
        "-c",
        "import importlib.util, json; "
        f"print(json.dumps([n for n in {NOT_INSTALLED!r} if importlib.util.find_spec(n)]))",
    )
    assert json.loads(found) == []
    installed = gallery.run(
        "-c",
        "import importlib.metadata as m, easy_thumbnails_fix, easy_thumbnails; "
        "d = m.distribution('easy-thumbnails-fix'); "
        "print(d.version, d.read_text('INSTALLER').strip()); "
        "print(easy_thumbnails_fix.__file__); print(easy_thumbnails.__file__)",
    )
    version_and_tool, fix_file, easy_thumbnails_file = installed.splitlines()
    assert version_and_tool == "0.1.0 pip"
    # A copy installed by pip, not this folder; the dependencies are linked.
    venv = gallery.venv
    assert Path(fix_file).resolve().is_relative_to(venv)
    assert Path(easy_thumbnails_file).is_relative_to(venv)
    assert not Path(easy_thumbnails_file).resolve().is_relative_to(venv)


def test_the_project_names_the_fix_in_its_settings_only(new_gallery):
    """Adopting the fix is two lines of settings: the app in INSTALLED_APPS
    and THUMBNAIL_FIX. The model's field is easy-thumbnails' own, and its
    migration is the one makemigrations writes for it."""
    mentions = [
        (str(path.relative_to(SECOND_PROJECT)), line.strip())
        for path in sorted(SECOND_PROJECT.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
        for line in path.read_text().splitlines()
        if ("easy_thumbnails_fix" in line or "THUMBNAIL_FIX" in line)
        and not line.lstrip().startswith("#")
    ]
    assert mentions == [
        (
            "gallery_site/settings.py",
            'INSTALLED_APPS = ["easy_thumbnails", "easy_thumbnails_fix", "gallery"]',
        ),
        (
            "gallery_site/settings.py",
            'THUMBNAIL_FIX = os.environ.get("GALLERY_THUMBNAIL_FIX", "true") == "true"',
        ),
    ]
    gallery = new_gallery("migrations", "fix", pictures=0)
    field = gallery.run(
        "manage.py",
        "shell",
        "-v",
        "0",
        "-c",
        "from gallery.models import Picture; "
        "f = Picture._meta.get_field('image'); "
        "print(type(f).__module__, type(f).__name__)",
    )
    assert field.split() == ["easy_thumbnails.fields", "ThumbnailerImageField"]
    gallery.run("manage.py", "makemigrations", "--check", "--dry-run", "gallery")


@pytest.mark.parametrize("pictures", COUNTS)
@pytest.mark.parametrize("mode", MODES)
def test_the_page_shows_every_thumbnail_at_its_size(measured, mode, pictures):
    """Each picture's three thumbnails, the tag's with its width and height
    and the alias's with its width, cold, warm and in a new process."""
    for load in measured(LIST, mode, pictures).values():
        assert load["status"] == 200
        assert shown(load) == expected_images(pictures)


@pytest.mark.parametrize("pictures", COUNTS)
@pytest.mark.parametrize("mode", MODES)
def test_the_json_gives_each_pictures_small_thumbnail(measured, mode, pictures):
    """get_thumbnailer(picture.image)["small"]: its URL, width and height,
    cold, warm and in a new process."""
    for load in measured(JSON, mode, pictures).values():
        assert load["status"] == 200
        thumbnails = json.loads(load["body"])["pictures"]
        assert [(t["width"], t["height"]) for t in thumbnails] == [
            PAGE_THUMBNAILS["small"]
        ] * pictures
        assert all(".58x40_" in t["url"] for t in thumbnails)


# With the fix


@pytest.mark.parametrize("path", [LIST, JSON], ids=["list", "json"])
def test_a_page_of_100_pictures_costs_the_queries_of_10(measured, path):
    """With the fix, a page's queries do not grow with its pictures: cold
    (the thumbnails made and their rows written in one go), warm in the same
    process, and in a new process."""
    few, many = (measured(path, "fix", pictures) for pictures in COUNTS)
    assert {name: load["queries"] for name, load in many.items()} == {
        name: load["queries"] for name, load in few.items()
    }
    # Cold: the view's, the Source rows (none), then SQLite's BEGIN, the
    # Source rows looked for again and written, the Thumbnail rows and their
    # sizes. In a new process: the view's, the Source and Thumbnail rows,
    # then the rows from that process's cache.
    assert {name: load["queries"] for name, load in few.items()} == {
        "cold": VIEW_QUERIES + 1 + 5,
        "warm": VIEW_QUERIES,
        "new": VIEW_QUERIES + 2,
        "new_warm": VIEW_QUERIES,
    }


@pytest.mark.parametrize("pictures", COUNTS)
@pytest.mark.parametrize("path", [LIST, JSON], ids=["list", "json"])
def test_a_warm_page_costs_the_views_own_queries_and_no_s3_request(
    measured, path, pictures
):
    """With the fix, a page seen before in the process costs the paginated
    view's own two queries (its COUNT and its SELECT), and no page but the
    cold one sends a request to S3: sizes come from the rows."""
    loads = measured(path, "fix", pictures)
    assert (loads["warm"]["queries"], loads["new_warm"]["queries"]) == (
        VIEW_QUERIES,
        VIEW_QUERIES,
    )
    assert [loads[name]["s3"] for name in ("warm", "new", "new_warm")] == [{}] * 3


@pytest.mark.parametrize("pictures", COUNTS)
def test_a_cold_page_gets_each_photo_once_and_puts_each_thumbnail(measured, pictures):
    """With the fix, the first page of pictures without thumbnails: one GET
    per photo, one PUT per thumbnail (the tag's, small, medium), no HEAD and
    no DELETE."""
    cold = measured(LIST, "fix", pictures)["cold"]
    assert cold["s3"] == {"GET": pictures, "PUT": len(PAGE_THUMBNAILS) * pictures}


@pytest.mark.parametrize("pictures", COUNTS)
def test_a_cold_json_page_gets_each_photo_once_and_puts_each_small_thumbnail(
    measured, pictures
):
    """With the fix, the JSON view's first load: one GET per photo, one PUT
    per "small" thumbnail, no HEAD and no DELETE."""
    cold = measured(JSON, "fix", pictures)["cold"]
    assert cold["s3"] == {"GET": pictures, "PUT": pictures}


# make_thumbnails: a plain loop of generate_all_aliases


@pytest.fixture(scope="module")
def made(new_gallery, photos):
    """make_thumbnails in a gallery of 5 pictures, then again once 5 more are
    added: the S3 requests of each run, and the gallery's files after them."""
    done = {}

    def make(mode: str) -> dict:
        if mode not in done:
            gallery = new_gallery(f"make-{mode}", mode, pictures=5)
            runs = []
            for added in (None, photos[5:10]):
                if added:
                    gallery.run("manage.py", "add_pictures", *map(str, added))
                gallery.bucket.reset_request_counts()
                gallery.run("manage.py", "make_thumbnails")
                runs.append(requests_made(gallery.bucket))
            done[mode] = {"first": runs[0], "second": runs[1], "keys": gallery.keys()}
        return done[mode]

    return make


def thumbnails_by_photo(keys: list[str]) -> dict:
    """Each photo's thumbnails in the bucket, by the size in their names."""
    photos = [key for key in keys if key.count(".") == 1]
    return {
        photo: sorted(
            re.search(r"\.(\d+x\d+)_", key[len(photo) :]).group(1)
            for key in keys
            if key != photo and key.startswith(f"{photo}.")
        )
        for photo in photos
    }


@pytest.mark.parametrize("mode", MODES)
def test_make_thumbnails_makes_every_alias_of_every_picture(made, photos, mode):
    """After the loop, every picture has each of its aliases in the bucket."""
    assert thumbnails_by_photo(made(mode)["keys"]) == {
        f"pictures/{photo.name}": ["400x300", "58x40"] for photo in photos[:10]
    }


def test_make_thumbnails_gets_each_new_photo_once_and_puts_each_alias(made):
    """With the fix, a plain loop of generate_all_aliases over the pictures:
    one GET per picture that lacks its aliases, one PUT per alias made, none
    for the pictures that have them; no HEAD, no DELETE."""
    runs = made("fix")
    assert (runs["first"], runs["second"]) == (
        {"GET": 5, "PUT": 5 * len(ALIASES)},
        {"GET": 5, "PUT": 5 * len(ALIASES)},
    )


# Stock: THUMBNAIL_FIX = False


def test_stock_make_thumbnails_gets_each_photo_once_per_alias(made):
    """Stock easy-thumbnails downloads the photo again for each alias."""
    runs = made("stock")
    # Per new picture: a GET of the photo per alias, and HEADs and a DELETE
    # before each PUT; the pictures that have their aliases cost none.
    per_picture = {"DELETE": 2, "GET": 2, "HEAD": 3, "PUT": 2}
    expected = {op: 5 * count for op, count in per_picture.items()}
    assert expected["GET"] == 5 * len(ALIASES)
    assert (runs["first"], runs["second"]) == (expected, expected)


@pytest.mark.parametrize("path", [LIST, JSON], ids=["list", "json"])
def test_stock_pages_cost_more_queries_the_more_pictures(measured, path):
    """Without the fix, a page's queries grow with its pictures, cold and warm."""
    few, many = (measured(path, "stock", pictures) for pictures in COUNTS)
    for name in ("cold", "warm", "new"):
        assert many[name]["queries"] > few[name]["queries"], name


# Stock's cost of each load of a page of n pictures, measured: queries
# (constant, per picture) and S3 requests per picture, by operation.
# The list page's 3 thumbnails a picture: cold, a GET of the photo per
# thumbnail made, and one more to read the medium thumbnail's width back
# (picture.image.medium is looked up again for .width); a DELETE before each
# PUT; HEADs for existence and modification times. Warm, the tag's
# thumbnail's and the medium's width are read from their files, a GET each.
# The JSON page's one "small" thumbnail a picture likewise.
STOCK = {
    LIST: {
        "cold": (2, 21, {"DELETE": 3, "GET": 4, "HEAD": 6, "PUT": 3}),
        "warm": (2, 7, {"GET": 2, "HEAD": 4}),
    },
    JSON: {
        "cold": (2, 7, {"DELETE": 1, "GET": 1, "HEAD": 2, "PUT": 1}),
        "warm": (2, 3, {"GET": 1, "HEAD": 2}),
    },
}


@pytest.mark.parametrize("pictures", COUNTS)
@pytest.mark.parametrize("path", [LIST, JSON], ids=["list", "json"])
def test_stock_pages_cost_queries_and_s3_requests_per_picture(measured, path, pictures):
    """Without the fix, every load of a page costs so many queries and S3
    requests per picture on it, cold and warm, in one process or a new one:
    the cold page GETs the photo once per thumbnail it makes."""
    loads = measured(path, "stock", pictures)
    expected = {}
    for name in loads:
        constant, per_picture, requests = STOCK[path][
            "cold" if name == "cold" else "warm"
        ]
        expected[name] = (
            constant + per_picture * pictures,
            {op: count * pictures for op, count in requests.items()},
        )
    assert costs(loads) == expected


@pytest.mark.parametrize("path", [LIST, JSON], ids=["list", "json"])
def test_stock_pages_cost_more_the_more_pictures(measured, path):
    """Without the fix, a page's queries grow with its pictures, cold and warm,
    and a warm page still reads its thumbnails' sizes from S3."""
    few, many = (measured(path, "stock", pictures) for pictures in COUNTS)
    for name in ("cold", "warm", "new"):
        assert many[name]["queries"] > few[name]["queries"], name
    for loads in (few, many):
        for name in ("warm", "new"):
            assert loads[name]["s3"].keys() == {"GET", "HEAD"}, name


@pytest.mark.parametrize("pictures", COUNTS)
@pytest.mark.parametrize("path", [LIST, JSON], ids=["list", "json"])
def test_the_fix_switched_off_costs_what_a_project_without_it_costs(
    measured, path, pictures
):
    """THUMBNAIL_FIX = False with the app installed is stock easy-thumbnails:
    each load costs the queries and S3 requests it costs in the same project
    without the two lines of adoption."""
    assert costs(measured(path, "stock", pictures)) == costs(
        measured(path, "stock", pictures, adopted=False)
    )
