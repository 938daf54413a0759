"""A photo deleted or replaced anywhere (the admin, its bulk action, the shell,
a queryset's delete()) takes its original, its thumbnails' objects and their
rows with it, once the deletion is committed: a rolled-back one keeps them.

The same in both modes: the fix writes easy-thumbnails' own rows.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from .models import Photo
from .thumbnail_deletion import Deleted, delete_photo_files


def forget_on_commit(storage, name: str) -> None:
    transaction.on_commit(lambda: delete_photo_files(storage, name, Deleted()))


@receiver(pre_save, sender=Photo)
def note_a_replaced_file(sender, instance: Photo, raw=False, **kwargs):
    """The name the row had, when the file is about to change (before the
    new file is uploaded under its own name)."""
    instance.replaced_name = None
    if raw or instance.pk is None:
        return
    stored = (
        Photo.objects.filter(pk=instance.pk).values_list("photo", flat=True).first()
    )
    if stored and stored != instance.photo.name:
        instance.replaced_name = stored


@receiver(post_save, sender=Photo)
def forget_a_replaced_file(sender, instance: Photo, **kwargs):
    if getattr(instance, "replaced_name", None):
        forget_on_commit(instance.photo.storage, instance.replaced_name)


@receiver(post_delete, sender=Photo)
def forget_a_deleted_photos_files(sender, instance: Photo, **kwargs):
    if not getattr(instance, "files_deleted", False) and instance.photo.name:
        forget_on_commit(instance.photo.storage, instance.photo.name)
