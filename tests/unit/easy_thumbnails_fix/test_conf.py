"""The fix's settings: THUMBNAIL_FIX read once, read again when it changes, and
a value it cannot use named with what to write instead."""

import subprocess
import sys
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured
from easy_thumbnails_fix import DEFAULT_PARTS, PARTS, conf, enabled_parts, is_enabled


def test_off_by_default(settings):
    """Without the setting, stock easy-thumbnails: no part is on."""
    del settings.THUMBNAIL_FIX

    assert enabled_parts() == frozenset()
    assert is_enabled() is False


def test_true_turns_on_every_part_but_vips_decode(settings):
    """libvips is opted into by naming it: True keeps Pillow."""
    settings.THUMBNAIL_FIX = True

    assert enabled_parts() == DEFAULT_PARTS == frozenset(PARTS) - {"vips_decode"}
    assert is_enabled("vips_decode") is False


def test_vips_decode_is_turned_on_by_naming_it_beside_the_others(settings):
    settings.THUMBNAIL_FIX = [*DEFAULT_PARTS, "vips_decode"]

    assert enabled_parts() == frozenset(PARTS)


def test_vips_decode_without_draft_decode_is_named(settings):
    settings.THUMBNAIL_FIX = ["read_once", "vips_decode"]

    with pytest.raises(ImproperlyConfigured) as raised:
        is_enabled()

    assert str(raised.value) == (
        "THUMBNAIL_FIX names vips_decode without draft_decode: add "
        "'draft_decode' to the list."
    )


def test_vips_decode_without_pyvips_says_what_to_install(settings):
    settings.THUMBNAIL_FIX = ["draft_decode", "vips_decode"]

    with (
        mock.patch("importlib.util.find_spec", return_value=None),
        pytest.raises(ImproperlyConfigured) as raised,
    ):
        is_enabled()

    assert str(raised.value) == (
        "THUMBNAIL_FIX names vips_decode, which needs pyvips: "
        'pip install "easy-thumbnails-fix[vips]", or leave vips_decode out.'
    )


def test_a_list_turns_on_only_its_parts(settings):
    settings.THUMBNAIL_FIX = ["read_once", "draft_decode"]

    assert is_enabled() is True
    assert is_enabled("read_once") is True
    assert is_enabled("row_cache") is False


def test_the_switch_is_read_once(settings):
    """Between changes Django announces, the parts are not read again."""
    from django.conf import settings as django_settings

    settings.THUMBNAIL_FIX = True
    assert is_enabled() is True
    # Set behind Django's back: no setting_changed, so the cached answer stays.
    django_settings.THUMBNAIL_FIX = False
    assert is_enabled() is True


def test_a_change_django_announces_is_followed(settings):
    settings.THUMBNAIL_FIX = True
    assert is_enabled() is True

    settings.THUMBNAIL_FIX = False

    assert is_enabled() is False


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            ["read_once", "fast"],
            "THUMBNAIL_FIX names unknown parts ['fast']: use True, False or a list "
            "of some of read_once, draft_decode, row_cache, no_delete, upload_beside, "
            "storage_hash, pinned_mmap, vips_decode.",
        ),
        (
            "read_once",
            "THUMBNAIL_FIX is 'read_once': use True, False or a list of some of "
            "read_once, draft_decode, row_cache, no_delete, upload_beside, "
            "storage_hash, pinned_mmap, vips_decode.",
        ),
        (
            2,
            "THUMBNAIL_FIX is 2: use True, False or a list of some of read_once, "
            "draft_decode, row_cache, no_delete, upload_beside, storage_hash, "
            "pinned_mmap, vips_decode.",
        ),
    ],
    ids=["unknown part", "a string", "a number"],
)
def test_a_value_it_cannot_use_is_named(value, message, settings):
    settings.THUMBNAIL_FIX = value

    with pytest.raises(ImproperlyConfigured) as raised:
        is_enabled()

    assert str(raised.value) == message


def test_every_setting_has_its_docstring():
    """As easy-thumbnails documents its own: the text after each setting."""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(conf.Settings))
    body = tree.body[0].body
    names = [
        node.targets[0].id
        for node in body
        if isinstance(node, ast.Assign) and node.targets[0].id.isupper()
    ]
    documented = [
        node.targets[0].id
        for node, after in zip(body, body[1:], strict=False)
        if isinstance(node, ast.Assign)
        and isinstance(after, ast.Expr)
        and isinstance(after.value, ast.Constant)
    ]
    assert names == documented == ["THUMBNAIL_FIX", "THUMBNAIL_FIX_CACHE"]


def test_the_parts_are_read_without_django_set_up(tmp_path):
    """The measuring code lists the parts before any settings exist."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import easy_thumbnails_fix; print(','.join(easy_thumbnails_fix.PARTS))",
        ],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.strip() == ",".join(PARTS)
