"""The images people upload, as files: every mode, format and orientation, small and large.

Each kind of image comes at a small size (at most 640 pixels, decoded whole)
and a large one (2400 pixels or more on the long edge, so the fix decodes
JPEGs in draft mode), at sizes cameras and screens give, most of them not
multiples of 8. The pictures are odd_images.detailed_photo: grain, foliage
and thin lines, where a thumbnail resized from the wrong place shows.

Together they cover the Pillow modes 1, L, LA, P with and without
transparency, RGB, RGBA, CMYK and I;16 (Pillow opens no PNG as mode I: a
16-bit one is I;16, which the project's first processor turns into I);
baseline and progressive JPEG, PNG, single-frame and animated GIF, lossy,
lossless and animated WebP, and a phone's two-image MPO; EXIF orientations
1 to 8, an orientation in XMP only, and one in XMP beside an EXIF block
without one; a photo of strong grain, detail a JPEG draft must not lose; and
pictures of two levels only (TWO_LEVEL_KINDS): 1-bit pen strokes with and
without a transparent colour, line art in grey and in a two-colour palette
with one transparent, and a photo cut out by a stencil (an alpha of two levels).
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from tests.odd_images import (
    animation,
    detailed_photo,
    encoded,
    line_art,
    mpo,
    orientation_exif,
    orientation_xmp,
    sixteen_bit,
    stencilled,
    strokes,
    transparent_palette,
    two_colour_palette,
    with_alpha,
)

SMALL, LARGE = "small", "large"
# Standard deviation of grainy()'s noise, in levels of 255.
GRAIN_SIGMA = 40


@dataclass(frozen=True)
class Kind:
    """A kind of image: its file name, its size small and large, its maker."""

    name: str
    sizes: dict
    make: Callable[[Image.Image], bytes]
    mode: str  # Pillow's mode once opened


def jpeg(**options) -> Callable[[Image.Image], bytes]:
    return lambda image: encoded(image, "JPEG", quality=90, **options)


def grainy(image: Image.Image) -> Image.Image:
    """image under a high-ISO night shot's colour grain, every pixel its own.

    Detail this fine leaks through a JPEG draft decoded too near a
    thumbnail's size: at half size, large_photo of a 3264x2448 one came out
    3.8 of 255 from stock's.
    """
    rng = np.random.default_rng(image.width)
    pixels = np.asarray(image, dtype=np.float32)
    pixels += rng.standard_normal(pixels.shape, dtype=np.float32) * GRAIN_SIGMA
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="RGB")


def png(convert: Callable[[Image.Image], Image.Image], **options):
    # Fast compression: large noisy PNGs otherwise take seconds each to write.
    return lambda image: encoded(convert(image), "PNG", compress_level=1, **options)


KINDS = [
    Kind(
        "baseline-o1.jpg",
        {SMALL: (640, 480), LARGE: (3841, 2161)},
        jpeg(exif=orientation_exif(1)),
        "RGB",
    ),
    Kind(
        "progressive-o2.jpg",
        {SMALL: (639, 479), LARGE: (3840, 2160)},
        jpeg(progressive=True, exif=orientation_exif(2)),
        "RGB",
    ),
    Kind(
        "portrait-o3.jpg",
        {SMALL: (479, 639), LARGE: (2449, 3265)},
        jpeg(exif=orientation_exif(3)),
        "RGB",
    ),
    Kind(
        "grey-o4.jpg",
        {SMALL: (301, 199), LARGE: (3264, 2448)},
        lambda image: jpeg(exif=orientation_exif(4))(image.convert("L")),
        "L",
    ),
    Kind(
        "cmyk-o5.jpg",
        {SMALL: (640, 427), LARGE: (2401, 1601)},
        lambda image: jpeg(exif=orientation_exif(5))(image.convert("CMYK")),
        "CMYK",
    ),
    Kind(
        "phone-mpo-o6.jpg",
        {SMALL: (640, 480), LARGE: (3264, 2448)},
        lambda image: mpo(image, 6),
        "RGB",
    ),
    Kind(
        "lossy-o7.webp",
        {SMALL: (639, 479), LARGE: (3000, 2000)},
        lambda image: encoded(
            image, "WEBP", quality=85, method=0, exif=orientation_exif(7)
        ),
        "RGB",
    ),
    Kind(
        "rgb-o8.png",
        {SMALL: (301, 199), LARGE: (2401, 1601)},
        png(lambda image: image, exif=orientation_exif(8)),
        "RGB",
    ),
    Kind(
        "xmp-only-o6.jpg",
        {SMALL: (640, 480), LARGE: (3264, 2448)},
        jpeg(xmp=orientation_xmp(6)),
        "RGB",
    ),
    Kind(
        "exif-without-orientation-xmp-o6.jpg",
        {SMALL: (479, 639), LARGE: (2449, 3265)},
        jpeg(exif=orientation_exif(None), xmp=orientation_xmp(6)),
        "RGB",
    ),
    Kind(
        "grainy.jpg",
        {SMALL: (640, 480), LARGE: (3264, 2448)},
        lambda image: jpeg()(grainy(image)),
        "RGB",
    ),
    Kind(
        "screen.jpg",
        {SMALL: (640, 400), LARGE: (1280, 1024)},
        jpeg(),
        "RGB",
    ),
    Kind(
        "bilevel.png",
        {SMALL: (640, 480), LARGE: (2401, 1601)},
        png(lambda image: image.convert("1")),
        "1",
    ),
    Kind(
        "grey-alpha.png",
        {SMALL: (639, 479), LARGE: (2401, 1601)},
        png(lambda image: with_alpha(image).convert("LA")),
        "LA",
    ),
    Kind(
        "palette.png",
        {SMALL: (301, 199), LARGE: (2401, 1601)},
        png(lambda image: image.quantize(256)),
        "P",
    ),
    Kind(
        "palette-transparent.png",
        {SMALL: (640, 480), LARGE: (2401, 1601)},
        png(transparent_palette),
        "P",
    ),
    Kind(
        "rgba.png",
        {SMALL: (639, 479), LARGE: (2401, 1601)},
        png(with_alpha),
        "RGBA",
    ),
    Kind(
        "grey16.png",
        {SMALL: (640, 480), LARGE: (2401, 1601)},
        png(sixteen_bit),
        "I;16",
    ),
    Kind(
        "still-transparent.gif",
        {SMALL: (301, 199), LARGE: (2401, 1601)},
        lambda image: encoded(transparent_palette(image), "GIF"),
        "P",
    ),
    Kind(
        "moving.gif",
        {SMALL: (640, 480), LARGE: (2401, 1601)},
        lambda image: animation(image, "GIF"),
        "P",
    ),
    Kind(
        "lossless-rgba.webp",
        {SMALL: (639, 479), LARGE: (2401, 1601)},
        lambda image: encoded(with_alpha(image), "WEBP", lossless=True, method=0),
        "RGBA",
    ),
    Kind(
        "moving.webp",
        {SMALL: (640, 480), LARGE: (2401, 1601)},
        lambda image: animation(image, "WEBP", quality=85, method=0),
        "RGB",
    ),
]


def drawn(draw: Callable, make: Callable[[Image.Image], bytes]):
    """make of a picture of draw's instead of the photo, at the photo's size."""
    return lambda image: make(draw(image.width + image.height, *image.size))


# Pictures of two levels, where every edge is a full step: pen strokes, line
# art, a photo cut out by a stencil. A resize that is not stock's rings
# differently on them (source_image.is_two_level).
TWO_LEVEL_KINDS = [
    Kind(
        "strokes-transparent.png",
        {SMALL: (640, 480), LARGE: (2400, 2400)},
        # Grey 1-bit with white transparent (tRNS): Pillow opens it in mode
        # "1", which easy-thumbnails takes for opaque.
        drawn(strokes, png(lambda image: image, transparency=1)),
        "1",
    ),
    Kind(
        "scan.png",
        {SMALL: (479, 639), LARGE: (1700, 2400)},
        drawn(strokes, png(lambda image: image)),
        "1",
    ),
    Kind(
        "line-art-grey.png",
        {SMALL: (640, 480), LARGE: (2401, 1601)},
        drawn(line_art, png(lambda image: image.convert("L"))),
        "L",
    ),
    Kind(
        "line-art-palette.png",
        {SMALL: (301, 199), LARGE: (2400, 1800)},
        drawn(line_art, png(two_colour_palette)),
        "P",
    ),
    Kind(
        "stencil.png",
        {SMALL: (639, 479), LARGE: (2400, 1600)},
        png(stencilled),
        "RGBA",
    ),
]
KINDS += TWO_LEVEL_KINDS


def file_name(kind: Kind, size: str) -> str:
    width, height = kind.sizes[size]
    return f"{size}-{width}x{height}-{kind.name}"


def file_names() -> list[str]:
    """Every file of the corpus, small ones first."""
    return [file_name(kind, size) for size in (SMALL, LARGE) for kind in KINDS]


def write_corpus(directory: Path) -> list[Path]:
    """Write every file of the corpus into directory; return their paths.

    One picture per size, drawn once and shared by the kinds of that size.
    """
    directory.mkdir(parents=True, exist_ok=True)
    pictures: dict[tuple[int, int], Image.Image] = {}
    paths = []
    for size in (SMALL, LARGE):
        for kind in KINDS:
            dimensions = kind.sizes[size]
            if dimensions not in pictures:
                pictures[dimensions] = detailed_photo(sum(dimensions), *dimensions)
            path = directory / file_name(kind, size)
            path.write_bytes(kind.make(pictures[dimensions]))
            paths.append(path)
    return paths
