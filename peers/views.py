from django.conf import settings
from django.shortcuts import render

from peers import TITLES, library
from photos.models import Photo


def index(request):
    """Every photo with every alias made by the peer PEER names."""
    thumbnail_urls = library().thumbnail_urls
    photos = [(photo, thumbnail_urls(photo.photo)) for photo in Photo.objects.all()]
    return render(
        request, "peers/index.html", {"photos": photos, "peer": TITLES[settings.PEER]}
    )
