"""The app easy_thumbnails_fix, listed in INSTALLED_APPS: easy-thumbnails'
names build the fix's classes while THUMBNAIL_FIX is on (in_place), a
queryset's objects read their rows together (peers), and a request writes its
rows when its response is closed (request_page). With the switch off, each is
stock easy-thumbnails.

The site's Photo model and the tests' local S3 server, as the site uses them.
"""

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.signals import request_finished
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from easy_thumbnails import files
from easy_thumbnails.alias import aliases
from easy_thumbnails.models import Thumbnail, ThumbnailDimensions
from easy_thumbnails_fix import in_place, page_cache, peers, request_page
from easy_thumbnails_fix.field_file import ThumbnailFix

from photos.models import Photo
from tests.conftest import small_photo_bytes

ALIASES_COUNT = 9
VERSION_COLUMNS = page_cache.ANNOTATION_PREFIX


@pytest.fixture
def photos(db, bucket, tmp_path):
    directory = tmp_path / "photos"
    directory.mkdir()
    for seed in range(1, 4):
        (directory / f"hill-{seed}.jpg").write_bytes(small_photo_bytes(seed))
    call_command("load_photos", str(directory), verbosity=0)
    bucket.reset_request_counts()
    return list(Photo.objects.order_by("pk"))


@pytest.fixture(params=[True, False], ids=["fix", "stock"])
def fix_on(request, settings) -> bool:
    settings.THUMBNAIL_FIX = request.param
    return request.param


def selects(queryset) -> list[str]:
    """The SQL that evaluating queryset sends."""
    with CaptureQueriesContext(connection) as captured:
        list(queryset)
    return [query["sql"] for query in captured.captured_queries]


# easy-thumbnails' names


def test_easy_thumbnails_names_build_the_fix_while_it_is_on(photos, fix_on):
    built = [
        files.get_thumbnailer(default_storage, "photos/a.jpg"),
        files.get_thumbnailer("photos/a.jpg"),
        Photo.objects.get(pk=photos[0].pk).photo,
    ]

    assert [isinstance(thumbnailer, ThumbnailFix) for thumbnailer in built] == [
        fix_on
    ] * 3
    # They pass for easy-thumbnails' own classes, as its checks ask.
    assert all(isinstance(t, files.Thumbnailer) for t in built)
    assert isinstance(built[2], files.ThumbnailerImageFieldFile)
    assert files.get_thumbnailer(built[2]) is built[2]


def test_a_class_a_project_derives_from_easy_thumbnails_thumbnailer_is_its_own(
    settings,
):
    """Derived after the app put its stand-in in place: built as itself,
    stock's thumbnailer with the project's changes, whatever the switch."""
    settings.THUMBNAIL_FIX = True

    class ProjectThumbnailer(files.Thumbnailer):
        thumbnail_prefix = "project-"

    thumbnailer = ProjectThumbnailer(name="photos/a.jpg")

    assert type(thumbnailer) is ProjectThumbnailer
    assert isinstance(thumbnailer, in_place.STOCK["Thumbnailer"])
    assert not isinstance(thumbnailer, ThumbnailFix)


def test_putting_the_fix_in_place_again_changes_nothing():
    stand_in = files.Thumbnailer

    in_place.put_in_place()

    assert files.Thumbnailer is stand_in


def test_generate_all_aliases_outside_a_batch_writes_a_photos_rows_in_one_insert(
    photos, settings, django_assert_num_queries
):
    """Its Source and Thumbnail rows read (the three photos' at once), then
    one INSERT of its rows and one of their sizes."""
    settings.THUMBNAIL_FIX = True
    photo = Photo.objects.get(pk=photos[0].pk)

    with django_assert_num_queries(4):
        files.generate_all_aliases(photo.photo, include_global=True)

    assert Thumbnail.objects.count() == ThumbnailDimensions.objects.count()
    assert Thumbnail.objects.count() == ALIASES_COUNT


def test_a_field_files_deleted_thumbnails_are_made_again_on_its_next_look(
    photos, bucket, fix_on
):
    """delete_thumbnails() on the field file that looked: its next look
    finds them gone, as stock's does, not in the rows it had read."""
    field_file = Photo.objects.get(pk=photos[0].pk).photo
    first = field_file["admin_thumbnail"]

    field_file.delete_thumbnails()
    bucket.reset_request_counts()
    again = field_file["admin_thumbnail"]

    assert again.name == first.name
    assert bucket.request_counts().get("PUT") == 1
    assert Thumbnail.objects.count() == 1


# A queryset's objects


