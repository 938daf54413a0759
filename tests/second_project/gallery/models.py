from django.db import models
from easy_thumbnails.fields import ThumbnailerImageField


class Picture(models.Model):
    image = ThumbnailerImageField(upload_to="pictures/")

    def __str__(self):
        return self.image.name
