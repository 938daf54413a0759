"""Each part of THUMBNAIL_FIX keeps its promise alone, and with all the others.

The reproduction's --causes switches the parts one at a time; these tests
hold each part, alone and among all of them, to what easy_thumbnails_fix.PARTS
says it removes. Stock's figures are given beside each, as the cost removed.
"""

import threading
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from easy_thumbnails.alias import aliases
from easy_thumbnails.files import generate_all_aliases, get_thumbnailer
from easy_thumbnails.models import Thumbnail
from easy_thumbnails_fix import PARTS, source_image, thumbnail_page
from easy_thumbnails_fix.batch import thumbnail_batch
from easy_thumbnails_fix.field_file import ThumbnailFix

from measurement.studies.compare.quality import compare_thumbnails
from measurement.studies.compare.thumbnails import generate_all, made_thumbnails
from photos.generation import all_photos, generate_photo_aliases
from photos.models import Photo
from photos.thumbnail_deletion import delete_all_thumbnails
from tests.conftest import load_small_photos, run_manage, small_photo_bytes
from tests.odd_images import detailed_photo

ALIASES_COUNT = len(settings.THUMBNAIL_ALIASES[""])
ALIAS_NAMES = list(aliases.all())


def alone_and_with_all(part: str):
    """Parametrize a test over THUMBNAIL_FIX = (part,) and THUMBNAIL_FIX = True."""
    assert part in PARTS
    return pytest.mark.parametrize(
        "fix", [(part,), True], ids=[f"{part} alone", "all parts"]
    )


def generate(settings, fix) -> None:
    settings.THUMBNAIL_FIX = fix
    results = list(generate_photo_aliases(all_photos()))
    assert [result.error for result in results] == [None] * len(results)


def requests_made(bucket) -> dict:
    return {op: count for op, count in bucket.request_counts().items() if count}


@alone_and_with_all("read_once")
def test_read_once_gets_each_original_once_without_a_head(
    fix, db, bucket, tmp_path, settings
):
    """Stock: a HEAD and a GET of the original per alias."""
    load_small_photos(tmp_path / "photos", 2)
    bucket.reset_request_counts()

    generate(settings, fix)

    made = requests_made(bucket)
    assert (made.get("GET"), made.get("HEAD")) == (2, None)


@alone_and_with_all("draft_decode")
def test_draft_decode_makes_stocks_thumbnails_from_a_draft(
    fix, db, bucket, tmp_path, settings
):
    """A 5760x4320 photo (three times large_photo at half size) is decoded
    at half size or less, and every thumbnail has stock's name and size and is
    within 3 of 255 of stock's."""
    directory = tmp_path / "photos"
    directory.mkdir()
    detailed_photo(3, 5760, 4320).save(directory / "camera.jpg", quality=90)
    call_command("load_photos", str(directory), verbosity=0)
    stock_errors = generate_all(fix=False)
    stock = made_thumbnails(all_photos())
    delete_all_thumbnails()

    draft_scales = []

    def recording_decode(*args):
        decoded = source_image.decode(*args)
        draft_scales.append(decoded.draft_scale)
        return decoded

    with mock.patch("easy_thumbnails_fix.field_file.decode", recording_decode):
        fixed_errors = generate_all(fix=fix)

    # Alone, each alias decodes its own draft, as small as it allows.
    assert min(draft_scales) == 2
    assert max(draft_scales) == (2 if fix is True else 8)
    rows = compare_thumbnails(
        stock, made_thumbnails(all_photos()), stock_errors, fixed_errors
    )
    assert len(rows) == ALIASES_COUNT
    assert [row["differs"] for row in rows] == [None] * ALIASES_COUNT


@alone_and_with_all("row_cache")
def test_row_cache_reads_and_writes_a_photos_rows_in_four_queries(
    fix, db, bucket, tmp_path, settings, django_assert_num_queries
):
    """Its Source row, its Thumbnail rows, one INSERT of the new ones and one
    of their sizes. Stock: a read and a write of a row per alias, about 55
    queries."""
    load_small_photos(tmp_path / "photos", 1)
    settings.THUMBNAIL_FIX = fix
    photo = Photo.objects.get()

    with django_assert_num_queries(4), thumbnail_batch():
        generate_all_aliases(photo.photo, include_global=True)


