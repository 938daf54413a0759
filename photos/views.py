from django.shortcuts import render
from easy_thumbnails.alias import aliases
from easy_thumbnails_fix import thumbnail_page

from .models import Photo


def index(request):
    """Every photo with every thumbnail alias: the page of easy-thumbnails #230."""
    # With THUMBNAIL_FIX on: the page's Source and Thumbnail rows in two queries.
    with thumbnail_page(Photo.objects.all(), "photo") as photos:
        return render(
            request,
            "photos/index.html",
            {"photos": photos, "alias_names": list(aliases.all())},
        )
