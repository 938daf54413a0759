"""The fix decodes an original only as small as keeps stock's geometry, and orients it as stock does."""

import io
from unittest import mock

import pytest
from django.conf import settings
from easy_thumbnails import utils
from easy_thumbnails.options import ThumbnailOptions
from easy_thumbnails.processors import colorspace, scale_and_crop
from easy_thumbnails_fix.draft_geometry import (
    ORIENTATION_TRANSPOSES,
    draft_scale,
    draft_serves,
    oriented_box,
    resized_size,
    stock_orientation,
)
from easy_thumbnails_fix.source_image import decode, is_two_level
from easy_thumbnails_fix.source_image import scale_and_crop as source_scale_and_crop
from PIL import Image, ImageChops, ImageStat

from tests.odd_images import (
    detailed_photo,
    line_art,
    mpo,
    orientation_xmp,
    stencilled,
    strokes,
    two_colour_palette,
    with_alpha,
)

ALIASES = [dict(options) for options in settings.THUMBNAIL_ALIASES[""].values()]
MORE_OPTIONS = [
    {"size": (100, 0)},
    {"size": (0, 75), "crop": True},
    {"size": (300, 200), "crop": True, "zoom": 40},
    {"size": (300, 200), "zoom": 25},
    {"size": (250, 250), "crop": "0,0"},
    {"size": (200, 150), "crop": True, "target": (10, 90)},
    {"size": (5000, 5000), "upscale": True},
    {"size": (4000, 100)},
]
SOURCE_SIZES = [(3264, 2448), (1632, 1224), (3263, 2447), (817, 613), (2448, 3264)]


@pytest.mark.parametrize("source_size", SOURCE_SIZES)
@pytest.mark.parametrize("options", ALIASES + MORE_OPTIONS)
def test_resized_size_is_what_scale_and_crop_resizes_to(source_size, options):
    """The geometry the fix predicts is the one easy-thumbnails' processor makes."""
    image = Image.new("L", source_size)
    resized, target = resized_size(source_size, ThumbnailOptions(options))

    thumbnail = scale_and_crop(image, **ThumbnailOptions(options))

    crop = options.get("crop") or options.get("zoom")
    if crop and crop != "scale":
        assert thumbnail.size == (
            min(resized[0], target[0]),
            min(resized[1], target[1]),
        )
    else:
        assert thumbnail.size == resized


def test_a_3264_photo_keeps_the_full_decode_for_the_2013_aliases():
    """large_photo (960x720) at half of 3264x2448 would keep 1.7 pixels per
    pixel; fine grain leaks through a draft that close."""
    assert draft_scale((3264, 2448), ALIASES, orientation=None) == 1


def test_a_draft_keeps_three_pixels_per_thumbnail_pixel():
    """5760x3240 at half is three times large_photo's 960x540; 5759 is not."""
    assert draft_scale((5760, 3240), ALIASES, orientation=None) == 2
    assert draft_scale((5759, 3240), ALIASES, orientation=None) == 1


def test_a_quarter_turn_swaps_the_sizes_the_draft_is_chosen_by():
    """A 4000x1000 panorama: 50x12 fits an eighth; turned upright, 50x200
    needs a quarter."""
    options = [{"size": (50, 200)}]
    assert draft_scale((4000, 1000), options, orientation=None) == 8
    assert draft_scale((4000, 1000), options, orientation=6) == 4


def test_autocrop_keeps_the_full_decode():
    """Autocrop trims by every pixel of the original: no draft."""
    options = [*ALIASES, {"size": (100, 100), "autocrop": True}]
    assert draft_scale((3264, 2448), options, orientation=None) == 1


