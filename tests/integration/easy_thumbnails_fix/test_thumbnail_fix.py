"""THUMBNAIL_FIX: exact costs on the real local S3 server, and stock's thumbnails kept.

The query counts are those inside the test's transaction, the same on SQLite
and PostgreSQL. Outside one, as on the site, SQLite adds a BEGIN to each
transaction's writes, which PostgreSQL does not send as a statement (see
test_outside_a_transaction_sqlite_counts_a_begin_per_write).
"""

import io
import re
import threading
import urllib.request

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from easy_thumbnails.files import generate_all_aliases
from easy_thumbnails.models import Thumbnail
from easy_thumbnails_fix import field_file, read_ahead, thumbnail_batch
from easy_thumbnails_fix.field_file import ThumbnailFix
from PIL import Image, ImageChops, ImageStat

from photos.generation import all_photos, generate_photo_aliases
from photos.models import Photo
from photos.sample_photos import make_photo
from photos.thumbnail_deletion import delete_all_thumbnails
from tests.conftest import load_small_photos, run_manage

pytestmark = pytest.mark.every_database

ALIASES_COUNT = len(settings.THUMBNAIL_ALIASES[""])
SIGNATURE = re.compile(r"\?[^\"]*")
PAGE_FIGURES = re.compile(r'<table id="page-figures">.*?</table>', re.S)


@pytest.fixture
def fix(settings):
    settings.THUMBNAIL_FIX = True


@pytest.fixture
def site_env(site_env, request):
    """The site's subprocesses, with the fix on (or "stock", parametrized)."""
    fix = getattr(request, "param", "fix") == "fix"
    return {**site_env, "THUMBNAIL_FIX": "1" if fix else "0"}


# The maker lock costs no query on SQLite (a file lock). On PostgreSQL it is
# an advisory lock: a photo the fix makes alone takes it, reads the photo's
# rows again (PostgreSQL keeps no note of when the lock was last released)
# and releases it, three queries; a page takes all its photos' locks in one
# query, reads their rows again in one and releases them in one, three
# queries whatever its photo count. Stock takes no lock.
FIX_LOCK_QUERIES_PER_PHOTO = {"sqlite": 0, "postgresql": 3}
FIX_LOCK_QUERIES_PER_PAGE = {"sqlite": 0, "postgresql": 3}


def requests_made(bucket) -> dict:
    return {op: count for op, count in bucket.request_counts().items() if count}


def page(client) -> str:
    """The index page, its signed URLs' expiry and its request's figures left out."""
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="broken"' not in html
    return PAGE_FIGURES.sub("", SIGNATURE.sub("", html))


def images_shown(html: str) -> int:
    return html.count(" data-alias=")


def test_the_switch_gives_photos_the_fixed_file_class(db, bucket, tmp_path, settings):
    """Off, the photo field's files are stock's; on, they carry the fix."""
    load_small_photos(tmp_path / "photos", 1)
    settings.THUMBNAIL_FIX = False
    assert not isinstance(Photo.objects.get().photo, ThumbnailFix)
    settings.THUMBNAIL_FIX = True
    assert isinstance(Photo.objects.get().photo, ThumbnailFix)


def test_generating_a_photos_aliases_gets_it_once_and_puts_each_thumbnail_once(
    db, bucket, tmp_path, fix
):
    """One GET of the original, one PUT per thumbnail: no HEAD, no DELETE."""
    load_small_photos(tmp_path / "photos", 3)
    bucket.reset_request_counts()

    results = list(generate_photo_aliases(all_photos()))

    assert [result.error for result in results] == [None] * 3
    assert requests_made(bucket) == {"GET": 3, "PUT": 3 * ALIASES_COUNT}
    assert Thumbnail.objects.count() == 3 * ALIASES_COUNT


