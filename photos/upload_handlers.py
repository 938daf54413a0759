"""The first of FILE_UPLOAD_HANDLERS: a file is cut off once it passes
PHOTO_MAX_BYTES, whatever length its request declared, before the handlers
after it (Django's temporary file) are given the chunk that passes it."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

from photos.image_checks import size_text


class PhotoSizeLimitUploadHandler(FileUploadHandler):
    """Counts each file's bytes; one over PHOTO_MAX_BYTES stops the upload
    (the rest of the body unread) and is named in refused, for
    RequestSizeLimitMiddleware to answer 413."""

    def __init__(self, request=None):
        super().__init__(request)
        self.file_bytes = 0
        self.refused = None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.file_bytes = 0

    def receive_data_chunk(self, raw_data, start):
        self.file_bytes += len(raw_data)
        if self.file_bytes > settings.PHOTO_MAX_BYTES:
            self.refused = (
                f"{self.file_name}: the file is over the limit of "
                f"{size_text(settings.PHOTO_MAX_BYTES)} (PHOTO_MAX_BYTES)."
            )
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None