@pytest.mark.parametrize("source_size", SOURCE_SIZES)
@pytest.mark.parametrize("options", ALIASES + MORE_OPTIONS)
def test_a_drafted_alias_is_resized_once_then_only_cropped(source_size, options):
    """Whenever a draft may serve an alias, stock's scale_and_crop given the
    image resized to its size does not resize it again, and crops it to
    stock's size."""
    options = ThumbnailOptions(options)
    extent = (0, 0, source_size[0], source_size[1])
    if not draft_serves(source_size, extent, options):
        return
    resized, _ = resized_size(source_size, options)

    with mock.patch.object(Image.Image, "resize", side_effect=AssertionError):
        thumbnail = scale_and_crop(Image.new("L", resized), **options)

    assert thumbnail.size == scale_and_crop(Image.new("L", source_size), **options).size


def test_an_original_smaller_than_an_alias_keeps_the_full_decode():
    """Stock does not resize it for that alias, so neither may the draft."""
    assert draft_scale((1000, 750), ALIASES, orientation=None) == 1


@pytest.mark.parametrize("orientation", [None, 1, 2, 3, 4, 5, 6, 7, 8])
def test_oriented_box_follows_the_image_as_stock_turns_it(orientation):
    """A region of a 9x5 image is where stock's transpositions take its pixels."""
    image = Image.new("L", (9, 5))
    box = (1, 0, 7, 4)
    image.paste(255, box)
    for transpose in ORIENTATION_TRANSPOSES.get(orientation, ()):
        image = image.transpose(transpose)

    assert oriented_box(box, (9, 5), orientation) == image.getbbox()


def jpeg(exif=None, xmp=None) -> Image.Image:
    buffer = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    Image.new("RGB", (64, 48)).save(buffer, "JPEG", xmp=xmp, **options)
    buffer.seek(0)
    return Image.open(buffer)


def test_orientation_is_read_as_stock_reads_it():
    """From EXIF; from XMP only beside an EXIF block, as Pillow's _getexif does."""
    with_exif, without = Image.Exif(), Image.Exif()
    with_exif[0x0112] = 6
    without[0x010F] = "Camera"
    xmp = orientation_xmp(6)

    cases = [jpeg(exif=with_exif), jpeg(xmp=xmp), jpeg(exif=without, xmp=xmp), jpeg()]

    assert [stock_orientation(image) for image in cases] == [6, None, 6, None]
    # easy-thumbnails turns exactly the images read as turned.
    assert [utils.exif_orientation(image).size for image in cases] == [
        (48, 64),
        (64, 48),
        (48, 64),
        (64, 48),
    ]


@pytest.mark.parametrize("size", [(90, "fish"), "1notasize2", None])
def test_a_size_scale_and_crop_cannot_read_keeps_the_full_decode(size):
    """The fix leaves a bad size to the processors to refuse, as stock does."""
    options = [*ALIASES, {"size": size}]
    assert draft_scale((3264, 2448), options, orientation=None) == 1


def test_a_phone_mpo_decodes_its_first_image_in_draft_once_for_every_alias():
    """Pillow opens a phone's MPO as format MPO; its first image drafts as a
    JPEG's, and is not taken for an animation (which would decode per alias)."""
    data = mpo(Image.new("RGB", (6000, 4500), "teal"), orientation=6)

    decoded = decode(data, ALIASES, exif_orientation=True)

    assert decoded.draft_scale == 2
    assert decoded.is_animated is False
    assert decoded.full_size == (4500, 6000)
    assert decoded.image.size == (2250, 3000)
    assert all(decoded.keeps_geometry(options) for options in ALIASES)


def test_the_largest_thumbnail_is_stocks_and_the_smaller_ones_are_made_from_it():
    """A full decode: large_photo resized as stock resizes it, pixel for
    pixel; admin_thumbnail resized from that, within 1 of 255 of stock's."""
    photo = detailed_photo(4, 3000, 2000)
    data = io.BytesIO()
    photo.save(data, "PNG", compress_level=1)
    large = ThumbnailOptions({"size": (960, 720)})
    small = ThumbnailOptions({"size": (120, 80), "crop": "scale"})
    decoded = decode(data.getvalue(), [small, large], exif_orientation=True)

    made_small = source_scale_and_crop(decoded, decoded.image, **small)
    made_large = source_scale_and_crop(decoded, decoded.image, **large)

    assert decoded.largest_size == (960, 640)
    assert (
        ImageChops.difference(made_large, scale_and_crop(photo, **large)).getbbox()
        is None
    )
    stock_small = scale_and_crop(photo, **small)
    assert made_small.size == stock_small.size
    assert max(ImageStat.Stat(ImageChops.difference(made_small, stock_small)).mean) < 1


