"""A JPEG decoded and resized by libvips (the ``vips_decode`` part), the rest Pillow's.

libvips decodes a JPEG with shrink-on-load (the same scaled decode as
Pillow's draft mode, chosen by the same draft_geometry rule) and resizes with
a Lanczos3 kernel in a fraction of Pillow's time. Only what stock would
resize from the decoded image is made here; the processors before and after
scale_and_crop (colour space, autocrop, crop, filters, background) and the
encoding stay Pillow's and stock's, so names, sizes and crops are stock's.

libvips is used where its reading is stock's: a JPEG or a phone's MPO (its
first image) in RGB or grey, oriented by its EXIF block as stock orients it
(draft_geometry.stock_orientation, never the XMP libvips would also read).
Every other image, and any libvips cannot read, is Pillow's (source_image).
"""

from dataclasses import dataclass

from PIL import Image

from .draft_geometry import (
    ORIENTATION_TRANSPOSES,
    QUARTER_TURNS,
    draft_scale,
    oriented_box,
    resize_keeps_stock_geometry,
    resized_size,
)

# Pillow's modes libvips decodes to the same pixels: libvips would turn a
# CMYK JPEG's inverted Adobe inks differently from Pillow's decoder.
VIPS_MODES = {"RGB": 3, "L": 1}
# As Pillow's reducing_gap in source_image: libvips averages whole blocks
# only while it leaves three times the thumbnail's size to Lanczos.
VIPS_GAP = 3.0
# How libvips turns an image as Image.transpose does: its rotations are
# clockwise, Pillow's counter-clockwise.
T = Image.Transpose
VIPS_TRANSPOSES = {
    T.FLIP_LEFT_RIGHT: lambda image: image.fliphor(),
    T.FLIP_TOP_BOTTOM: lambda image: image.flipver(),
    T.ROTATE_180: lambda image: image.rot180(),
    T.ROTATE_90: lambda image: image.rot270(),
    T.ROTATE_270: lambda image: image.rot90(),
}


@dataclass
class VipsImage:
    """A decoded original: its pixels once in memory, seen by libvips and
    by Pillow alike, with what DecodedSource needs of it."""

    image: object  # pyvips.Image over pixels
    pillow: Image.Image  # what the processors before scale_and_crop are given
    full_size: tuple[int, int]
    extent: tuple[float, float, float, float]
    draft_scale: int

    def resize(self, options: dict) -> Image.Image | None:
        """options' image resized as stock's scale_and_crop resizes the full
        original, or None where stock's resize is not the one to make."""
        if not resize_keeps_stock_geometry(self.full_size, options):
            return None
        return self.resize_whole(resized_size(self.full_size, options)[0])

    def resize_whole(self, size: tuple[int, int]) -> Image.Image | None:
        """The whole original resized to size, or None if libvips' rounding
        leaves it short of size."""
        width, height = size
        left, top, right, bottom = self.extent
        hscale, vscale = width / (right - left), height / (bottom - top)
        resized = self.image.resize(
            hscale, vscale=vscale, kernel="lanczos3", gap=VIPS_GAP
        )
        # The extent may start or end inside a pixel: crop to stock's size
        # from where the whole original starts.
        x, y = round(left * hscale), round(top * vscale)
        if x + width > resized.width or y + height > resized.height:
            return None
        resized = resized.crop(x, y, width, height)
        return Image.frombytes(
            self.pillow.mode, (width, height), resized.write_to_memory()
        )


def decode(
    data: bytes,
    opened: Image.Image,
    alias_options: list[dict],
    orientation: int | None,
) -> VipsImage | None:
    """data decoded by libvips once, as small as every alias allows, oriented
    as stock orients it; None where it is not libvips' to decode.

    opened is data opened by Pillow (its header read, nothing decoded).
    """
    if opened.format not in ("JPEG", "MPO") or opened.mode not in VIPS_MODES:
        return None
    import pyvips

    # libvips keeps recent operations and their pixels (up to 100 MB) to
    # reuse them; no photo's operations come twice, so that would only grow
    # the process.
    pyvips.cache_set_max(0)
    stored_size = opened.size
    scale = draft_scale(stored_size, alias_options, orientation)
    try:
        image = pyvips.Image.new_from_buffer(data, "", shrink=scale, fail=True)
        if image.bands != VIPS_MODES[opened.mode] or image.format != "uchar":
            return None
        for transpose in ORIENTATION_TRANSPOSES.get(orientation, ()):
            image = VIPS_TRANSPOSES[transpose](image)
        # Decoded (and turned) straight into the one buffer both libraries read.
        pixels = image.write_to_memory()
    except pyvips.Error:
        # A truncated or damaged JPEG: Pillow decodes what it can of it, as
        # stock does.
        return None
    size = (image.width, image.height)
    width, height = stored_size
    extent = oriented_box(
        (0.0, 0.0, width / scale, height / scale),
        size[::-1] if orientation in QUARTER_TURNS else size,
        orientation,
    )
    full_size = stored_size[::-1] if orientation in QUARTER_TURNS else stored_size
    return VipsImage(
        pyvips.Image.new_from_memory(pixels, *size, image.bands, "uchar"),
        Image.frombuffer(opened.mode, size, pixels, "raw", opened.mode, 0, 1),
        full_size,
        extent,
        scale,
    )
