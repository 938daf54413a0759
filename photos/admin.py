from django.contrib import admin
from django.utils.html import format_html

from .models import Photo


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ["id", "thumbnail", "original_name", "uploaded_at"]
    list_display_links = ["id", "thumbnail"]
    fields = ["photo", "original_name"]

    @admin.display(description="Thumbnail")
    def thumbnail(self, photo):
        return format_html(
            '<img src="{}" alt="{}">',
            photo.photo["admin_thumbnail_small"].url,
            photo,
        )
