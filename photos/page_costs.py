"""What the index page should cost, stock and with the fix: the figures the
page states beside what it did cost, and the ones the reports set today's
beside (2013's) and hold the fix to."""

# From the 2013 README: its index page over 20 photos, cold and warm.
PHOTOS_2013 = 20
QUERIES_2013 = {"cold": 1443, "warm": 483}

# The fix. A warm page: the page's own query; its rows come from the cache.
# A cold page, whatever its photo count: the photos, their Source and
# Thumbnail rows, one INSERT of the rows and one of their sizes, which the
# warm page reads with the rows rather than from S3 (and SQLite's BEGIN; on
# PostgreSQL the maker locks taken, the rows read again under them, the
# locks released).
WARM_QUERIES_MAX = 1
COLD_QUERIES_MAX = {"sqlite": 6, "postgresql": 8}

# Stock, on a page none of whose thumbnails exist yet: per thumbnail three
# SELECTs and the INSERT of its row, a transaction of its own, whose BEGIN is
# a statement on SQLite (counted) and not on PostgreSQL (Django turns
# autocommit off).
STOCK_COLD_QUERIES_PER_THUMBNAIL = {"sqlite": 5, "postgresql": 4}


def stock_queries(photos: int, aliases: int, vendor: str) -> dict[str, int]:
    """Stock's page: the photos' query, then per photo its Source row and
    per alias its thumbnail's queries (cold: made; warm: its row read)."""
    return {
        "cold": 1 + photos * (1 + aliases * STOCK_COLD_QUERIES_PER_THUMBNAIL[vendor]),
        "warm": 1 + photos * (1 + aliases),
    }