@alone_and_with_all("no_delete")
def test_no_delete_puts_each_thumbnail_without_deleting_first(
    fix, db, bucket, tmp_path, settings
):
    """Stock: a DELETE before every PUT."""
    load_small_photos(tmp_path / "photos", 2)
    bucket.reset_request_counts()

    generate(settings, fix)

    made = requests_made(bucket)
    assert (made.get("PUT"), made.get("DELETE")) == (2 * ALIASES_COUNT, None)


@alone_and_with_all("upload_beside")
def test_upload_beside_stores_thumbnails_off_the_thread_that_makes_them(
    fix, db, bucket, tmp_path, settings
):
    """Each thumbnail is stored by an upload thread while the next is made,
    and recorded once stored. Stock: each PUT waited for in turn."""
    load_small_photos(tmp_path / "photos", 2)
    bucket.reset_request_counts()
    storing_threads = []
    store = ThumbnailFix.store

    def recording_store(self, thumbnail):
        storing_threads.append(threading.current_thread().name)
        return store(self, thumbnail)

    with mock.patch.object(ThumbnailFix, "store", recording_store):
        generate(settings, fix)

    assert len(storing_threads) == 2 * ALIASES_COUNT
    assert all(name.startswith("thumbnail-upload") for name in storing_threads)
    assert requests_made(bucket)["PUT"] == 2 * ALIASES_COUNT


def show_page(settings, fix, aliases_of, events=None) -> None:
    """Render a page of the photos in pk order inside thumbnail_page, photo
    n showing the aliases aliases_of(n), in order; each URL given is noted
    in events as ("shown", name)."""
    settings.THUMBNAIL_FIX = fix
    with thumbnail_page(Photo.objects.order_by("pk"), "photo") as photos:
        for n, photo in enumerate(photos):
            for alias in aliases_of(n):
                thumbnail = get_thumbnailer(photo.photo)[alias]
                assert thumbnail.url
                if events is not None:
                    events.append(("shown", thumbnail.name))


def test_upload_beside_draws_a_page_photo_ahead_and_gives_each_url_once_stored(
    db, bucket, tmp_path, settings
):
    """A photo shown like the one before it: at its first thumbnail, the
    others the one before made are drawn and their uploads sent, so that
    their PUTs run while the page asks for them; each URL is still given
    only once its thumbnail is stored. The first photo, with none before it
    to follow, has each thumbnail drawn when asked for."""
    load_small_photos(tmp_path / "photos", 3)
    bucket.reset_request_counts()
    events = []
    save, store = ThumbnailFix.save_thumbnail, ThumbnailFix.store

    def noting_save(self, thumbnail):
        events.append(("saved", thumbnail.name))
        return save(self, thumbnail)

    def noting_store(self, thumbnail):
        store(self, thumbnail)
        events.append(("stored", thumbnail.name))

    with (
        mock.patch.object(ThumbnailFix, "save_thumbnail", noting_save),
        mock.patch.object(ThumbnailFix, "store", noting_store),
    ):
        show_page(settings, True, lambda n: ALIAS_NAMES, events)

    shown = [name for event, name in events if event == "shown"]
    assert len(shown) == len(set(shown)) == 3 * ALIASES_COUNT
    for name in shown:
        assert events.index(("stored", name)) < events.index(("shown", name))
    first, *others = [
        shown[n : n + ALIASES_COUNT] for n in range(0, len(shown), ALIASES_COUNT)
    ]
    for before, name in zip(first, first[1:], strict=False):
        assert events.index(("shown", before)) < events.index(("saved", name))
    for names in others:
        first_shown = events.index(("shown", names[0]))
        assert all(events.index(("saved", name)) < first_shown for name in names)
    assert requests_made(bucket)["PUT"] == 3 * ALIASES_COUNT


@pytest.mark.parametrize("fix", [False, True], ids=["stock", "fix"])
def test_a_page_showing_each_photo_unlike_the_one_before_makes_only_what_it_shows(
    fix, db, bucket, tmp_path, settings
):
    load_small_photos(tmp_path / "photos", 3)
    bucket.reset_request_counts()

    show_page(settings, fix, lambda n: [ALIAS_NAMES[n % 2]])

    assert requests_made(bucket)["PUT"] == 3


