from django.core.paginator import Paginator
from django.http import JsonResponse
from django.views.generic import ListView
from easy_thumbnails.files import get_thumbnailer

from .models import Picture

PICTURES_PER_PAGE = 100


class PictureList(ListView):
    """A page of pictures, each shown in the three ways templates thumbnail."""

    queryset = Picture.objects.order_by("pk")
    paginate_by = PICTURES_PER_PAGE


def picture_thumbnails(request):
    """The same page of pictures as JSON: each one's "small" thumbnail."""
    paginator = Paginator(Picture.objects.order_by("pk"), PICTURES_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    pictures = []
    for picture in page:
        small = get_thumbnailer(picture.image)["small"]
        pictures.append(
            {"url": small.url, "width": small.width, "height": small.height}
        )
    return JsonResponse({"pictures": pictures})
