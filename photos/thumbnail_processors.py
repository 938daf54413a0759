"""An easy-thumbnails processor for the photos stock processors get wrong.

Listed first in THUMBNAIL_PROCESSORS. For an ordinary photo it returns the
image untouched, so the stock pipeline runs as it always did.
"""

from PIL import Image

SIXTEEN_BIT_MODES = {"I;16", "I;16B", "I;16L", "I;16N"}


def first_frame_8_bit(image: Image.Image, **options) -> Image.Image:
    """An animated image's first frame, and 16-bit grey as 32-bit integers.

    easy-thumbnails 2.10 carries every frame of an animated GIF through and
    then cannot save the palette frames as JPEG ("cannot write mode P as
    JPEG"). A 16-bit PNG ("I;16") is converted to RGB by clipping at 255,
    which turns most of it white; as mode "I" the stock colorspace processor
    scales it to 8 bits instead.
    """
    if getattr(image, "n_frames", 1) > 1:
        image.seek(0)
        image = image.copy()
    if image.mode in SIXTEEN_BIT_MODES:
        image = image.convert("I")
    return image
