"""Decode an original once for all its aliases, as small as every alias allows.

Stock easy-thumbnails downloads and fully decodes the original for each alias
(``source_generators.pil_image``), then its ``scale_and_crop`` resizes the
full image. Here a JPEG is decoded once, at 1/2, 1/4 or 1/8 of its size
straight from its DCT coefficients (Pillow's draft mode), and each alias is
resized from that draft by ``scale_and_crop``, which resizes to the size
stock resizes to from the region of the draft that holds the whole original
(a draft of a size not divisible by its scale ends in a partial pixel), then
leaves the crop to stock's processor. The largest thumbnail is resized first,
and the much smaller ones from it: one Lanczos pass over the whole decode. A
picture of two levels (1-bit, line art, a cut-out) is resized as stock
resizes it. Every other processor runs as in stock,
in stock's order, so palette, 1-bit and 16-bit images are converted before
anything is resized, as stock converts them. Which draft serves is
draft_geometry's arithmetic; the bytes come from storage_io.
"""

from dataclasses import dataclass
from io import BytesIO

from easy_thumbnails import processors, utils
from PIL import Image, ImageFile

from . import vips_source
from .conf import is_enabled
from .draft_geometry import (
    DRAFT_FORMATS,
    QUARTER_TURNS,
    draft_scale,
    draft_serves,
    oriented_box,
    resize_keeps_stock_geometry,
    resized_size,
    stock_orientation,
)

# As Pillow's resize(reducing_gap=3.0): an alias is resampled from an integer
# reduction at least three times its size, which Pillow documents as
# indistinguishable from resampling the whole image.
REDUCING_GAP = 3.0
# Modes Image.reduce() takes (not 1, P or I;16): others are left to stock.
REDUCIBLE_MODES = {"L", "LA", "RGB", "RGBA", "CMYK", "I", "F"}
# A thumbnail at most 1/1.5 of the largest one's size on each side is
# resized from the largest (made first, by Lanczos from the whole decode),
# not from the decode: Lanczos already took out the detail that leaks
# through a draft or a block average. On a 3264x2448 photo photoset_large is
# 1/1.9 of large_photo, and came out within 1.4 of 255 of stock's from pure
# noise, 0.8 from strong grain.
CASCADE_GAP = 1.5
# Modes resized twice as closely as once. Pillow resizes LA and RGBA with
# their colour multiplied by alpha and divides it back after, to 8 bits each
# time: twice, faint pixels drift several levels.
CASCADE_MODES = {"L", "RGB"}


@dataclass
class DecodedSource:
    """One original, decoded once for all its aliases.

    image is what stock's source generator would give the processors, except
    that it may be a draft: full_size is the size stock's image would have,
    and extent the region of image that holds all of it.
    """

    data: bytes
    image: Image.Image
    exif_orientation: bool
    full_size: tuple[int, int]
    extent: tuple[float, float, float, float]
    draft_scale: int
    # The same decode in libvips, which resizes it (the vips_decode part).
    vips: vips_source.VipsImage | None = None
    # The largest size the aliases resize the whole image to, and that
    # resize once made: the smaller ones are resized from it (CASCADE_GAP).
    largest_size: tuple[int, int] | None = None
    _largest: Image.Image | None = None

    @property
    def is_animated(self) -> bool:
        # An MPO's second image is not a frame: stock thumbnails the first.
        return getattr(self.image, "n_frames", 1) > 1 and self.image.format != "MPO"

    def keeps_geometry(self, options: dict) -> bool:
        """Whether this decode makes options' thumbnail as the full image would."""
        return self.draft_scale == 1 or draft_serves(
            self.full_size, self.extent, options
        )

    def image_for(self, options: dict) -> Image.Image:
        """The image the processors make this alias from."""
        if self.is_animated:
            # Processors may have walked the frames for the alias before.
            self.image.seek(0)
        return self.image

    def scale(self, image: Image.Image, options: dict) -> Image.Image:
        """image resized as stock's scale_and_crop resizes the full original.

        image is what the processors before scale_and_crop made of this
        source's image; anything they resized is left to stock. A draft is
        only ever given options it serves (draft_serves): the field file
        decodes again for any other. A full decode is reduced first by an
        integer factor where Pillow's reducing_gap allows, as a draft is;
        where it does not, stock resizes it, pixel for pixel as stock does;
        and so it does every alias of a picture of two levels (is_two_level).
        """
        if image.size != self.image.size or image.mode not in REDUCIBLE_MODES:
            return image
        if self.draft_scale == 1 and is_two_level(image):
            # A picture of two levels (pen strokes, line art, a stencil's
            # alpha) is resized as stock resizes it, from the decode: neither
            # from the largest thumbnail nor from a reduction. Every edge
            # there is a full step, which Lanczos from elsewhere rings
            # differently: saved, a 640x480 page of 1-bit strokes came out
            # 3.9 of 255 from stock's at 50x50 (reduced first), grey line art
            # 3.4 (from the largest), a photo behind a stencil 5.5.
            return image
        resized, _ = resized_size(self.full_size, options)
        if image is self.image and self._cascades(resized, options):
            # Untouched by the processors before: from the largest thumbnail.
            largest = self.largest()
            if largest.size == resized:
                return largest.copy()
            return largest.resize(
                resized, Image.Resampling.LANCZOS, reducing_gap=REDUCING_GAP
            )
        if self.vips is not None and image is self.image:
            # Untouched by the processors before: libvips resizes its own copy.
            resized_image = self.vips.resize(options)
            if resized_image is not None:
                return resized_image
        if self.draft_scale == 1 and not (
            _reduces(image.size, resized)
            and resize_keeps_stock_geometry(self.full_size, options)
        ):
            return image
        return image.resize(
            resized,
            Image.Resampling.LANCZOS,
            box=self.extent,
            reducing_gap=REDUCING_GAP,
        )

    def _cascades(self, resized: tuple[int, int], options: dict) -> bool:
        largest = self.largest_size
        if largest is None or self.image.mode not in CASCADE_MODES:
            return False
        if not resize_keeps_stock_geometry(self.full_size, options):
            return False
        return resized == largest or (
            resized[0] * CASCADE_GAP <= largest[0]
            and resized[1] * CASCADE_GAP <= largest[1]
        )

    def largest(self) -> Image.Image:
        """The whole image resized to largest_size, as stock resizes it."""
        if self._largest is None:
            if self.vips is not None:
                self._largest = self.vips.resize_whole(self.largest_size)
            if self._largest is None:
                self._largest = self.image.resize(
                    self.largest_size,
                    Image.Resampling.LANCZOS,
                    box=self.extent,
                    reducing_gap=REDUCING_GAP if self.draft_scale > 1 else None,
                )
        return self._largest


