"""Where a JPEG draft serves an alias as the full image would: pure arithmetic.

Stock's ``scale_and_crop`` resizes the full original. The fix decodes a JPEG at
1/2, 1/4 or 1/8 of its size (Pillow's draft mode) when every alias resized
from that draft gets stock's size and crop box, with enough pixels to spare
that its pixels match stock's too. This module chooses the draft, maps its
region through EXIF orientation as stock turns the image, and repeats
scale_and_crop's size arithmetic; it reads no file and decodes nothing.
"""

from PIL import Image

DRAFT_SCALES = (8, 4, 2)
# Formats Pillow decodes in draft mode: phone cameras' MPO is a JPEG whose
# primary image drafts as any JPEG does.
DRAFT_FORMATS = ("JPEG", "MPO")
# A draft keeps at least this many pixels per pixel of every alias it is
# resized to: Pillow's own reducing_gap, so a draft is one more integer
# reduction held to the rule Pillow holds its reductions to. Libjpeg's scaled
# decode lets fine detail leak into what it keeps; below this the leak shows:
# a 3264x2448 photo of strong grain drafted at half for large_photo (1.7
# pixels per pixel) came out 3.8 of 255 from stock, 2.9 at 2, and pure noise
# still 3.5 at 2.5 and 2.6 at 3.
DRAFT_GAP = 3.0
# EXIF orientations that turn the image a quarter: width and height swap.
QUARTER_TURNS = {5, 6, 7, 8}
EXIF_ORIENTATION_TAG = 0x0112
# The transpositions easy_thumbnails.utils.exif_orientation makes, in order.
T = Image.Transpose
ORIENTATION_TRANSPOSES = {
    2: (T.FLIP_LEFT_RIGHT,),
    3: (T.ROTATE_180,),
    4: (T.FLIP_TOP_BOTTOM,),
    5: (T.ROTATE_270, T.FLIP_LEFT_RIGHT),
    6: (T.ROTATE_270,),
    7: (T.ROTATE_90, T.FLIP_LEFT_RIGHT),
    8: (T.ROTATE_90,),
}


def stock_orientation(image: Image.Image) -> int | None:
    """The EXIF orientation as easy_thumbnails.utils.exif_orientation reads it.

    Its ``_getexif()`` gives nothing when the file has no EXIF block, even
    if its XMP has an orientation, where ``getexif()`` would take the XMP's.
    """
    try:
        exif = image._getexif()
    except Exception:
        # There are many ways _getexif fails; stock ignores them all.
        return None
    return exif.get(EXIF_ORIENTATION_TAG) if exif else None


def oriented_box(
    box: tuple[float, float, float, float],
    size: tuple[int, int],
    orientation: int | None,
) -> tuple[float, float, float, float]:
    """box, a region of an image of size, where it is once the image is
    transposed as stock does for orientation."""
    left, top, right, bottom = box
    width, height = size
    for transpose in ORIENTATION_TRANSPOSES.get(orientation, ()):
        if transpose == T.FLIP_LEFT_RIGHT:
            left, right = width - right, width - left
        elif transpose == T.FLIP_TOP_BOTTOM:
            top, bottom = height - bottom, height - top
        elif transpose == T.ROTATE_180:
            left, top, right, bottom = (
                width - right,
                height - bottom,
                width - left,
                height - top,
            )
        elif transpose == T.ROTATE_90:  # counter-clockwise: (x, y) -> (y, width - x)
            left, top, right, bottom = top, width - right, bottom, width - left
            width, height = height, width
        elif transpose == T.ROTATE_270:  # clockwise: (x, y) -> (height - y, x)
            left, top, right, bottom = height - bottom, left, height - top, right
            width, height = height, width
    return left, top, right, bottom