def png(image: Image.Image, **options) -> bytes:
    data = io.BytesIO()
    image.save(data, "PNG", compress_level=1, **options)
    return data.getvalue()


TWO_LEVEL_PNGS = {
    "1-bit pen strokes": lambda: png(strokes(7, 640, 480)),
    "1-bit pen strokes, white transparent": lambda: png(
        strokes(7, 640, 480), transparency=1
    ),
    "line art in grey": lambda: png(line_art(7, 640, 480).convert("L")),
    "line art in two colours, one transparent": lambda: png(
        two_colour_palette(line_art(7, 640, 480))
    ),
    "a photo cut out by a stencil": lambda: png(
        stencilled(detailed_photo(7, 640, 480))
    ),
}


@pytest.mark.parametrize("picture", list(TWO_LEVEL_PNGS))
def test_a_picture_of_two_levels_is_resized_as_stock_resizes_it(picture):
    """Every alias from the decode, by stock's own resize, pixel for pixel:
    neither from the largest thumbnail nor from a reduction, which ring
    differently where every edge is a full step (5.5 of 255 from stock's,
    once saved, on the stencilled photo's 50x50)."""
    data = TWO_LEVEL_PNGS[picture]()
    options = [ThumbnailOptions(alias) for alias in ALIASES]
    decoded = decode(data, options, exif_orientation=True)

    for alias in options:
        made = source_scale_and_crop(
            decoded, colorspace(decoded.image_for(alias), **alias), **alias
        )
        stock = scale_and_crop(
            colorspace(Image.open(io.BytesIO(data)), **alias), **alias
        )
        assert made.mode == stock.mode
        assert ImageChops.difference(made, stock).getbbox() is None, alias

    assert decoded._largest is None


@pytest.mark.parametrize(
    "photo",
    [detailed_photo(7, 640, 480), detailed_photo(7, 640, 480).convert("L")],
    ids=["RGB", "L"],
)
def test_a_photo_keeps_its_small_thumbnails_made_from_the_largest(photo):
    data = png(photo)
    small = ThumbnailOptions({"size": (50, 50), "crop": "scale"})
    large = ThumbnailOptions({"size": (480, 360)})
    decoded = decode(data, [small, large], exif_orientation=True)

    source_scale_and_crop(decoded, colorspace(decoded.image, **small), **small)

    assert decoded._largest is not None


def test_two_levels_are_two_colours_or_an_alpha_of_two():
    """In whatever mode the processors give; one colour, a photo, smooth
    strokes or an alpha that fades are not."""
    photo = detailed_photo(7, 64, 48)
    two_level = [
        strokes(7, 64, 48).convert("RGB"),
        line_art(7, 64, 48).convert("L"),
        two_colour_palette(strokes(7, 64, 48)).convert("RGBA"),
        stencilled(photo),
        stencilled(photo).convert("LA"),
    ]
    not_two_level = [
        Image.new("L", (64, 48), 128),
        photo,
        photo.convert("L"),
        photo.convert("RGBA"),  # opaque: one level of alpha
        with_alpha(photo),
        # Strokes smoothed: grey at every edge.
        strokes(7, 128, 96).convert("L").resize((64, 48), Image.Resampling.LANCZOS),
    ]

    assert [is_two_level(image) for image in two_level] == [True] * len(two_level)
    assert [is_two_level(image) for image in not_two_level] == [False] * len(
        not_two_level
    )
