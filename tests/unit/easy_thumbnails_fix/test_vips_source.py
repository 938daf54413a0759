"""With vips_decode, libvips decodes and resizes a JPEG as Pillow's draft
decode and stock's resize would, and leaves every other image to Pillow."""

import io

import pytest
from django.conf import settings
from easy_thumbnails import processors, utils
from easy_thumbnails.options import ThumbnailOptions
from easy_thumbnails_fix import DEFAULT_PARTS
from easy_thumbnails_fix.source_image import decode, scale_and_crop
from PIL import Image, ImageChops, ImageStat

from tests.odd_images import (
    detailed_photo,
    encoded,
    mpo,
    orientation_exif,
    orientation_xmp,
)

ALIASES = [
    ThumbnailOptions(dict(options))
    for options in settings.THUMBNAIL_ALIASES[""].values()
]
WITH_VIPS = [*DEFAULT_PARTS, "vips_decode"]


@pytest.fixture(autouse=True)
def vips_on(settings):
    settings.THUMBNAIL_FIX = WITH_VIPS


@pytest.fixture(scope="module")
def photo() -> Image.Image:
    return detailed_photo(7, 1203, 901)


def mean_abs_diff(one: Image.Image, other: Image.Image) -> float:
    return max(ImageStat.Stat(ImageChops.difference(one, other)).mean)


def stock_thumbnail(data: bytes, options) -> Image.Image:
    image = utils.exif_orientation(Image.open(io.BytesIO(data)))
    return processors.scale_and_crop(image, **options)


@pytest.mark.parametrize("orientation", [None, 1, 2, 3, 4, 5, 6, 7, 8])
def test_a_jpeg_is_decoded_by_libvips_and_oriented_as_stock_orients_it(
    photo, orientation
):
    data = encoded(photo, "JPEG", quality=90, exif=orientation_exif(orientation))

    decoded = decode(data, ALIASES, exif_orientation=True)
    stock = utils.exif_orientation(Image.open(io.BytesIO(data)))

    assert decoded.vips is not None
    assert decoded.draft_scale == 1
    assert decoded.full_size == decoded.image.size == stock.size
    assert mean_abs_diff(decoded.image, stock) < 0.5


@pytest.mark.parametrize("orientation", [1, 6, 7])
@pytest.mark.parametrize("options", ALIASES, ids=list(settings.THUMBNAIL_ALIASES[""]))
def test_every_alias_is_stocks_size_and_within_3_of_255(photo, orientation, options):
    data = encoded(photo, "JPEG", quality=90, exif=orientation_exif(orientation))
    decoded = decode(data, ALIASES, exif_orientation=True)

    thumbnail = scale_and_crop(decoded, decoded.image, **options)
    stock = stock_thumbnail(data, options)

    assert thumbnail.size == stock.size
    assert mean_abs_diff(thumbnail, stock) < 3


def test_a_large_jpeg_is_shrunk_on_load_as_pillow_drafts_it():
    """5760x4320: three times large_photo at half size, as draft_geometry
    chooses for Pillow."""
    data = encoded(Image.new("RGB", (5760, 4320), "teal"), "JPEG", quality=90)

    decoded = decode(data, ALIASES, exif_orientation=True)

    assert decoded.vips is not None
    assert decoded.draft_scale == 2
    assert decoded.image.size == (2880, 2160)


def test_an_orientation_in_xmp_only_is_not_read(photo):
    """Stock reads EXIF only; libvips would read XMP too if asked to turn."""
    data = encoded(photo, "JPEG", quality=90, xmp=orientation_xmp(6))

    decoded = decode(data, ALIASES, exif_orientation=True)

    assert decoded.vips is not None
    assert decoded.image.size == photo.size


def test_a_phone_mpo_is_decoded_by_libvips_from_its_first_image(photo):
    decoded = decode(mpo(photo, 6), ALIASES, exif_orientation=True)

    assert decoded.vips is not None
    assert decoded.is_animated is False
    assert decoded.image.size == photo.size[::-1]


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(lambda p: encoded(p.convert("CMYK"), "JPEG"), id="CMYK JPEG"),
        pytest.param(lambda p: encoded(p, "PNG", compress_level=1), id="PNG"),
        pytest.param(lambda p: encoded(p, "JPEG")[:20000], id="truncated JPEG"),
    ],
)
def test_what_libvips_does_not_read_as_stock_is_left_to_pillow(photo, data):
    decoded = decode(data(photo), ALIASES, exif_orientation=True)

    assert decoded.vips is None
    assert decoded.image.size == photo.size


def test_without_vips_decode_pillow_decodes(photo, settings):
    settings.THUMBNAIL_FIX = True

    decoded = decode(encoded(photo, "JPEG"), ALIASES, exif_orientation=True)

    assert decoded.vips is None
