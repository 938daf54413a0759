"""Read an original once and decode it once, as small as every alias allows.

Stock easy-thumbnails downloads and fully decodes the original for each alias
(``source_generators.pil_image``), then its ``scale_and_crop`` resizes the
full image. Here a JPEG is decoded once, at 1/2, 1/4 or 1/8 of its size
straight from its DCT coefficients (Pillow's draft mode), and each alias is
resized from that draft by ``scale_and_crop``, which resizes to the size
stock resizes to from the region of the draft that holds the whole original
(a draft of a size not divisible by its scale ends in a partial pixel), then
leaves the crop to stock's processor. Every other processor runs as in stock,
in stock's order, so palette, 1-bit and 16-bit images are converted before
anything is resized, as stock converts them.
"""

from dataclasses import dataclass
from io import BytesIO

from django.core.files.storage import Storage
from easy_thumbnails import processors, utils
from PIL import Image, ImageFile

from .storage_hash import set_up

DRAFT_SCALES = (8, 4, 2)
# Formats Pillow decodes in draft mode: phone cameras' MPO is a JPEG whose
# primary image drafts as any JPEG does.
DRAFT_FORMATS = ("JPEG", "MPO")
# A draft keeps at least this many pixels per pixel of every alias it is
# resized to. Nearer 1 (the draft's own size, as the Pillow floor decodes) the
# DCT-scaled draft shows through on fine detail, several levels of 255 off
# stock's Lanczos; at 1.5 a 3264x2448 photo still decodes at half size.
DRAFT_GAP = 1.5
# As Pillow's resize(reducing_gap=3.0): an alias is resampled from an integer
# reduction at least three times its size, which Pillow documents as
# indistinguishable from resampling the whole image.
REDUCING_GAP = 3.0
# Modes Image.reduce() takes (not 1, P or I;16): others are left to stock.
REDUCIBLE_MODES = {"L", "LA", "RGB", "RGBA", "CMYK", "I", "F"}
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


def read_original(storage: Storage, name: str) -> bytes:
    """The original's bytes in one request.

    django-storages' S3File sends a HEAD when opened and keeps the download in
    a buffer it drops on close; one GetObject is all reading needs.
    """
    storage = set_up(storage)
    if _is_plain_s3(storage):
        from s3transfer.constants import ALLOWED_DOWNLOAD_ARGS
        from storages.utils import clean_name

        key = storage._normalize_name(clean_name(name))
        params = {
            key_: value
            for key_, value in storage.get_object_parameters(name).items()
            if key_ in ALLOWED_DOWNLOAD_ARGS
        }
        # The bucket's client, which storage.save uses too: threads that
        # store thumbnails then share it instead of building sessions of their own.
        response = storage.bucket.meta.client.get_object(
            Bucket=storage.bucket_name, Key=key, **params
        )
        with response["Body"] as body:
            return body.read()
    with storage.open(name, "rb") as file:
        return file.read()


def write_thumbnail(storage: Storage, name: str, thumbnail) -> None:
    """Store a thumbnail under name, replacing any object there, in one PUT.

    On S3 a PutObject with the storage's own write parameters (content type,
    ACL, object parameters), as its _save sends them, without s3transfer's
    machinery around a body this small; elsewhere the storage's own save.
    """
    storage = set_up(storage)
    if _is_plain_s3(storage):
        from storages.utils import clean_name

        cleaned = clean_name(name)
        key = storage._normalize_name(cleaned)
        thumbnail.seek(0)
        storage.bucket.meta.client.put_object(
            Bucket=storage.bucket_name,
            Key=key,
            Body=thumbnail.read(),
            **storage._get_write_parameters(key),
        )
        return
    storage.save(name, thumbnail)


def _is_plain_s3(storage) -> bool:
    try:
        from storages.backends.s3 import S3Storage
    except ImportError:
        return False
    # A gzipped object needs S3File's decompression: leave that to it.
    return isinstance(storage, S3Storage) and not storage.gzip


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
        source's image; anything they resized is left to stock, as is the
        full original. A draft is only ever given options it serves
        (draft_serves): the field file decodes again for any other.
        """
        if self.draft_scale == 1 or image.size != self.image.size:
            return image
        if image.mode not in REDUCIBLE_MODES:
            return image
        resized, _ = resized_size(self.full_size, options)
        return image.resize(
            resized,
            Image.Resampling.LANCZOS,
            box=self.extent,
            reducing_gap=REDUCING_GAP,
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
    it as stock's source generator does."""
    image = Image.open(BytesIO(data))
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
    return DecodedSource(data, image, exif_orientation, full_size, extent, scale)


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
    if _depends_on_every_pixel(options):
        return False
    if not resizes(full_size, options):
        return False  # stock keeps every pixel
    resized, target = resized_size(full_size, options)
    if resizes(resized, options) or resized_size(resized, options)[1] != target:
        # Resized to stock's size, scale_and_crop would resize again or crop
        # elsewhere (a zoom's rounding): only the full image gives stock's.
        return False
    extent_width, extent_height = extent[2] - extent[0], extent[3] - extent[1]
    return (
        resized[0] * DRAFT_GAP <= extent_width
        and resized[1] * DRAFT_GAP <= extent_height
    )


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
