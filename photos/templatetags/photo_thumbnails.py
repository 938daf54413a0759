from django import template
from django.db import connection
from django.utils.html import format_html

from photos import broken_photos, page_costs

register = template.Library()


@register.filter
def photo_thumbnail_url(field_file, alias):
    """Like easy-thumbnails' thumbnail_url, but a photo that cannot be shown is
    marked (``field_file.broken_reason``) and its error logged once."""
    return broken_photos.thumbnail_url(field_file, alias)


@register.simple_tag
def page_costs_line(photos: int, aliases: int) -> str:
    """What this page should cost, stock and with the fix, for its photos and
    aliases: the context for the figures above it."""
    stock = page_costs.stock_queries(photos, aliases, connection.vendor)
    return format_html(
        '<p id="page-costs">What a page of {} photo{} and {} aliases costs: '
        "stock easy-thumbnails {} SQL queries when none of its thumbnails exist "
        "yet (and a HEAD, a GET of the whole original, a DELETE and a PUT to S3 "
        "per thumbnail), {} when all do; with the fix (THUMBNAIL_FIX=1) at most "
        "{} when none exist, whatever the photo count, and {} with no S3 request "
        "when all do. In 2013 the page of {} photos cost {} and {}. "
        "<code>make reproduce</code> measures both.</p>",
        photos,
        "" if photos == 1 else "s",
        aliases,
        stock["cold"],
        stock["warm"],
        page_costs.COLD_QUERIES_MAX[connection.vendor],
        page_costs.WARM_QUERIES_MAX,
        page_costs.PHOTOS_2013,
        page_costs.QUERIES_2013["cold"],
        page_costs.QUERIES_2013["warm"],
    )
