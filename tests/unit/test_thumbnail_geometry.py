"""The fix decodes and reduces an original only as far as keeps stock's geometry."""

import io

import pytest
from django.conf import settings
from easy_thumbnails.options import ThumbnailOptions
from easy_thumbnails.processors import scale_and_crop
from PIL import Image

from photos.thumbnail_fix.source_image import draft_scale, resized_size

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


def jpeg_header(size):
    buffer = io.BytesIO()
    Image.new("RGB", size).save(buffer, "JPEG")
    buffer.seek(0)
    return Image.open(buffer)


def test_the_2013_aliases_let_a_3264_photo_decode_at_half_size():
    """large_photo (960x720) needs more than a quarter of 3264x2448."""
    assert draft_scale(jpeg_header((3264, 2448)), ALIASES, turned=False) == 2


def test_autocrop_keeps_the_full_decode():
    """Autocrop trims by every pixel of the original: no draft."""
    options = [*ALIASES, {"size": (100, 100), "autocrop": True}]
    assert draft_scale(jpeg_header((3264, 2448)), options, turned=False) == 1


def test_an_original_smaller_than_an_alias_keeps_the_full_decode():
    """Stock does not resize it for that alias, so neither may the draft."""
    assert draft_scale(jpeg_header((1000, 750)), ALIASES, turned=False) == 1


@pytest.mark.parametrize("size", [(90, "fish"), "1notasize2", None])
def test_a_size_scale_and_crop_cannot_read_keeps_the_full_decode(size):
    """The fix leaves a bad size to the processors to refuse, as stock does."""
    options = [*ALIASES, {"size": size}]
    assert draft_scale(jpeg_header((3264, 2448)), options, turned=False) == 1
