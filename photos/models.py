import hashlib
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import models
from easy_thumbnails.fields import ThumbnailerImageField

PHOTO_DIRECTORY = "photos/"
MAX_SUFFIX_LENGTH = 10


def photo_upload_to(photo: "Photo", filename: str) -> str:
    """photos/<stem>-<first 8 of sha256>.<ext>.

    The content hash keeps two different photos of the same name apart (S3
    overwrites by default) and makes a re-run after a crash write the same key
    instead of a second object. The stem has no dots, so every object whose
    name starts with "<this name>." is one of its thumbnails.

    A long stem is shortened here, so that the name fits the field: the
    storage would otherwise cut the end of the stem, hash included, and two
    long names alike at the start would overwrite each other's object.
    """
    path = PurePath(filename)
    suffix = path.suffix.lower()[:MAX_SUFFIX_LENGTH]
    tail = f"-{photo.sha256[:8]}{suffix}"
    room = photo._meta.get_field("photo").max_length - len(PHOTO_DIRECTORY) - len(tail)
    stem = path.stem.replace(".", "_")[:room] or "photo"
    return f"{PHOTO_DIRECTORY}{stem}{tail}"


def content_sha256(file) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


class Photo(models.Model):
    # easy-thumbnails' own field, as sites have it: with easy_thumbnails_fix
    # installed, THUMBNAIL_FIX says whether its files are stock's or the fix's.
    photo = ThumbnailerImageField(upload_to=photo_upload_to)
    original_name = models.CharField(
        max_length=255, blank=True, help_text="The file name it was loaded from."
    )
    sha256 = models.CharField(
        max_length=64,
        unique=True,
        editable=False,
        help_text="Content hash: the same photo is never loaded twice.",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.original_name or self.photo.name

    def save(self, *args, **kwargs):
        if self.photo and not self.photo._committed and not self.sha256:
            self.sha256 = content_sha256(self.photo)
        if not self.original_name and self.photo:
            self.original_name = PurePath(self.photo.name).name
        super().save(*args, **kwargs)

    def clean(self):
        if self.photo and not self.photo._committed:
            self.sha256 = content_sha256(self.photo)
            if not self.original_name:
                self.original_name = PurePath(self.photo.name).name
            duplicate = Photo.objects.filter(sha256=self.sha256).exclude(pk=self.pk)
            if duplicate.exists():
                raise ValidationError(
                    {"photo": f"This photo is already loaded as #{duplicate[0].pk}."}
                )
