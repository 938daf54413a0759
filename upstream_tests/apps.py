from django.apps import AppConfig


class FixInPlaceConfig(AppConfig):
    """Puts the fix's thumbnailer and field files where easy-thumbnails looks
    its own up, so its tests exercise the fix without being edited."""

    name = "upstream_tests"
    label = "upstream_tests_fix_in_place"

    def ready(self):
        from . import fixed_classes

        fixed_classes.put_in_place()
