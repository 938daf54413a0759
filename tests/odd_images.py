"""Image files of the kinds users point the site at, good and bad."""

import io
import struct
import zlib

from PIL import Image

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
