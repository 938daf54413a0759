"""The aliases' geometry as easy-thumbnails makes it, which every floor keeps.

A floor is a plain script, no Django, no easy-thumbnails, no S3: each
original is read from local disk once and decoded once, at the size the
largest alias needs; each alias is resized from it, cropped as
easy-thumbnails crops, and written to memory as the JPEG easy-thumbnails
writes (the alias's quality, optimized, progressive from 100 pixels).
Each library's floor (floors.pillow, floors.vips) gives
make_thumbnails(path, aliases); floors.timing times it.
"""

# easy-thumbnails' defaults: THUMBNAIL_QUALITY and THUMBNAIL_PROGRESSIVE.
DEFAULT_QUALITY = 85
PROGRESSIVE_FROM_PIXELS = 100


def resized_size(size: tuple[int, int], alias: dict) -> tuple[int, int]:
    """The size easy-thumbnails scales to: inside the box, or covering it when
    the alias crops (crop=True or "scale"); never larger than the original."""
    width, height = size
    target_x, target_y = alias["size"]
    fit = min if not alias.get("crop") else max
    scale = fit(target_x / width, target_y / height)
    if scale >= 1.0:
        return size
    return round(width * scale), round(height * scale)


def largest_size(size: tuple[int, int], aliases: list[dict]) -> tuple[int, int]:
    """The resized size of the largest alias: what one decode must give."""
    return max((resized_size(size, alias) for alias in aliases), key=sum)


def crop_box(size: tuple[int, int], alias: dict) -> tuple[int, int, int, int] | None:
    """(left, top, width, height) of easy-thumbnails' centred crop of a resized
    image, or None when the alias does not crop."""
    if alias.get("crop") is not True:
        return None
    width, height = size
    target_x, target_y = min(alias["size"][0], width), min(alias["size"][1], height)
    return (width - target_x) // 2, (height - target_y) // 2, target_x, target_y


def quality(alias: dict) -> int:
    return alias.get("quality", DEFAULT_QUALITY)


def progressive(size: tuple[int, int]) -> bool:
    return max(size) >= PROGRESSIVE_FROM_PIXELS
