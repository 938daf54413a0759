from django.apps import AppConfig
from django.conf import settings


class PhotosConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "photos"

    def ready(self):
        from PIL import Image

        # Pillow refuses images over twice this many pixels anywhere in the
        # process, thumbnailing included: a bomb that got into the bucket by
        # another way still cannot take the site's memory.
        Image.MAX_IMAGE_PIXELS = settings.PHOTO_MAX_PIXELS
