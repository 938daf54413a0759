from django.conf import settings
from django.db import DatabaseError
from django.http import HttpResponse, UnreadablePostError

from photos import storage_status
from photos.database_check import unapplied_migrations_message
from photos.image_checks import size_text
from photos.upload_handlers import PhotoSizeLimitUploadHandler


def refusal(message: str, status: int) -> HttpResponse:
    response = HttpResponse(message, status=status, content_type="text/plain")
    # Set here: CommonMiddleware, which would, comes after.
    response["Content-Length"] = len(response.content)
    return response


class RequestSizeLimitMiddleware:
    """A request whose body may hold more than a photo of PHOTO_MAX_BYTES and
    DATA_UPLOAD_MAX_MEMORY_SIZE of form fields answers 413 from its declared
    Content-Length, before its body is read, whoever sends it; one with a body
    and no length answers 411. A file that passes PHOTO_MAX_BYTES all the same
    is cut off by PhotoSizeLimitUploadHandler, and answers 413 too.

    First in MIDDLEWARE but for the security headers: the CSRF check, the
    first to read a body, comes after it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit_bytes = settings.PHOTO_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            declared_bytes = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared_bytes = 0
        if declared_bytes > limit_bytes:
            return refusal(
                f"The request is {size_text(declared_bytes)}, over the limit of "
                f"{size_text(settings.PHOTO_MAX_BYTES)} for a photo "
                "(PHOTO_MAX_BYTES).",
                status=413,
            )
        if "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            return refusal(
                "The request has no Content-Length: an upload must declare its "
                f"length, at most {size_text(settings.PHOTO_MAX_BYTES)} for a "
                "photo (PHOTO_MAX_BYTES).",
                status=411,
            )
        if request.content_type == "multipart/form-data":
            # Parsed here, so that a file cut off at the limit is answered
            # before any view (or the CSRF check) sees a form without it.
            try:
                request.FILES  # noqa: B018
            except UnreadablePostError:
                return refusal("The request's body stopped arriving.", status=400)
            for handler in request.upload_handlers:
                if isinstance(handler, PhotoSizeLimitUploadHandler) and handler.refused:
                    return refusal(handler.refused, status=413)
        return self.get_response(request)


class StorageStatusMiddleware:
    """Every page knows whether the photo storage answers (request.storage_problem,
    shown at its top), from a check made at most once a minute per process,
    before the view, so that no page's figures hold it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.storage_problem = storage_status.status.problem()
        return self.get_response(request)


class UnmigratedDatabaseMiddleware:
    """A page that fails on a database never migrated answers 503 with the one
    line that says to migrate, not a traceback or a bare 500. Looked into only
    once a page has failed: a working page costs nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DatabaseError):
            return None
        message = unapplied_migrations_message()
        if message is None:
            return None
        return HttpResponse(message, status=503, content_type="text/plain")
