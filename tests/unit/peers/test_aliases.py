"""Each peer makes each of the site's aliases at the size easy-thumbnails makes it."""

import pytest
from django.conf import settings
from easy_thumbnails.processors import scale_and_crop
from imagekit.processors import ProcessorPipeline
from PIL import Image
from sorl.thumbnail.base import ThumbnailBackend
from sorl.thumbnail.parsers import parse_geometry

from peers import django_imagekit, sorl_thumbnail

ALIASES = settings.THUMBNAIL_ALIASES[""]
# A landscape and a portrait of a camera's shape, a square, and one smaller
# than most aliases (nothing is enlarged).
SOURCE_SIZES = [(1632, 1224), (1224, 1632), (1000, 1000), (100, 60)]


def easy_thumbnails_size(size, alias) -> tuple[int, int]:
    return scale_and_crop(Image.new("RGB", size), **alias).size


def sorl_size(size, alias) -> tuple[int, int]:
    geometry, options = sorl_thumbnail.geometry_and_options(alias)
    options = {**ThumbnailBackend.default_options, **options}
    image = Image.new("RGB", size)
    engine = sorl_thumbnail.Engine()
    geometry = parse_geometry(geometry, engine.get_image_ratio(image, options))
    return engine.create(image, geometry, options).size


def imagekit_size(size, alias) -> tuple[int, int]:
    pipeline = ProcessorPipeline(django_imagekit.processors(alias))
    return pipeline.process(Image.new("RGB", size)).size


@pytest.mark.parametrize("size", SOURCE_SIZES)
@pytest.mark.parametrize("name", list(ALIASES))
def test_sorl_makes_each_alias_at_easy_thumbnails_size(name, size):
    assert sorl_size(size, ALIASES[name]) == easy_thumbnails_size(size, ALIASES[name])


@pytest.mark.parametrize("size", SOURCE_SIZES)
@pytest.mark.parametrize("name", list(ALIASES))
def test_imagekit_makes_each_alias_at_easy_thumbnails_size(name, size):
    assert imagekit_size(size, ALIASES[name]) == easy_thumbnails_size(
        size, ALIASES[name]
    )


def test_quality_and_upscale_are_the_aliases():
    for alias in ALIASES.values():
        _, options = sorl_thumbnail.geometry_and_options(alias)
        assert options["quality"] == alias["quality"]
        assert options["upscale"] is False
        spec = django_imagekit.spec("any", alias)
        assert spec.options["quality"] == alias["quality"]
        assert spec.format == "JPEG"
        assert all(p.upscale is False for p in spec.processors)
