from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from photos.views import index

urlpatterns = [
    path("", index, name="index"),
    path("admin/", admin.site.urls),
]

if settings.PHOTO_STORAGE == "filesystem":
    # Only serves files with DEBUG on; S3 serves its own.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

if settings.PEER:
    urlpatterns.append(path("peers/", include("peers.urls")))

if settings.DEBUG_TOOLBAR:
    urlpatterns.append(path("__debug__/", include("debug_toolbar.urls")))
