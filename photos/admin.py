from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html

from . import broken_photos
from .image_checks import STORED_TYPES, BadPhoto, check_photo, name_for_format
from .models import Photo
from .queueing import queue_on_commit, queues_on_upload
from .storage_check import StorageUnavailable, check_photo_storage


class PhotoUploadField(forms.FileField):
    """A file that passes check_photo: an image type, within the limits, whole.

    Django's ImageField would turn a decompression bomb or an unknown format
    into one generic message, and accepts a truncated JPEG.
    """

    widget = forms.ClearableFileInput(
        attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}
    )

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        try:
            photo = check_photo(upload, upload.size)
        except BadPhoto as error:
            raise ValidationError(
                "%(name)s: %(reason)s.",
                code="bad_photo",
                params={"name": upload.name, "reason": error},
            ) from None
        # Stored as what it is, whatever its name and the type the browser
        # sent: a JPEG named .html would otherwise be served as a web page.
        upload.typed_name = upload.name
        upload.name = name_for_format(upload.name, photo.format)
        upload.content_type = STORED_TYPES[photo.format].content_type
        return upload


class PhotoForm(forms.ModelForm):
    photo = PhotoUploadField(
        help_text="A JPEG, PNG, GIF or WebP image.",
    )

    class Meta:
        model = Photo
        fields = ["photo", "original_name"]

    def clean_photo(self):
        photo = self.cleaned_data["photo"]
        if photo and not getattr(photo, "_committed", False):
            # A new upload: say now if it cannot be stored, rather than
            # failing the save with a server error.
            try:
                check_photo_storage()
            except StorageUnavailable as error:
                raise ValidationError(str(error), code="storage_unavailable") from None
        return photo

    def clean(self):
        cleaned_data = super().clean()
        photo = cleaned_data.get("photo")
        if not cleaned_data.get("original_name") and hasattr(photo, "typed_name"):
            # The name the user gave, though it is stored under another suffix.
            cleaned_data["original_name"] = photo.typed_name
        return cleaned_data


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    form = PhotoForm
    list_display = ["id", "thumbnail", "original_name", "uploaded_at"]
    list_display_links = ["id", "thumbnail"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "photo" in form.changed_data and queues_on_upload():
            queue_on_commit(obj.pk, lambda message: messages.warning(request, message))

    @admin.display(description="Thumbnail")
    def thumbnail(self, photo):
        url = broken_photos.thumbnail_url(photo.photo, "admin_thumbnail_small")
        if not url:
            return format_html(
                '<span class="broken">Cannot be shown: {}.</span>',
                photo.photo.broken_reason,
            )
        return format_html('<img src="{}" alt="{}">', url, photo)