@pytest.mark.parametrize(
    ("fix", "put_count"),
    # The fix: the second photo gets every alias the first made, its eight
    # not shown stored and recorded all the same; the third follows the
    # second, and gets its one.
    [(False, ALIASES_COUNT + 2), (True, 2 * ALIASES_COUNT + 1)],
    ids=["stock", "fix"],
)
def test_a_page_showing_fewer_thumbnails_of_a_photo_than_of_the_one_before(
    fix, put_count, db, bucket, tmp_path, settings
):
    load_small_photos(tmp_path / "photos", 3)
    bucket.reset_request_counts()

    show_page(settings, fix, lambda n: ALIAS_NAMES if n == 0 else ALIAS_NAMES[:1])

    assert requests_made(bucket)["PUT"] == put_count
    rows = [
        Thumbnail.objects.filter(source__name=photo.photo.name).count()
        for photo in Photo.objects.order_by("pk")
    ]
    assert rows == [ALIASES_COUNT, ALIASES_COUNT if fix else 1, 1]


@pytest.mark.parametrize(
    ("fix", "deleted_count"),
    [("0", 0), ("storage_hash", ALIASES_COUNT), ("1", ALIASES_COUNT)],
    ids=["stock", "storage_hash alone", "all parts"],
)
def test_storage_hash_finds_the_rows_to_delete_thumbnails_by_in_a_fresh_process(
    fix, deleted_count, site_env, photo_dir
):
    """Stock's delete_thumbnails() deletes nothing in a fresh process: it
    hashes the lazy storage before it is set up."""
    for args in (["load_photos", str(photo_dir)], ["generate_all_thumbnail_aliases"]):
        _, err, code = run_manage(*args, env=site_env)
        assert code == 0, err
    delete_first = (
        "from photos.models import Photo\n"
        "print(Photo.objects.order_by('pk')[0].photo.delete_thumbnails())"
    )

    out, err, code = run_manage(
        "shell", "-c", delete_first, env={**site_env, "THUMBNAIL_FIX": fix}
    )

    assert code == 0, err
    assert int(out.split()[-1]) == deleted_count


# After making a thumbnail, free a 4 MB block (which slides an unpinned glibc
# threshold up to 4 MB), then take 64 blocks of 200 KB, more than the heap
# has free, and read each chunk header's IS_MMAPPED bit: whether glibc
# serves new memory of an image buffer's size with mmap or by growing the heap.
MMAP_PROBE = """
import ctypes
from easy_thumbnails.files import get_thumbnailer
from photos.models import Photo
get_thumbnailer(Photo.objects.get().photo)["photoset_small"]
libc = ctypes.CDLL(None)
libc.malloc.restype = ctypes.c_void_p
libc.malloc.argtypes = [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
libc.free(libc.malloc(4 * 1024 * 1024))
blocks = [libc.malloc(200 * 1024) for _ in range(64)]
mmapped = sum(ctypes.c_size_t.from_address(block - 8).value & 2 for block in blocks)
print("mmapped" if mmapped else "heap")
"""


@pytest.mark.parametrize(
    ("fix", "served_by"),
    [("0", "heap"), ("pinned_mmap", "mmapped"), ("1", "mmapped")],
    ids=["stock", "pinned_mmap alone", "all parts"],
)
def test_pinned_mmap_keeps_image_sized_buffers_out_of_the_heap(
    fix, served_by, site_env, tmp_path
):
    """Stock lets glibc's mmap threshold slide up once a large buffer is
    freed, so later image buffers come from a heap that fragments."""
    load = tmp_path / "one"
    load.mkdir()
    (load / "landscape.jpg").write_bytes(small_photo_bytes(1))
    _, err, code = run_manage("load_photos", str(load), env=site_env)
    assert code == 0, err

    out, err, code = run_manage(
        "shell", "-c", MMAP_PROBE, env={**site_env, "THUMBNAIL_FIX": fix}
    )

    assert code == 0, err
    assert out.split()[-1] == served_by
