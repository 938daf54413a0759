from django.shortcuts import render
from easy_thumbnails.alias import aliases

from .models import Photo


def index(request):
    """Every photo with every thumbnail alias: the page of easy-thumbnails #230."""
    return render(
        request,
        "photos/index.html",
        {"photos": Photo.objects.all(), "alias_names": list(aliases.all())},
    )
