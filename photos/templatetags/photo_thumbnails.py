from django import template

from photos import broken_photos

register = template.Library()


@register.filter
def photo_thumbnail_url(field_file, alias):
    """Like easy-thumbnails' thumbnail_url, but a photo that cannot be shown is
    marked (``field_file.broken_reason``) and its error logged once."""
    return broken_photos.thumbnail_url(field_file, alias)
