"""The fix's page cache: a warm page costs its own query, and never shows a
thumbnail that is gone, whoever deleted or remade it, whatever the cache.

Each photo's rows are kept in Django's cache under their version, which the
page's own query reads (easy_thumbnails_fix.page_cache).
"""

import os

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from easy_thumbnails.files import get_thumbnailer
from easy_thumbnails.models import Source, Thumbnail, ThumbnailDimensions

from photos.generation import all_photos, generate_photo_aliases
from photos.models import Photo
from photos.thumbnail_deletion import delete_all_thumbnails
from tests.conftest import run_manage
from tests.integration.photos.test_page_figures import page_figures
from tests.site_process import get, running_site

pytestmark = pytest.mark.every_database

ALIASES_COUNT = len(settings.THUMBNAIL_ALIASES[""])


@pytest.fixture
def photos(db, bucket, photo_dir, settings):
    """Three photos, the fix on, the page rendered cold then warm."""
    settings.THUMBNAIL_FIX = True
    call_command("load_photos", str(photo_dir), verbosity=0)
    return list(Photo.objects.order_by("pk"))


def shown_page(client, bucket) -> str:
    """The index page, after checking that every thumbnail it shows is stored."""
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="broken"' not in html
    shown = bucket.keys_shown(html)
    assert len(shown) == 3 * ALIASES_COUNT
    assert set(shown) <= set(bucket.object_keys())
    return html


def puts(bucket) -> int:
    return bucket.request_counts().get("PUT", 0)


def warm_up(client, bucket) -> None:
    shown_page(client, bucket)
    shown_page(client, bucket)
    bucket.reset_request_counts()


def test_thumbnails_deleted_by_the_command_are_made_again_not_shown(
    client, bucket, photos, django_assert_num_queries
):
    """delete_photo_thumbnails: the next page makes them all again; the one
    after reads its rows once more, then from the cache."""
    warm_up(client, bucket)

    call_command("delete_photo_thumbnails", "--noinput", verbosity=0)
    shown_page(client, bucket)

    assert puts(bucket) == 3 * ALIASES_COUNT
    with django_assert_num_queries(1):
        shown_page(client, bucket)


def test_thumbnails_deleted_by_easy_thumbnails_are_made_again_not_shown(
    client, bucket, photos, settings
):
    """easy-thumbnails' own delete_thumbnails (objects and rows, one by one)."""
    warm_up(client, bucket)
    field_file = Photo.objects.get(pk=photos[1].pk).photo

    deleted = field_file.delete_thumbnails()
    shown_page(client, bucket)

    assert deleted == ALIASES_COUNT
    assert puts(bucket) == ALIASES_COUNT


def test_one_thumbnail_deleted_by_hand_is_made_again_alone(client, bucket, photos):
    """One object and its row deleted, with no signal to anyone."""
    warm_up(client, bucket)
    row = Thumbnail.objects.order_by("pk").last()
    bucket.client.delete_object(Bucket=bucket.name, Key=row.name)
    # Its size's row first, as the database's foreign key asks.
    ThumbnailDimensions.objects.filter(thumbnail=row)._raw_delete(Thumbnail.objects.db)
    Thumbnail.objects.filter(pk=row.pk)._raw_delete(Thumbnail.objects.db)
    bucket.reset_request_counts()

    shown_page(client, bucket)

    assert puts(bucket) == 1


def test_thumbnails_made_again_elsewhere_are_read_once_then_cached(
    client, bucket, photos, django_assert_num_queries
):
    """Deleted, then made by generate_all_thumbnail_aliases' loop, which
    keeps the rows it wrote in the cache: the page makes nothing and finds
    them there."""
    warm_up(client, bucket)
    delete_all_thumbnails()
    list(generate_photo_aliases(all_photos()))
    bucket.reset_request_counts()

    with django_assert_num_queries(1):
        shown_page(client, bucket)
    with django_assert_num_queries(1):
        shown_page(client, bucket)

    assert puts(bucket) == 0