@pytest.fixture
def transfers(monkeypatch):
    """The fix's transfers, in the order they start: ("GET", the original's
    name, the thread that sent it) and ("PUT", the thumbnail's name), each
    sent for real to the S3 server."""
    started = []

    def noting_reads(read_original):
        def read(storage, name):
            started.append(("GET", name, threading.current_thread().name))
            return read_original(storage, name)

        return read

    def noting_writes(write_thumbnail):
        def write(storage, name, thumbnail):
            started.append(("PUT", name))
            return write_thumbnail(storage, name, thumbnail)

        return write

    for module in (field_file, read_ahead):
        monkeypatch.setattr(module, "read_original", noting_reads(module.read_original))
    monkeypatch.setattr(
        field_file, "write_thumbnail", noting_writes(field_file.write_thumbnail)
    )
    return started


def originals_read(transfers) -> list[str]:
    return [transfer[1] for transfer in transfers if transfer[0] == "GET"]


def test_generating_photos_loaded_together_fetches_the_next_original_while_this_one_is_drawn(
    db, bucket, tmp_path, fix, transfers
):
    """Each photo's original is downloaded before the photo ahead of it
    stores its first thumbnail, on the read-ahead's thread: still one GET
    per photo, nothing more."""
    load_small_photos(tmp_path / "photos", 3)
    names = list(all_photos().values_list("photo", flat=True))
    bucket.reset_request_counts()

    results = list(generate_photo_aliases(all_photos()))

    assert [result.error for result in results] == [None] * 3
    assert requests_made(bucket) == {"GET": 3, "PUT": 3 * ALIASES_COUNT}
    assert originals_read(transfers) == names
    order = [transfer[:2] for transfer in transfers]
    for before, photo in zip(names, names[1:], strict=False):
        first_put = next(
            n for n, t in enumerate(order) if t[1].startswith(before + ".")
        )
        assert order.index(("GET", photo)) < first_put, order
    assert all(
        transfer[2].startswith("original-read-ahead")
        for transfer in transfers
        if transfer[0] == "GET"
    )


def test_generating_fetches_ahead_only_the_photos_with_thumbnails_to_make(
    db, bucket, tmp_path, fix, transfers
):
    """A photo whose thumbnails stand is skipped: its original is never
    downloaded, and the one after it is fetched ahead instead."""
    load_small_photos(tmp_path / "photos", 3)
    first, made, last = all_photos()
    generate_all_aliases(made.photo, include_global=True)
    transfers.clear()
    bucket.reset_request_counts()

    results = list(generate_photo_aliases(all_photos()))

    assert [result.error for result in results] == [None] * 3
    assert requests_made(bucket) == {"GET": 2, "PUT": 2 * ALIASES_COUNT}
    assert originals_read(transfers) == [first.photo.name, last.photo.name]


def test_generating_photos_already_made_fetches_no_original(
    db, bucket, tmp_path, fix, transfers
):
    load_small_photos(tmp_path / "photos", 3)
    list(generate_photo_aliases(all_photos()))
    transfers.clear()
    bucket.reset_request_counts()

    list(generate_photo_aliases(all_photos()))

    assert transfers == []
    assert requests_made(bucket) == {}


def test_generating_a_photos_aliases_takes_four_queries(
    db, bucket, tmp_path, fix, django_assert_num_queries
):
    """Its Source row, its Thumbnail rows, one INSERT of the new ones and one
    of their sizes (and the maker lock's, on PostgreSQL)."""
    load_small_photos(tmp_path / "photos", 1)
    photo = Photo.objects.get()
    lock_queries = FIX_LOCK_QUERIES_PER_PHOTO[connection.vendor]

    with django_assert_num_queries(4 + lock_queries), thumbnail_batch():
        generate_all_aliases(photo.photo, include_global=True)


@pytest.mark.parametrize("photos_count", [2, 5])
def test_a_warm_page_takes_its_own_query_alone(
    client, db, bucket, tmp_path, fix, photos_count, django_assert_num_queries
):
    """The photos, their rows' version read with them; the rows themselves
    from the cache; nothing from S3."""
    load_small_photos(tmp_path / "photos", photos_count)
    page(client)
    bucket.reset_request_counts()

    with django_assert_num_queries(1):
        html = page(client)

    assert images_shown(html) == photos_count * ALIASES_COUNT
    assert requests_made(bucket) == {}


