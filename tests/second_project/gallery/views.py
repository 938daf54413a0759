from django.shortcuts import render
from easy_thumbnails.alias import aliases
from easy_thumbnails_fix import thumbnail_page

from .models import Picture


def index(request):
    with thumbnail_page(Picture.objects.order_by("pk"), "image") as pictures:
        return render(
            request,
            "gallery/index.html",
            {"pictures": pictures, "aliases": list(aliases.all())},
        )