def test_a_new_original_under_the_same_name_gets_new_thumbnails(client, bucket, photos):
    """Saving a file records a newer Source row (easy-thumbnails' save, a
    queryset update that sends no signal): its thumbnails are older than it,
    so the page makes them again."""
    warm_up(client, bucket)
    field_file = get_thumbnailer(Photo.objects.get(pk=photos[0].pk).photo)

    field_file.get_source_cache(create=True, update=True)
    shown_page(client, bucket)

    assert puts(bucket) == ALIASES_COUNT
    assert Source.objects.count() == 3


RENDER_INDEX = """
import json
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

with CaptureQueriesContext(connection) as queries:
    response = Client(HTTP_HOST="127.0.0.1").get("/")
print(json.dumps([response.status_code, len(queries)]))
"""


@pytest.fixture
def redis_cache_url(broker):
    """The tests' Redis (emptied), as a CACHE_URL."""
    return os.environ["CELERY_BROKER_URL"]


@pytest.mark.parametrize(("cache", "warm_queries_count"), [("memory", 3), ("redis", 1)])
def test_a_new_process_finds_the_rows_in_a_shared_cache(
    request, site_env, bucket, photo_dir, cache, warm_queries_count
):
    """A page rendered by one process, then by another: with Django's
    default cache (each process's memory) the second reads the rows again;
    with CACHE_URL naming a Redis it finds them there."""
    env = {**site_env, "THUMBNAIL_FIX": "1"}
    if cache == "redis":
        env["CACHE_URL"] = request.getfixturevalue("redis_cache_url")
    assert run_manage("load_photos", str(photo_dir), env=env)[2] == 0
    bucket.reset_request_counts()
    renders = []
    for _ in range(2):
        out, err, code = run_manage(
            "shell", "--verbosity", "0", "-c", RENDER_INDEX, env=env
        )
        assert code == 0, err
        renders.append(out.strip())

    assert renders[1] == f"[200, {warm_queries_count}]"
    assert bucket.request_counts()["PUT"] == 3 * ALIASES_COUNT


def test_a_server_never_shows_thumbnails_another_process_deleted(
    site_env, bucket, photo_dir, tmp_path
):
    """The cache in the server's memory, the command in another process:
    the page after the command makes every thumbnail again, none shown
    before it is stored."""
    env = {**site_env, "THUMBNAIL_FIX": "1"}
    assert run_manage("load_photos", str(photo_dir), env=env)[2] == 0
    with running_site(env, tmp_path / "runserver.log") as url:
        figures = []
        for step in ("cold", "warm", "delete", "made again", "warm again"):
            if step == "delete":
                _, err, code = run_manage(
                    "delete_photo_thumbnails", "--noinput", env=env
                )
                assert code == 0, err
                continue
            status, html = get(f"{url}/")
            assert status == 200
            shown = bucket.keys_shown(html)
            assert len(shown) == 3 * ALIASES_COUNT
            assert set(shown) <= set(bucket.object_keys())
            figures.append(page_figures(html))

    # Cold: the photos, their Source and Thumbnail rows (none), SQLite's
    # BEGIN and the INSERTs of the page's rows and their sizes, or
    # PostgreSQL's lock queries (take, read the Thumbnail rows again,
    # release) and the INSERTs. Made
    # again: the command deleted the Source rows too, so no Thumbnail row is
    # looked for; before they are written again with the Thumbnail rows, they
    # are looked for once more, in case another process wrote them meanwhile.
    cold = {"sqlite": 6, "postgresql": 8}[connection.vendor]
    made_again = {"sqlite": 7, "postgresql": 9}[connection.vendor]
    assert [(f["queries_count"], f["thumbnails_made_count"]) for f in figures] == [
        (cold, 27),
        (1, 0),
        (made_again, 27),
        (1, 0),
    ]


def test_a_cache_url_that_is_not_redis_is_one_clear_message(site_env):
    _, err, code = run_manage(
        "check", env={**site_env, "CACHE_URL": "memcached://127.0.0.1:11211"}
    )

    assert code == 1
    assert (
        "ImproperlyConfigured: CACHE_URL='memcached://127.0.0.1:11211': use a "
        "Redis URL (redis://host:port/db), or leave it unset for a cache in each "
        "process's memory." in err
    )
