"""Read an original once and decode it once, as small as every alias allows.

Stock easy-thumbnails downloads and fully decodes the original for each alias
(``source_generators.pil_image``). A JPEG can instead be decoded at 1/2, 1/4 or
1/8 of its size straight from its DCT coefficients (Pillow's draft mode), far
faster and smaller. The scale is chosen so that ``scale_and_crop`` computes
exactly the sizes and crop boxes it would from the full-size image: the
thumbnails keep stock's dimensions and crop, and differ from stock's only by
resampling noise.
"""

from dataclasses import dataclass, field
from io import BytesIO

from django.core.files.storage import Storage
from easy_thumbnails import utils
from PIL import Image, ImageFile
from s3transfer.constants import ALLOWED_DOWNLOAD_ARGS

from .storage_hash import set_up

DRAFT_SCALES = (8, 4, 2)
# As Pillow's resize(reducing_gap=3.0): an alias is resampled from an integer
# reduction at least three times its size, which Pillow documents as
# indistinguishable from resampling the whole image.
REDUCING_GAP = 3
# EXIF orientations that turn the image a quarter: width and height swap.
QUARTER_TURNS = {5, 6, 7, 8}
EXIF_ORIENTATION_TAG = 0x0112


def read_original(storage: Storage, name: str) -> bytes:
    """The original's bytes in one request.

    django-storages' S3File sends a HEAD when opened and keeps the download in
    a buffer it drops on close; one GetObject is all reading needs.
    """
    storage = set_up(storage)
    if _is_plain_s3(storage):
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
    """One original, decoded once for all its aliases."""

    data: bytes
    image: Image.Image
    exif_orientation: bool
    full_size: tuple[int, int]
    draft_scale: int
    reductions: dict = field(default_factory=dict)

    @property
    def is_animated(self) -> bool:
        return getattr(self.image, "n_frames", 1) > 1

    def keeps_geometry(
        self, options: dict, size: tuple[int, int] | None = None
    ) -> bool:
        """Whether thumbnails made from an image of size (the decoded one's by
        default) come out with the sizes and crop of the full image's."""
        size = size or self.image.size
        if size == self.full_size:
            return True
        return not _depends_on_every_pixel(options) and resized_size(
            self.full_size, options
        ) == resized_size(size, options)

    def image_for(self, options: dict) -> Image.Image:
        """The image the processors make this alias from."""
        if self.is_animated:
            # Processors walk an animated image's frames: each alias gets its own.
            return decode(self.data, [], self.exif_orientation).image
        factor = self.reduction_for(options)
        if factor == 1:
            return self.image
        if factor not in self.reductions:
            self.reductions[factor] = self.image.reduce(factor)
        return self.reductions[factor]

    def reduction_for(self, options: dict) -> int:
        if _depends_on_every_pixel(options):
            return 1
        width, height = self.image.size
        (resized_x, resized_y), _ = resized_size(self.full_size, options)
        factor = min(
            width // max(resized_x * REDUCING_GAP, 1),
            height // max(resized_y * REDUCING_GAP, 1),
        )
        while factor > 1:
            reduced = (-(-width // factor), -(-height // factor))
            if self.keeps_geometry(options, reduced):
                return factor
            factor -= 1
        return 1


def decode(
    data: bytes, alias_options: list[dict], exif_orientation: bool
) -> DecodedSource:
    """Decode data once, in draft mode when every alias keeps stock's geometry."""
    image = Image.open(BytesIO(data))
    turned = exif_orientation and _orientation(image) in QUARTER_TURNS
    full_size = image.size[::-1] if turned else image.size
    scale = draft_scale(image, alias_options, turned)
    if scale > 1:
        width, height = image.size
        image.draft(image.mode, (-(-width // scale), -(-height // scale)))
    # As stock's pil_image: a truncated original still gives thumbnails.
    try:
        ImageFile.LOAD_TRUNCATED_IMAGES = True
        image.load()
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = False
    if exif_orientation:
        image = utils.exif_orientation(image)
    return DecodedSource(data, image, exif_orientation, full_size, scale)


def draft_scale(image: Image.Image, alias_options: list[dict], turned: bool) -> int:
    """The largest draft reduction that leaves every alias's geometry as stock's."""
    if image.format != "JPEG" or not alias_options:
        return 1
    if any(_depends_on_every_pixel(options) for options in alias_options):
        return 1
    width, height = image.size
    for scale in DRAFT_SCALES:
        reduced = (-(-width // scale), -(-height // scale))
        if min(width // reduced[0], height // reduced[1]) < scale:
            continue  # Pillow's draft would pick a smaller scale
        full_size, reduced_size = (width, height), reduced
        if turned:
            full_size, reduced_size = full_size[::-1], reduced_size[::-1]
        if all(
            resized_size(full_size, options) == resized_size(reduced_size, options)
            for options in alias_options
        ):
            return scale
    return 1


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


def _orientation(image: Image.Image) -> int | None:
    try:
        return image.getexif().get(EXIF_ORIENTATION_TAG)
    except Exception:
        # Broken EXIF: stock's exif_orientation ignores it the same way.
        return None


def resized_size(source_size: tuple[int, int], options: dict) -> tuple:
    """The size ``processors.scale_and_crop`` resizes an image of source_size
    to, and the size it then crops to.

    The same arithmetic, in the same order, so that equal results here mean
    equal sizes and crop boxes there. An image it leaves alone keeps its size.
    """
    source_x, source_y = (float(v) for v in source_size)
    target_x, target_y = (int(v) for v in options["size"])
    crop, upscale, zoom = (
        options.get("crop", False),
        options.get("upscale", False),
        options.get("zoom"),
    )
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
    if scale < 1.0 or (scale > 1.0 and upscale):
        resized = int(round(source_x * scale)), int(round(source_y * scale))
    else:
        resized = int(source_x), int(source_y)
    return resized, (target_x, target_y)