def test_a_querysets_objects_read_their_rows_in_its_own_query(photos, settings):
    """The first look at one photo's thumbnail reads the rows of all three,
    in two queries; the others' looks cost none."""
    settings.THUMBNAIL_FIX = True
    call_command("generate_all_thumbnail_aliases", verbosity=0)
    page_cache.rows_cache().clear()  # as a process that did not make them
    loaded = list(Photo.objects.order_by("pk"))

    with CaptureQueriesContext(connection) as first:
        loaded[0].photo["admin_thumbnail"]
    with CaptureQueriesContext(connection) as others:
        for photo in loaded:
            for alias in aliases.all(photo.photo):
                photo.photo[alias]

    assert len(first) == 2
    assert len(others) == 0


def test_with_the_fix_off_a_queryset_is_stocks(photos, settings):
    settings.THUMBNAIL_FIX = False

    [sql] = selects(Photo.objects.all())

    assert VERSION_COLUMNS not in sql


@pytest.mark.parametrize(
    "make_queryset",
    [
        lambda: Photo.objects.all(),
        lambda: Photo.objects.filter(pk__gt=0).order_by("-pk")[:2],
        lambda: Photo.objects.only("pk", "photo"),
        lambda: Photo.objects.defer("original_name"),
    ],
    ids=["all", "a slice", "only the field", "another field deferred"],
)
def test_a_queryset_that_loads_the_field_reads_its_versions_in_its_one_query(
    photos, settings, make_queryset
):
    settings.THUMBNAIL_FIX = False
    stock = [(photo.pk, photo.photo.name) for photo in make_queryset()]
    settings.THUMBNAIL_FIX = True

    [sql] = selects(make_queryset())
    fixed = [(photo.pk, photo.photo.name) for photo in make_queryset()]

    assert VERSION_COLUMNS in sql
    assert fixed == stock


@pytest.mark.parametrize(
    "make_queryset",
    [
        lambda: Photo.objects.values("pk", "photo"),
        lambda: Photo.objects.values_list("photo", flat=True),
        lambda: Photo.objects.defer("photo"),
        lambda: Photo.objects.annotate(rows=Count("pk")),
        lambda: (
            Photo.objects.filter(pk=1)
            .order_by()
            .union(Photo.objects.filter(pk=2).order_by())
        ),
        lambda: Photo.objects.iterator(),
    ],
    ids=["values", "values_list", "the field deferred", "grouped", "union", "iterator"],
)
def test_other_querysets_are_left_as_they_are(photos, settings, make_queryset):
    settings.THUMBNAIL_FIX = False
    stock_sql, stock = selects(make_queryset()), list(make_queryset())
    settings.THUMBNAIL_FIX = True

    fixed_sql, fixed = selects(make_queryset()), list(make_queryset())

    assert fixed_sql == stock_sql
    assert [getattr(row, "pk", row) for row in fixed] == [
        getattr(row, "pk", row) for row in stock
    ]


def test_peers_do_not_keep_each_other_alive(photos, settings):
    settings.THUMBNAIL_FIX = True
    loaded = list(Photo.objects.order_by("pk"))
    shared = loaded[0].__dict__[peers.PEERS]

    del loaded[1:]

    assert shared.objects() == loaded


# A request


def test_a_requests_rows_are_written_when_its_response_is_closed(
    photos, settings, django_assert_num_queries
):
    """Made while the request runs, recorded together at its end: the page's
    rows in one INSERT, their sizes in another."""
    settings.THUMBNAIL_FIX = True
    request_page.open_page()
    try:
        for photo in Photo.objects.order_by("pk"):
            photo.photo["admin_thumbnail"]
        during = Thumbnail.objects.count()
    finally:
        with django_assert_num_queries(2):
            request_page.close_page()

    assert (during, Thumbnail.objects.count()) == (0, len(photos))


def test_with_the_fix_off_a_request_records_as_stock_does(photos, settings):
    settings.THUMBNAIL_FIX = False
    request_page.open_page()
    try:
        Photo.objects.get(pk=photos[0].pk).photo["admin_thumbnail"]
        during = Thumbnail.objects.count()
    finally:
        request_page.close_page()

    assert during == 1


def test_a_requests_rows_are_written_before_django_closes_its_connections():
    """On PostgreSQL the page's maker locks live on the connection that took
    them: close_page is the first to hear that a response was closed."""
    request_page.connect()  # again: still one receiver, still first

    receivers = [entry[1] for entry in request_finished.receivers]

    assert receivers[0] is request_page.close_page
    assert receivers.count(request_page.close_page) == 1
