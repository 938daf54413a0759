"""The site's aliases made by sorl-thumbnail (its cached_db key-value store).

An alias is one `get_thumbnail(file, "WxH", ...)` call: crop=True is sorl's
crop="center"; no crop fits inside the box; upscale is off and the quality the
alias's. easy-thumbnails' crop="scale" (cover the box, crop nothing) has no
sorl option of its own, so the engine below adds it, the way sorl expects
engines to be extended (THUMBNAIL_ENGINE).
"""

from sorl.thumbnail import default, get_thumbnail
from sorl.thumbnail.conf import settings
from sorl.thumbnail.engines.pil_engine import Engine as PillowEngine

from peers import aliases
from peers.storage_tree import delete_tree

SCALE = "scale"
# easy-thumbnails' default THUMBNAIL_QUALITY, for an alias that names none.
DEFAULT_QUALITY = 85


class Engine(PillowEngine):
    """sorl's Pillow engine, plus crop="scale": cover the box, crop nothing."""

    def _calculate_scaling_factor(self, x_image, y_image, geometry, options):
        if options["crop"] == SCALE:
            return max(geometry[0] / x_image, geometry[1] / y_image)
        return super()._calculate_scaling_factor(x_image, y_image, geometry, options)

    def crop(self, image, geometry, options):
        if options["crop"] == SCALE:
            return image
        return super().crop(image, geometry, options)


def geometry_and_options(alias: dict) -> tuple[str, dict]:
    """get_thumbnail's geometry string and options for one of the site's aliases."""
    width, height = alias["size"]
    crop = alias.get("crop")
    options = {"quality": alias.get("quality", DEFAULT_QUALITY), "upscale": False}
    if crop is True:
        options["crop"] = "center"
    elif crop == SCALE:
        options["crop"] = SCALE
    return f"{width}x{height}", options


def ready() -> None:
    pass


def thumbnail_urls(field_file) -> list[tuple[str, str]]:
    """(alias, URL) of every alias, each made first if it is missing."""
    urls = []
    for name, alias in aliases().items():
        geometry, options = geometry_and_options(alias)
        urls.append((name, get_thumbnail(field_file, geometry, **options).url))
    return urls


def make_thumbnails(field_file) -> None:
    for alias in aliases().values():
        geometry, options = geometry_and_options(alias)
        get_thumbnail(field_file, geometry, **options)


def delete_thumbnails() -> int:
    """Delete every thumbnail sorl made and empty its key-value store."""
    default.kvstore.clear()
    return delete_tree(default.storage, settings.THUMBNAIL_PREFIX)
