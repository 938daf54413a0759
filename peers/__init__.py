"""The peers measured beside easy-thumbnails: sorl-thumbnail and django-imagekit.

Each makes the site's nine aliases (settings.THUMBNAIL_ALIASES: the same
sizes, crop or scale, quality, never upscaling) of every Photo, on its own
page (/peers/) and with its own commands (generate_peer_thumbnails,
delete_peer_thumbnails). One peer at a time, chosen by the PEER setting; with
PEER unset none of this is installed and the site is as it is.
"""

from importlib import import_module

from django.conf import settings

# PEER's values, each with the module that speaks that library.
LIBRARIES = {
    "sorl": "peers.sorl_thumbnail",
    "imagekit": "peers.django_imagekit",
    "imagekit-optimistic": "peers.django_imagekit",
}
TITLES = {
    "sorl": "sorl-thumbnail (cached_db key-value store)",
    "imagekit": "django-imagekit (JustInTime)",
    "imagekit-optimistic": "django-imagekit (Optimistic)",
}


def library():
    """The module of the peer settings.PEER names."""
    return import_module(LIBRARIES[settings.PEER])


def aliases() -> dict[str, dict]:
    """The site's aliases, by name, in the order the site shows them."""
    return dict(settings.THUMBNAIL_ALIASES[""])
