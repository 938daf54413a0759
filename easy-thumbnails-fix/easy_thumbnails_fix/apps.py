from django.apps import AppConfig


class EasyThumbnailsFixConfig(AppConfig):
    """Listed in INSTALLED_APPS, with THUMBNAIL_FIX = True: everything that
    uses easy-thumbnails goes through the fix, with no change to the site's
    models, views or templates.

    It puts the fix's classes in easy-thumbnails' place (``in_place``), has
    querysets load their objects as peers (``peers``) and makes each request
    a page (``request_page``). Each reads THUMBNAIL_FIX at run time: with it
    off, easy-thumbnails is stock.
    """

    name = "easy_thumbnails_fix"
    verbose_name = "easy-thumbnails fix"

    def import_models(self):
        # While the models are imported, before any app's ready(): the
        # admin's imports every admin module, which may bind easy-thumbnails'
        # names (generate_all_aliases) as they are.
        super().import_models()
        from . import in_place

        in_place.put_in_place()

    def ready(self):
        from . import peers, request_page

        peers.install()
        request_page.connect()
