import warnings

from django.apps import AppConfig
from django.conf import settings


class PhotosConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "photos"

    def ready(self):
        from PIL import Image

        from . import signals  # noqa: F401  (connects the deletes' clean-up)

        # Pillow refuses images over twice this many pixels anywhere in the
        # process, thumbnailing included: a bomb that got into the bucket by
        # another way still cannot take the site's memory.
        Image.MAX_IMAGE_PIXELS = settings.PHOTO_MAX_PIXELS
        # easy-thumbnails tries its SVG generator whenever Pillow gets no
        # image, and warns each time that its SVG library is not installed:
        # this site has no SVGs, and the real cause is reported instead.
        warnings.filterwarnings(
            "ignore", message="Could not import VIL", category=UserWarning
        )
