from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe
from easy_thumbnails.alias import aliases

from local_services.s3 import is_local_endpoint, make_command

from .models import Photo
from .page_figures import show_page_figures


# Only GET and HEAD: any other method (TRACE, OPTIONS, POST) would render the
# page and make its thumbnails for a client that asked for none of it.
@require_safe
@show_page_figures
def index(request):
    """Every photo with every thumbnail alias: the page of easy-thumbnails #230."""
    # A plain view: with THUMBNAIL_FIX on, the app easy_thumbnails_fix reads
    # the page's Source and Thumbnail rows in one go (from the cache, checked
    # by this query) and writes the rows of what it makes in one INSERT.
    return render(
        request,
        "photos/index.html",
        {
            "photos": Photo.objects.all(),
            "alias_names": list(aliases.all()),
            "storage": storage_description(),
            "load_photos_command": load_photos_command(),
            "load_folder_command": load_photos_command("your/photos/"),
        },
    )


def storage_description() -> str:
    """Where the photos are, so that a page served on the wrong storage shows it."""
    if settings.PHOTO_STORAGE == "filesystem":
        return f"on local disk in {settings.MEDIA_ROOT}"
    endpoint = settings.AWS_S3_ENDPOINT_URL or "AWS S3"
    return f"on S3 at {endpoint}, bucket {settings.AWS_STORAGE_BUCKET_NAME}"


def load_photos_command(folder: str = "test_photos/") -> str:
    """The command that loads folder into this site: on a local S3 server,
    `make load-photos` with the server's S3_PORT, which points load_photos
    at it as `make run` points the site."""
    if settings.PHOTO_STORAGE == "s3" and is_local_endpoint(
        settings.AWS_S3_ENDPOINT_URL
    ):
        target = (
            "load-photos" if folder == "test_photos/" else f"load-photos DIR={folder}"
        )
        return make_command(target, settings.AWS_S3_ENDPOINT_URL)
    return f".venv/bin/python manage.py load_photos {folder}"
