"""The site's aliases made by django-imagekit, JustInTime or Optimistic.

An alias is one ImageSpec registered as a generator ("peers:<alias>"):
crop=True is pilkit's ResizeToFill (centred), crop="scale" its ResizeToCover,
no crop its ResizeToFit, all with upscale off; JPEG at the alias's quality,
optimized and progressive where easy-thumbnails makes them so. Photo.photo is
registered as every spec's source, so that the Optimistic strategy makes a
photo's thumbnails when the photo is saved, as imagekit's own fields do.
"""

from django.conf import settings
from imagekit import ImageSpec, register
from imagekit.cachefiles import ImageCacheFile
from imagekit.registry import generator_registry
from imagekit.specs.sourcegroups import ImageFieldSourceGroup
from imagekit.utils import get_storage
from pilkit.processors import ResizeToCover, ResizeToFill, ResizeToFit
from pilkit.processors.base import Anchor

from peers import aliases
from peers.storage_tree import delete_tree

# easy-thumbnails' defaults: THUMBNAIL_QUALITY and THUMBNAIL_PROGRESSIVE.
DEFAULT_QUALITY = 85
PROGRESSIVE_FROM_PIXELS = 100


def generator_id(alias_name: str) -> str:
    return f"peers:{alias_name}"


def processors(alias: dict) -> list:
    width, height = alias["size"]
    crop = alias.get("crop")
    if crop is True:
        return [ResizeToFill(width, height, anchor=Anchor.CENTER, upscale=False)]
    if crop == "scale":
        return [ResizeToCover(width, height, upscale=False)]
    return [ResizeToFit(width, height, upscale=False)]


def spec(alias_name: str, alias: dict) -> type[ImageSpec]:
    return type(
        f"{alias_name}_spec",
        (ImageSpec,),
        {
            "processors": processors(alias),
            "format": "JPEG",
            "options": {
                "quality": alias.get("quality", DEFAULT_QUALITY),
                "optimize": True,
                "progressive": max(alias["size"]) >= PROGRESSIVE_FROM_PIXELS,
            },
        },
    )


def ready() -> None:
    from photos.models import Photo

    for name, alias in aliases().items():
        if generator_id(name) in generator_registry.get_ids():
            continue
        register.generator(generator_id(name), spec(name, alias))
        register.source_group(generator_id(name), ImageFieldSourceGroup(Photo, "photo"))


def cache_files(field_file) -> list[tuple[str, ImageCacheFile]]:
    return [
        (
            name,
            ImageCacheFile(
                generator_registry.get(generator_id(name), source=field_file)
            ),
        )
        for name in aliases()
    ]


def thumbnail_urls(field_file) -> list[tuple[str, str]]:
    """(alias, URL) of every alias; JustInTime makes a missing one first,
    Optimistic takes it as made when the photo was saved."""
    return [(name, file.url) for name, file in cache_files(field_file)]


def make_thumbnails(field_file) -> None:
    """What imagekit's generateimages does for one photo: make what is missing."""
    for _, file in cache_files(field_file):
        file.generate()


def delete_thumbnails() -> int:
    """Delete every thumbnail imagekit made, and what its cache knows of them."""
    from photos.models import Photo

    for photo in Photo.objects.all():
        for _, file in cache_files(photo.photo):
            backend = file.cachefile_backend
            backend.cache.delete(backend.get_key(file))
    return delete_tree(get_storage(), settings.IMAGEKIT_CACHEFILE_DIR)
