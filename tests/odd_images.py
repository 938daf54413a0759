"""Image files of the kinds users point the site at, good and bad."""

import io
import struct
import zlib

import numpy as np
from PIL import Image, ImageDraw

from photos.sample_photos import make_photo
from tests.conftest import small_photo_bytes


def jpeg_bytes(image: Image.Image, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", **options)
    return buffer.getvalue()


def truncated_jpeg() -> bytes:
    data = small_photo_bytes(7)
    return data[: len(data) // 2]


def png_header_only(width: int, height: int) -> bytes:
    """A PNG a few dozen bytes long that claims width x height pixels."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 16))
        + chunk(b"IEND", b"")
    )


def cmyk_jpeg() -> bytes:
    """Pure red, as CMYK."""
    return jpeg_bytes(Image.new("CMYK", (640, 480), (0, 255, 255, 0)))


def sixteen_bit_png() -> bytes:
    """Grey at 40000 of 65535: 61%, about 156 in 8 bits."""
    buffer = io.BytesIO()
    Image.new("I;16", (640, 480), 40000).save(buffer, "PNG")
    return buffer.getvalue()


def animated_gif() -> bytes:
    """A red frame, then a blue one."""
    frames = [Image.new("RGB", (640, 480), colour) for colour in ("red", "blue")]
    buffer = io.BytesIO()
    frames[0].save(
        buffer, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0
    )
    return buffer.getvalue()


def exif_rotated_jpeg() -> bytes:
    """Stored 640x480, shown 480x640: EXIF orientation 6 (turn 90 degrees)."""
    image = Image.open(io.BytesIO(small_photo_bytes(8)))
    exif = image.getexif()
    exif[0x0112] = 6
    return jpeg_bytes(image, exif=exif, quality=90)


def detailed_photo(seed: int, width: int, height: int) -> Image.Image:
    """A landscape with what makes real photographs hard to thumbnail alike.

    make_photo's scene and sensor grain, plus a band of foliage-like texture
    (detail one to two pixels across) and thin sharp lines, bright and dark,
    like wires, text or branches against the sky. Smooth pictures hide a
    resize that is off by a fraction of a pixel; these do not.
    """
    pixels = np.asarray(make_photo(seed, width, height), dtype=np.float32).copy()
    rng = np.random.default_rng(seed)
    band = slice(height * 2 // 3, height)
    rows = height - height * 2 // 3
    coarse = rng.standard_normal((rows // 2 + 1, width // 2 + 1), dtype=np.float32)
    leaves = Image.fromarray(coarse, mode="F").resize(
        (width, rows), Image.Resampling.BILINEAR
    )
    pixels[band] += (np.asarray(leaves) * 24)[..., None]
    pixels[band] += rng.standard_normal((rows, width, 1), dtype=np.float32) * 8
    for _ in range(max(4, (width + height) // 20)):
        x, y = int(rng.integers(0, width)), int(rng.integers(0, height))
        length = int(rng.integers(10, max(11, min(width, height) // 3)))
        thickness = int(rng.integers(1, 4))
        shade = 235 if rng.random() < 0.5 else 20
        if rng.random() < 0.5:
            pixels[y : y + thickness, x : x + length] = shade
        else:
            pixels[y : y + length, x : x + thickness] = shade
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="RGB")


def encoded(image: Image.Image, format: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format, **options)
    return buffer.getvalue()


def orientation_exif(orientation: int | None) -> Image.Exif:
    """An EXIF block with a camera's make, and orientation if given."""
    exif = Image.Exif()
    exif[0x010F] = "Camera"
    if orientation is not None:
        exif[0x0112] = orientation
    return exif


def orientation_xmp(orientation: int) -> bytes:
    """An XMP packet giving tiff:Orientation, as photo editors write it."""
    return (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description xmlns:tiff="http://ns.adobe.com/tiff/1.0/" '
        b'tiff:Orientation="%d"/></rdf:RDF></x:xmpmeta>' % orientation
    )


def mpo(image: Image.Image, orientation: int) -> bytes:
    """A phone camera's MPO: the photo, then a second image (here half size)."""
    second = image.resize((image.width // 2, image.height // 2))
    return encoded(
        image,
        "MPO",
        save_all=True,
        append_images=[second],
        exif=orientation_exif(orientation),
        quality=90,
    )


def animation(image: Image.Image, format: str, **options) -> bytes:
    """Two frames: image, then image upside down."""
    return encoded(
        image,
        format,
        save_all=True,
        append_images=[image.transpose(Image.Transpose.ROTATE_180)],
        duration=100,
        loop=0,
        **options,
    )


def with_alpha(image: Image.Image) -> Image.Image:
    """image with a transparency that fades left to right and a clear hole."""
    alpha = Image.linear_gradient("L").rotate(90).resize(image.size)
    hole = (image.width // 4, image.height // 4, image.width // 2, image.height // 2)
    alpha.paste(0, hole)
    result = image.copy()
    result.putalpha(alpha)
    return result


def transparent_palette(image: Image.Image) -> Image.Image:
    """image in 255 colours with index 255 transparent, over a hole."""
    palette = image.convert("RGB").quantize(255)
    palette.paste(
        255, (image.width // 4, image.height // 4, image.width // 2, image.height // 2)
    )
    palette.info["transparency"] = 255
    return palette


def sixteen_bit(image: Image.Image) -> Image.Image:
    """image's grey as 16-bit, all 65536 levels used."""
    grey = np.asarray(image.convert("L"), dtype=np.uint16) * 257
    return Image.fromarray(grey.astype("<u2"))


def strokes(seed: int, width: int, height: int) -> Image.Image:
    """Black pen strokes on white in mode "1", like a scanned page of writing.

    Letter-sized tangles of lines two pixels wide, in rows a line of text
    apart: two levels only, and an edge every few pixels.
    """
    rng = np.random.default_rng(seed)
    page = Image.new("1", (width, height), 1)
    draw = ImageDraw.Draw(page)
    for top in range(10, height - 20, 18):
        left = 10
        while left < width - 20:
            for _ in range(3):
                x0, y0, x1, y1 = (int(v) for v in rng.integers(0, 12, 4))
                draw.line((left + x0, top + y0, left + x1, top + y1), fill=0, width=2)
            left += int(rng.integers(10, 16))
    return page


def line_art(seed: int, width: int, height: int) -> Image.Image:
    """A drawing in black lines and circles one to three pixels wide on white,
    in mode "1"."""
    rng = np.random.default_rng(seed)
    drawing = Image.new("1", (width, height), 1)
    draw = ImageDraw.Draw(drawing)
    for _ in range(max(40, (width + height) // 10)):
        x, y = int(rng.integers(0, width)), int(rng.integers(0, height))
        dx, dy = (int(rng.integers(-side // 4, side // 4)) for side in (width, height))
        draw.line((x, y, x + dx, y + dy), fill=0, width=int(rng.integers(1, 4)))
    for _ in range(max(6, (width + height) // 70)):
        x, y = int(rng.integers(0, width)), int(rng.integers(0, height))
        radius = int(rng.integers(5, max(6, width // 10)))
        box = (x - radius, y - radius, x + radius, y + radius)
        draw.ellipse(box, outline=0, width=int(rng.integers(1, 3)))
    return drawing


def two_colour_palette(image: Image.Image) -> Image.Image:
    """A mode "1" image as a two-entry palette, black and white, white transparent."""
    palette = image.convert("L").point(lambda value: value // 255).convert("P")
    palette.putpalette([0, 0, 0, 255, 255, 255])
    palette.info["transparency"] = 1
    return palette


def stencilled(image: Image.Image) -> Image.Image:
    """image cut out by a stencil of strokes: opaque where the pen went,
    clear elsewhere; an alpha of two levels over a photo's colours."""
    stencil = strokes(image.width, image.width, image.height)
    result = image.convert("RGB")
    result.putalpha(stencil.convert("L").point(lambda value: 255 - value))
    return result
