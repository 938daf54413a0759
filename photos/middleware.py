from django.db import DatabaseError
from django.http import HttpResponse

from photos import storage_status
from photos.database_check import unapplied_migrations_message


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
