"""The settings that run easy-thumbnails' suite with the fix adopted, as a site adopts it."""

import os
import subprocess
import sys
import textwrap

from tests.conftest import REPO_ROOT

CLASSES_BUILT = textwrap.dedent(
    """
    import django
    django.setup()
    from django.core.files.storage import FileSystemStorage
    from easy_thumbnails.files import get_thumbnailer
    from easy_thumbnails.tests.models import TestModel
    from easy_thumbnails_fix.field_file import ThumbnailFix

    model = TestModel(avatar="avatars/a.jpg", picture="pictures/p.jpg")
    built = {
        "storage": get_thumbnailer(FileSystemStorage(), "a.jpg"),
        "name": get_thumbnailer("a.jpg"),
        "field file": model.avatar,
        "image field file": model.picture,
        "field file through get_thumbnailer": get_thumbnailer(model.picture),
    }
    for what, thumbnailer in built.items():
        print(what, isinstance(thumbnailer, ThumbnailFix))
    print("same field file", get_thumbnailer(model.picture) is model.picture)
    """
)


def built_classes(settings_module: str) -> str:
    finished = subprocess.run(
        [sys.executable, "-c", CLASSES_BUILT],
        cwd=REPO_ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": settings_module},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return finished.stdout


def test_easy_thumbnails_builds_the_fixs_thumbnailers_under_the_fixed_settings():
    """Every way easy-thumbnails makes a thumbnailer gives the fix's class, and
    get_thumbnailer still hands a field file back as it is."""
    assert built_classes("upstream_tests.settings") == (
        "storage True\n"
        "name True\n"
        "field file True\n"
        "image field file True\n"
        "field file through get_thumbnailer True\n"
        "same field file True\n"
    )


def test_the_shipped_settings_keep_stocks_classes():
    assert built_classes("easy_thumbnails.tests.settings") == (
        "storage False\n"
        "name False\n"
        "field file False\n"
        "image field file False\n"
        "field file through get_thumbnailer False\n"
        "same field file True\n"
    )