# 30 photos: 270 rows, more than Django 5.2 puts in one SQLite INSERT by itself.
@pytest.mark.parametrize("photos_count", [2, 5, 30])
def test_a_cold_page_takes_the_same_queries_whatever_its_photo_count(
    client, db, bucket, tmp_path, fix, photos_count, django_assert_num_queries
):
    """The photos, their Source and Thumbnail rows, one INSERT of all the
    page's new rows and one of their sizes (and the maker locks' three, on
    PostgreSQL); each photo one GET and a PUT per alias."""
    load_small_photos(tmp_path / "photos", photos_count)
    bucket.reset_request_counts()

    with django_assert_num_queries(5 + FIX_LOCK_QUERIES_PER_PAGE[connection.vendor]):
        html = page(client)

    assert images_shown(html) == photos_count * ALIASES_COUNT
    assert requests_made(bucket) == {
        "GET": photos_count,
        "PUT": photos_count * ALIASES_COUNT,
    }
    assert Thumbnail.objects.count() == photos_count * ALIASES_COUNT


def test_the_fixed_page_finds_the_thumbnails_stock_made(
    client, db, bucket, photo_dir, settings, django_assert_num_queries
):
    """Stock cold, then fixed warm: nothing made again, the same page (its
    rows read once, then from the cache)."""
    call_command("load_photos", str(photo_dir), verbosity=0)
    settings.THUMBNAIL_FIX = False
    stock = page(client)
    rows = set(Thumbnail.objects.values_list("storage_hash", "name", "source"))
    keys = bucket.object_keys()
    bucket.reset_request_counts()
    settings.THUMBNAIL_FIX = True

    with django_assert_num_queries(3):
        fixed = page(client)
    with django_assert_num_queries(1):
        assert page(client) == fixed

    assert fixed == stock
    assert images_shown(fixed) == 3 * ALIASES_COUNT
    assert requests_made(bucket) == {}
    assert set(Thumbnail.objects.values_list("storage_hash", "name", "source")) == rows
    assert bucket.object_keys() == keys


def test_stock_finds_the_thumbnails_the_fix_made(
    client, db, bucket, photo_dir, settings, django_assert_num_queries
):
    """Fixed cold, then stock warm: nothing made again, the same page, and
    stock's own warm cost (the photos, then per photo its Source and a
    Thumbnail row per alias)."""
    call_command("load_photos", str(photo_dir), verbosity=0)
    settings.THUMBNAIL_FIX = True
    fixed = page(client)
    rows = set(Thumbnail.objects.values_list("storage_hash", "name", "source"))
    keys = bucket.object_keys()
    bucket.reset_request_counts()
    settings.THUMBNAIL_FIX = False

    with django_assert_num_queries(1 + 3 * (1 + ALIASES_COUNT)):
        stock = page(client)

    assert stock == fixed
    assert images_shown(stock) == 3 * ALIASES_COUNT
    assert requests_made(bucket) == {}
    assert set(Thumbnail.objects.values_list("storage_hash", "name", "source")) == rows
    assert bucket.object_keys() == keys