def draft_scale(
    stored_size: tuple[int, int], alias_options: list[dict], orientation: int | None
) -> int:
    """The largest draft reduction from which every alias is made as stock
    makes it from the full image."""
    if not alias_options:
        return 1
    width, height = stored_size
    for scale in DRAFT_SCALES:
        if width // scale < 1 or height // scale < 1:
            continue
        extent = (0.0, 0.0, width / scale, height / scale)
        full_size = stored_size
        if orientation in QUARTER_TURNS:
            full_size = (height, width)
            extent = (0.0, 0.0, height / scale, width / scale)
        if all(draft_serves(full_size, extent, options) for options in alias_options):
            return scale
    return 1


def draft_serves(
    full_size: tuple[int, int], extent: tuple[float, float, float, float], options
) -> bool:
    """Whether options' thumbnail of a full_size image can be resized from a
    draft whose extent holds the whole image, with stock's size and crop."""
    if not resize_keeps_stock_geometry(full_size, options):
        return False
    resized, _ = resized_size(full_size, options)
    extent_width, extent_height = extent[2] - extent[0], extent[3] - extent[1]
    return (
        resized[0] * DRAFT_GAP <= extent_width
        and resized[1] * DRAFT_GAP <= extent_height
    )


def resize_keeps_stock_geometry(full_size: tuple[int, int], options) -> bool:
    """Whether an image resized first to the size stock's scale_and_crop
    resizes a full_size one to is then only cropped by it, as stock crops."""
    if _depends_on_every_pixel(options):
        return False
    if not resizes(full_size, options):
        return False  # stock keeps every pixel
    resized, target = resized_size(full_size, options)
    # Resized to stock's size, scale_and_crop would resize again or crop
    # elsewhere (a zoom's rounding): only the full image gives stock's.
    return not resizes(resized, options) and resized_size(resized, options)[1] == target


def _depends_on_every_pixel(options: dict) -> bool:
    # autocrop trims by the full image's pixels and smart crop by entropy:
    # a draft could move their boxes, so these keep the full decode. A size
    # scale_and_crop cannot read is left for it to refuse, as in stock.
    return (
        bool(options.get("autocrop"))
        or options.get("crop") == "smart"
        or not _is_readable_size(options.get("size"))
    )


def _is_readable_size(size) -> bool:
    try:
        return len([int(value) for value in size]) == 2
    except (TypeError, ValueError):
        return False


def resized_size(source_size: tuple[int, int], options: dict) -> tuple:
    """The size ``processors.scale_and_crop`` resizes an image of source_size
    to, and the size it then crops to.

    The same arithmetic, in the same order, so that equal results here mean
    equal sizes and crop boxes there. An image it leaves alone keeps its size.
    """
    scale, target = _scale_and_target(source_size, options)
    if resizes(source_size, options):
        resized = (
            int(round(source_size[0] * scale)),
            int(round(source_size[1] * scale)),
        )
    else:
        resized = int(source_size[0]), int(source_size[1])
    return resized, target


def resizes(source_size: tuple[int, int], options: dict) -> bool:
    """Whether ``processors.scale_and_crop`` resizes an image of source_size."""
    scale, _ = _scale_and_target(source_size, options)
    return scale < 1.0 or (scale > 1.0 and bool(options.get("upscale", False)))


def _scale_and_target(source_size: tuple[int, int], options: dict) -> tuple:
    source_x, source_y = (float(v) for v in source_size)
    target_x, target_y = (int(v) for v in options["size"])
    crop, zoom = options.get("crop", False), options.get("zoom")
    if crop or not target_x or not target_y:
        scale = max(
            1.0 if source_x == 0 else target_x / source_x,
            1.0 if source_y == 0 else target_y / source_y,
        )
    else:
        scale = min(
            1.0 if source_x == 0 else target_x / source_x,
            1.0 if source_y == 0 else target_y / source_y,
        )
    if not target_x:
        target_x = round(source_x * scale)
    elif not target_y:
        target_y = round(source_y * scale)
    if zoom:
        if not crop:
            target_x, target_y = round(source_x * scale), round(source_y * scale)
        scale *= (100 + int(zoom)) / 100.0
    return scale, (target_x, target_y)
