"""load_photos given what users give it: each bad file named with its reason,
the good ones loaded, nothing half-stored, and a re-run that adds only what is
missing."""

import io
import os
import re
import signal
import unicodedata
from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from easy_thumbnails.models import Source

from photos.models import Photo
from tests import odd_images
from tests.conftest import image_size, run_manage, small_photo_bytes


def load(*directories):
    """Run load_photos in this process; return (stdout, stderr, returncode)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("load_photos", *map(str, directories), stdout=out, stderr=err)
        returncode = 0
    except CommandError as error:
        err.write(f"CommandError: {error}\n")
        returncode = error.returncode
    return out.getvalue(), err.getvalue(), returncode


def assert_rows_match_objects(bucket):
    """No Photo row without its object, no original without its row."""
    assert bucket.object_keys("photos/") == sorted(
        name for name in Photo.objects.values_list("photo", flat=True)
    )
    assert sorted(Source.objects.values_list("name", flat=True)) == bucket.object_keys(
        "photos/"
    )


def make_unreadable(path):
    path.write_bytes(small_photo_bytes(9))
    if os.geteuid() == 0:
        # Permissions do not stop root; a link to itself cannot be opened by anyone.
        path.unlink()
        path.symlink_to(path.name)
        return "Too many levels of symbolic links"
    path.chmod(0)
    return "Permission denied"


def make_sparse_100_gb(path):
    """A 100 GB file that takes no disk space: a hole, read as zeros."""
    with path.open("wb") as file:
        file.truncate(100 * 2**30)


BAD_FILES = {
    "empty": (
        "empty.jpg",
        lambda path: path.write_bytes(b""),
        "the file is empty (0 bytes)",
    ),
    "truncated JPEG": (
        "truncated.jpg",
        lambda path: path.write_bytes(odd_images.truncated_jpeg()),
        "it is truncated or corrupt (image file is truncated",
    ),
    "text named .jpg": (
        "notes.jpg",
        lambda path: path.write_text("Shopping list: milk, eggs\n"),
        "it is not a JPEG, PNG, GIF or WebP image",
    ),
    "decompression bomb": (
        "bomb.png",
        lambda path: path.write_bytes(odd_images.png_header_only(100_000, 100_000)),
        "it has more than twice the limit of 52.0 megapixels (PHOTO_MAX_PIXELS): "
        "refused as a possible decompression bomb",
    ),
    "over the pixel limit": (
        "huge.png",
        lambda path: path.write_bytes(odd_images.png_header_only(10_000, 10_000)),
        "it is 10000x10000 pixels (100.0 megapixels), over the limit of "
        "52.0 megapixels (PHOTO_MAX_PIXELS)",
    ),
    "folder named like an image": (
        "album.jpg",
        lambda path: path.mkdir(),
        "it is a folder, not a photo file",
    ),
    "unreadable": ("locked.jpg", make_unreadable, None),
    # Read before it is checked, each of these would hang the run or fill
    # the memory: the time limit below fails the test instead.
    "FIFO": (
        "pipe.jpg",
        os.mkfifo,
        "it is a named pipe (FIFO), not a photo file",
    ),
    "link to /dev/zero": (
        "zero.jpg",
        lambda path: path.symlink_to("/dev/zero"),
        "it is a character device, not a photo file",
    ),
    "over PHOTO_MAX_BYTES, sparse": (
        "huge.jpg",
        make_sparse_100_gb,
        "the file is 102400.0 MB, over the limit of 50.0 MB (PHOTO_MAX_BYTES)",
    ),
}


@contextmanager
def time_limit(seconds):
    """Raise TimeoutError in this thread if the block runs longer than seconds."""

    def expire(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_is_named_with_its_reason_and_the_good_one_loads(
    case, db, bucket, tmp_path
):
    name, make, reason = BAD_FILES[case]
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "good.jpg").write_bytes(small_photo_bytes(1))
    made = make(folder / name)
    reason = reason or f"it cannot be read ({made})"

    with time_limit(30):
        out, err, returncode = load(folder)

    failed, summary = err.splitlines()
    assert re.fullmatch(
        rf"\[[12]/2\] {re.escape(name)}: failed, {re.escape(reason)}.*", failed
    )
    assert re.fullmatch(
        r"CommandError: 1 loaded, 0 already loaded, 1 failed, in \d+\.\d s\.", summary
    )
    assert returncode == 1
    assert re.search(r"\[[12]/2\] good\.jpg: loaded, photos/good-", out)
    assert list(Photo.objects.values_list("original_name", flat=True)) == ["good.jpg"]
    assert_rows_match_objects(bucket)


def test_a_folder_that_does_not_exist_is_named(db, bucket, tmp_path):
    out, err, returncode = load(tmp_path / "nowhere")

    assert err == f"CommandError: {tmp_path / 'nowhere'} does not exist.\n"
    assert returncode == 1
    assert bucket.object_keys() == []


def test_a_run_with_failures_exits_non_zero_and_a_rerun_loads_only_what_is_missing(
    bucket, tmp_path
):
    folder = tmp_path / "photos"
    folder.mkdir()
    for seed in (1, 2):
        (folder / f"good-{seed}.jpg").write_bytes(small_photo_bytes(seed))
    (folder / "broken.jpg").write_bytes(odd_images.truncated_jpeg())
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    assert run_manage("migrate", "--verbosity", "0", env=env)[2] == 0

    out, err, returncode = run_manage("load_photos", str(folder), env=env)

    assert returncode == 1
    assert err.startswith("[1/3] broken.jpg: failed, it is truncated or corrupt")
    assert "CommandError: 2 loaded, 0 already loaded, 1 failed" in err
    assert len(bucket.object_keys()) == 2

    (folder / "broken.jpg").write_bytes(small_photo_bytes(3))
    out, err, returncode = run_manage("load_photos", str(folder), env=env)

    assert (returncode, err) == (0, "")
    assert "[1/3] broken.jpg: loaded, photos/broken-" in out
    assert "1 loaded, 2 already loaded, 0 failed" in out
    assert len(bucket.object_keys()) == 3


def test_two_files_of_the_same_name_in_one_run_are_two_photos(db, bucket, tmp_path):
    for folder, seed in (("a", 1), ("b", 2), ("c", 1)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "IMG_0001.jpg").write_bytes(small_photo_bytes(seed))

    out, err, returncode = load(tmp_path / "a", tmp_path / "b", tmp_path / "c")

    assert (returncode, err) == (0, "")
    assert f"[1/3] {tmp_path / 'a' / 'IMG_0001.jpg'}: loaded" in out
    assert f"[2/3] {tmp_path / 'b' / 'IMG_0001.jpg'}: loaded" in out
    # The same bytes under the same name: the same photo.
    first = Photo.objects.order_by("pk").first()
    assert (
        f"[3/3] {tmp_path / 'c' / 'IMG_0001.jpg'}: skipped, already loaded as #{first.pk}"
        in out
    )
    assert Photo.objects.count() == 2
    assert_rows_match_objects(bucket)


def test_long_names_alike_at_the_start_keep_their_own_objects(db, bucket, tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    prefix = "Summer holiday in the mountains with the whole family, " * 3
    for seed, ending in ((1, "day one"), (2, "day two")):
        (folder / f"{prefix}{ending}.jpg").write_bytes(small_photo_bytes(seed))

    out, err, returncode = load(folder)

    assert (returncode, err) == (0, "")
    photos = list(Photo.objects.order_by("original_name"))
    assert len({photo.photo.name for photo in photos}) == 2
    for photo in photos:
        assert len(photo.photo.name) <= 100
        stored = bucket.client.get_object(Bucket=bucket.name, Key=photo.photo.name)
        assert stored["Body"].read() == (folder / photo.original_name).read_bytes()
    assert_rows_match_objects(bucket)


def test_a_name_not_in_utf8_loads_under_a_readable_name(db, bucket, tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / os.fsdecode(b"caf\xe9 terrace.jpg")).write_bytes(small_photo_bytes(4))

    out, err, returncode = load(folder)

    assert (returncode, err) == (0, "")
    photo = Photo.objects.get()
    assert photo.original_name == "caf\N{REPLACEMENT CHARACTER} terrace.jpg"
    assert photo.photo.name.startswith("photos/caf_terrace-")
    assert_rows_match_objects(bucket)


# Images Pillow opens that stock easy-thumbnails would get wrong or fail on;
# each is checked on one alias's stored thumbnail.
ODD_IMAGES = {
    "CMYK JPEG": ("cmyk.jpg", odd_images.cmyk_jpeg, "RGB", (210, 158), (254, 0, 0)),
    "16-bit PNG": ("grey16.png", odd_images.sixteen_bit_png, "L", (210, 158), 156),
    "animated GIF": (
        "moving.gif",
        odd_images.animated_gif,
        "RGB",
        (210, 158),
        (254, 0, 0),
    ),
    "EXIF rotation": (
        "turned.jpg",
        odd_images.exif_rotated_jpeg,
        "RGB",
        (210, 280),
        None,
    ),
    "spaces and non-ASCII": (
        "Été à la plage 01.jpg",
        lambda: small_photo_bytes(5),
        "RGB",
        (210, 158),
        None,
    ),
}


@pytest.mark.parametrize("case", list(ODD_IMAGES))
def test_an_image_pillow_opens_loads_and_thumbnails_correctly(
    case, db, bucket, tmp_path
):
    name, make, mode, size, pixel = ODD_IMAGES[case]
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / name).write_bytes(make())

    out, err, returncode = load(folder)
    call_command("generate_all_thumbnail_aliases", stdout=io.StringIO())

    assert (returncode, err) == (0, "")
    photo = Photo.objects.get()
    assert photo.original_name == name
    thumbnail = photo.photo["article_photo_thumbnail"]
    data = bucket.client.get_object(Bucket=bucket.name, Key=thumbnail.name)[
        "Body"
    ].read()
    from PIL import Image

    image = Image.open(io.BytesIO(data))
    assert (image.format, image.mode, image.size) == ("JPEG", mode, size)
    if pixel is not None:
        assert image.getpixel((5, 5)) == pixel
    assert image_size(data) == size
    # Every alias is stored, under a name S3 and a browser agree on.
    assert len(bucket.object_keys("photos/")) == 1 + 9
    assert unicodedata.is_normalized("NFC", photo.photo.name)