def largest_resize(
    full_size: tuple[int, int], alias_options: list[dict]
) -> tuple[int, int] | None:
    """The largest size stock's scale_and_crop resizes a full_size image to
    for any of alias_options whose crop it leaves as stock's."""
    sizes = [
        resized_size(full_size, options)[0]
        for options in alias_options
        if resize_keeps_stock_geometry(full_size, options)
    ]
    return max(sizes, key=lambda size: size[0] * size[1], default=None)


def is_two_level(image: Image.Image) -> bool:
    """Whether image is a picture of two levels: exactly two colours (a
    1-bit or two-colour palette image once converted, line art in grey), or,
    over any colours, an alpha of exactly two (a cut-out, a palette's
    transparent index). Cheap on a photo: getcolors gives up at its third
    colour (grey costs one histogram, an alpha one copy of its band)."""
    colours = image.getcolors(2)
    if colours is not None:
        return len(colours) == 2
    if image.mode in ("LA", "RGBA"):
        alpha = image.getchannel("A").getcolors(2)
        return alpha is not None and len(alpha) == 2
    return False


def _reduces(size: tuple[int, int], resized: tuple[int, int]) -> bool:
    # As Image.resize picks its reduction: at least a factor of 2 on one side.
    return any(
        int(side / new_side / REDUCING_GAP) >= 2
        for side, new_side in zip(size, resized, strict=True)
        if new_side
    )


def scale_and_crop(source: DecodedSource | None, image: Image.Image, **options):
    """easy-thumbnails' scale_and_crop, resizing from source's image as from
    the full original; cropping and everything else is stock's."""
    if source is not None:
        image = source.scale(image, options)
    return processors.scale_and_crop(image, **options)


def decode(
    data: bytes, alias_options: list[dict], exif_orientation: bool
) -> DecodedSource:
    """Decode data once, in draft mode when every alias allows it, and orient
    it as stock's source generator does; with libvips where the vips_decode
    part is on and libvips reads the image as stock does (vips_source)."""
    image = Image.open(BytesIO(data))
    if is_enabled("vips_decode"):
        decoded = _vips_decode(data, image, alias_options, exif_orientation)
        if decoded is not None:
            return decoded
    stored_size = image.size
    scale, extent = 1, (0.0, 0.0, float(stored_size[0]), float(stored_size[1]))
    if image.format in DRAFT_FORMATS:
        # A JPEG's EXIF is read when it is opened: the same before and after load.
        orientation = stock_orientation(image) if exif_orientation else None
        scale = draft_scale(stored_size, alias_options, orientation)
        if scale > 1:
            width, height = stored_size
            drafted = image.draft(image.mode, (width // scale, height // scale))
            if drafted is None:
                scale = 1  # Pillow declined: decoded whole
            else:
                _, extent = drafted
    # As stock's pil_image: a truncated original still gives thumbnails.
    try:
        ImageFile.LOAD_TRUNCATED_IMAGES = True
        image.load()
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = False
    orientation = stock_orientation(image) if exif_orientation else None
    full_size = stored_size
    if orientation in QUARTER_TURNS:
        full_size = stored_size[::-1]
    if scale > 1:
        extent = oriented_box(extent, image.size, orientation)
    else:
        extent = (0.0, 0.0, float(full_size[0]), float(full_size[1]))
    if exif_orientation:
        image = utils.exif_orientation(image)
    return DecodedSource(
        data,
        image,
        exif_orientation,
        full_size,
        extent,
        scale,
        largest_size=largest_resize(full_size, alias_options),
    )


def _vips_decode(
    data: bytes, image: Image.Image, alias_options: list[dict], exif_orientation: bool
) -> DecodedSource | None:
    # A JPEG's EXIF is read when it is opened: nothing is decoded yet.
    orientation = stock_orientation(image) if exif_orientation else None
    vips = vips_source.decode(data, image, alias_options, orientation)
    if vips is None:
        return None
    return DecodedSource(
        data,
        vips.pillow,
        exif_orientation,
        vips.full_size,
        vips.extent,
        vips.draft_scale,
        vips,
        largest_size=largest_resize(vips.full_size, alias_options),
    )
