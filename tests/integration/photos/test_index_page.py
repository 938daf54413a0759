import os
import re
import shlex
import sqlite3
import subprocess
from contextlib import closing
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from easy_thumbnails.models import Source, Thumbnail

from photos.page_costs import COLD_QUERIES_MAX, WARM_QUERIES_MAX, stock_queries
from tests.fresh_clone import fresh_clone

ALIASES = list(settings.THUMBNAIL_ALIASES[""])


@pytest.fixture
def loaded_photos(db, bucket, photo_dir):
    call_command("load_photos", str(photo_dir), verbosity=0)
    return bucket


def thumbnail_keys(bucket):
    return [key for key in bucket.object_keys() if key.count(".") > 1]


def test_cold_render_creates_every_alias_of_every_photo_once(client, loaded_photos):
    response = client.get("/")

    assert response.status_code == 200
    assert len(thumbnail_keys(loaded_photos)) == 3 * len(ALIASES) == 27
    assert Thumbnail.objects.count() == 27
    assert Source.objects.count() == 3


def test_warm_render_creates_nothing_and_returns_the_same_html(client, loaded_photos):
    cold = client.get("/").content.decode()
    keys = loaded_photos.object_keys()
    loaded_photos.reset_request_counts()

    warm = client.get("/").content.decode()

    assert loaded_photos.object_keys() == keys
    assert loaded_photos.request_counts().get("PUT", 0) == 0
    # Signed URLs carry their own expiry time, and the figures at the top are
    # each request's own; the rest of the page is the same.
    unsigned = re.compile(r"\?[^\"]*|<table id=\"page-figures\">.*?</table>", re.S)
    assert unsigned.sub("", warm) == unsigned.sub("", cold)


@pytest.mark.every_database
def test_a_cold_stock_page_takes_six_queries_per_thumbnail(
    client, loaded_photos, django_assert_num_queries
):
    """The photos; per photo its Source row; per alias three SELECTs and the
    INSERT of its Thumbnail row between a SAVEPOINT and its RELEASE.

    Inside the test's transaction both databases count the same. On the site each INSERT is a transaction of its own instead: test_thumbnail_fix
    counts that case, where SQLite's BEGIN is a statement and PostgreSQL's is not.
    """
    with django_assert_num_queries(1 + 3 * (1 + 6 * len(ALIASES))):
        client.get("/")


@pytest.mark.every_database
def test_a_warm_stock_page_takes_a_query_per_thumbnail_and_per_photo(
    client, loaded_photos, django_assert_num_queries
):
    """The photos, then per photo its Source row and a Thumbnail row per alias."""
    client.get("/")

    with django_assert_num_queries(1 + 3 * (1 + len(ALIASES))):
        client.get("/")


def test_the_page_says_what_it_costs_stock_and_with_the_fix(client, loaded_photos):
    """Beside what the page did cost, what it should: stock's queries for its
    photos and aliases, and the fix's bound, from the reports' constants."""
    html = client.get("/").content.decode()

    line = " ".join(re.search(r'<p id="page-costs">(.*?)</p>', html, re.S)[1].split())
    stock = stock_queries(3, len(ALIASES), connection.vendor)
    assert f"What a page of 3 photos and {len(ALIASES)} aliases costs" in line
    assert f"stock easy-thumbnails {stock['cold']} SQL queries when none" in line
    assert f"{stock['warm']} when all do" in line
    assert f"at most {COLD_QUERIES_MAX[connection.vendor]} when none exist" in line
    assert f"and {WARM_QUERIES_MAX} with no S3 request" in line


def test_the_page_shows_every_alias_by_name_with_an_image_url(client, loaded_photos):
    html = client.get("/").content.decode()

    images = re.findall(r'<img src="([^"]+)" alt="[^"]*" data-alias="([^"]+)"', html)
    assert len(images) == 27
    assert [alias for _, alias in images[:9]] == ALIASES
    for url, _ in images:
        assert url.startswith(
            f"{settings.AWS_S3_ENDPOINT_URL}/{loaded_photos.name}/photos/"
        )
    for alias in ALIASES:
        assert f"<figcaption>{alias}</figcaption>" in html


def test_an_empty_sites_commands_load_photos_on_a_fresh_clone(
    client, db, bucket, site_env, tmp_path
):
    """The commands the empty page shows, run as shown, fill the page: on a
    local S3 server on another port than 5000, make load-photos with its S3_PORT."""
    html = client.get("/").content.decode()
    shown = re.search(
        r'<pre id="load-test-photos"><code>(.*?)</code></pre>', html, re.S
    )
    commands = [shlex.split(line) for line in shown.group(1).splitlines()]
    clone = fresh_clone(tmp_path / "clone")
    assert [path.name for path in (clone / "test_photos").iterdir()] == [".gitkeep"]

    for command in commands:
        result = subprocess.run(
            command,
            cwd=clone,
            env={**os.environ, **site_env},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert (result.returncode, result.stderr) == (0, ""), command

    s3_port = urlsplit(settings.AWS_S3_ENDPOINT_URL).port
    assert commands == [
        [".venv/bin/python", "manage.py", "make_test_photos"],
        ["make", "load-photos", f"S3_PORT={s3_port}"],
    ]
    assert "20 loaded, 0 already loaded, 0 failed" in result.stdout
    assert len(bucket.object_keys("photos/")) == 20
    database = sqlite3.connect(site_env["DATABASE_URL"].removeprefix("sqlite:///"))
    with closing(database):
        assert database.execute("SELECT COUNT(*) FROM photos_photo").fetchone() == (20,)


def test_the_debug_toolbar_shows_the_sql_panel_with_debug_on(
    client, loaded_photos, settings
):
    settings.DEBUG = True

    html = client.get("/").content.decode()

    assert 'id="djDebug"' in html
    assert "SQLPanel" in html


def test_the_debug_toolbar_opens_collapsed(client, loaded_photos, settings):
    """Collapsed to its handle, it covers none of the admin's buttons."""
    settings.DEBUG = True

    html = client.get("/").content.decode()

    assert 'data-default-show="false"' in html


@pytest.mark.parametrize("method", ["TRACE", "OPTIONS", "POST", "PUT", "DELETE"])
def test_the_index_answers_other_methods_than_get_and_head_405_making_nothing(
    client, loaded_photos, method
):
    """TRACE, OPTIONS, POST... get 405 with Allow: GET, HEAD; no thumbnail is made."""
    response = client.generic(method, "/")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert thumbnail_keys(loaded_photos) == []
    assert Thumbnail.objects.count() == 0


def test_the_index_answers_head_without_a_body(client, loaded_photos):
    """HEAD is answered as GET is, without the page."""
    response = client.head("/")

    assert response.status_code == 200
    assert response.content == b""