@pytest.mark.parametrize(
    ("fix_on", "queries_count"),
    [
        # Its Source row; per alias three SELECTs and the INSERT of its row,
        # each INSERT a transaction of its own: 1 + 9 x 4, plus SQLite's 9 BEGINs.
        (
            False,
            {"sqlite": 1 + ALIASES_COUNT * 5, "postgresql": 1 + ALIASES_COUNT * 4},
        ),
        # Its Source row, its Thumbnail rows, the INSERTs of the rows and of
        # their sizes: plus SQLite's BEGIN, or PostgreSQL's lock queries.
        (
            True,
            {"sqlite": 5, "postgresql": 4 + FIX_LOCK_QUERIES_PER_PHOTO["postgresql"]},
        ),
    ],
)
def test_outside_a_transaction_sqlite_counts_a_begin_per_write(
    transactional_db, bucket, tmp_path, settings, fix_on, queries_count
):
    """As the commands and the reproduction count a photo's queries (an
    execute wrapper, no test transaction around): SQLite begins each
    transaction with a BEGIN statement, which is counted; Django begins a
    PostgreSQL one by turning autocommit off, which sends no statement."""
    load_small_photos(tmp_path / "photos", 1)
    settings.THUMBNAIL_FIX = fix_on

    [result] = generate_photo_aliases(all_photos())

    assert result.error is None
    assert result.queries_count == queries_count[connection.vendor]


def thumbnails_by_name(bucket) -> dict[str, Image.Image]:
    images = {}
    for name in Thumbnail.objects.values_list("name", flat=True):
        body = bucket.client.get_object(Bucket=bucket.name, Key=name)["Body"]
        images[name] = Image.open(io.BytesIO(body.read())).convert("RGB")
    return images


def test_fixed_thumbnails_match_stocks_in_size_crop_and_pixels(
    db, bucket, tmp_path, settings
):
    """Same names and sizes; mean absolute difference under 3 of 255 each."""
    directory = tmp_path / "photos"
    directory.mkdir()
    make_photo(7, 2048, 1536).save(directory / "large.jpg", "JPEG", quality=90)
    call_command("load_photos", str(directory), verbosity=0)
    settings.THUMBNAIL_FIX = False
    list(generate_photo_aliases(all_photos()))
    stock = thumbnails_by_name(bucket)
    delete_all_thumbnails()
    settings.THUMBNAIL_FIX = True
    list(generate_photo_aliases(all_photos()))
    fixed = thumbnails_by_name(bucket)

    assert sorted(fixed) == sorted(stock)
    assert len(stock) == ALIASES_COUNT
    for name, image in fixed.items():
        assert image.size == stock[name].size, name
        difference = ImageStat.Stat(ImageChops.difference(image, stock[name])).mean
        assert sum(difference) / 3 < 3, name


# The fix: one GET per photo, one PUT per thumbnail. Stock takes no lock:
# pages that look at the same moment all make what they find missing, each
# with a GET of the original, a DELETE and a PUT, and their number varies
# from run to run (about 200 GETs seen for 27 thumbnails).
FIX_SIMULTANEOUS_REQUESTS = {"GET": 3, "PUT": 3 * ALIASES_COUNT}
PAGES = 8


@pytest.mark.parametrize("site_env", ["stock", "fix"], indirect=True)
def test_simultaneous_cold_requests_make_each_thumbnail_once_with_the_fix(
    site_env, site_server, bucket, photo_dir
):
    """Eight cold pages at once: with the fix, one GET per photo and one PUT
    per thumbnail; stock makes thumbnails over again. Either way every page
    is a 200 and each thumbnail is one object."""
    _, err, code = run_manage("load_photos", str(photo_dir), env=site_env)
    assert code == 0, err
    bucket.reset_request_counts()
    start = threading.Barrier(PAGES)
    statuses = []

    def get():
        start.wait()
        with urllib.request.urlopen(f"{site_server}/", timeout=120) as response:
            statuses.append(response.status)

    threads = [threading.Thread(target=get) for _ in range(PAGES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [200] * PAGES
    requests = requests_made(bucket)
    assert len(bucket.object_keys()) == 3 + 3 * ALIASES_COUNT
    if site_env["THUMBNAIL_FIX"] == "1":
        assert requests == FIX_SIMULTANEOUS_REQUESTS
    else:
        # More than one make of a thumbnail, at most one per page.
        assert 3 * ALIASES_COUNT < requests["GET"] <= PAGES * 3 * ALIASES_COUNT
        assert requests["DELETE"] > 3 * ALIASES_COUNT
