"""Each cause of stock's cost, how it is switched off alone, and its share of the cost.

A cause is switched off by turning on the one part of the fix that removes it
(THUMBNAIL_FIX=<part>), or DEBUG off for the query log; everything else stays
stock. Its share is what stock saves by that alone, as a part of stock's own
figure. The parts overlap (one decode per photo needs one download per
photo), so the shares need not add up to the whole fix's.
"""

from easy_thumbnails_fix import DEFAULT_PARTS, PARTS

from measurement.stats.counts import total
from measurement.switches import Switches

CAUSES = {
    # vips_decode removes no cause of stock's: it is libvips in Pillow's place.
    **{part: cause for part, cause in PARTS.items() if part in DEFAULT_PARTS},
    "debug": "DEBUG's query log: every query of a process kept in memory",
}
NOTES = {
    "storage_hash": "Changes nothing in these scenarios (each sets the storage "
    "up before hashing), so its row shows the run-to-run noise of time and "
    "memory. It makes delete_thumbnails() delete nothing in a fresh process.",
}
# The figures a share is taken of, each summed over the scenarios named.
MEASURES = {
    "time_seconds": ["index_cold_seconds", "generate_seconds"],
    "memory_peak_bytes": ["index_cold_rss_peak_bytes", "generate_rss_peak_bytes"],
    "queries_count": [
        "index_cold_queries_count",
        "index_warm_queries_count",
        "generate_queries_count",
    ],
    "s3_requests_count": [
        "index_cold_s3_requests",
        "index_warm_s3_requests",
        "generate_s3_requests",
    ],
}


def switches_without(cause: str, switches: Switches) -> Switches:
    """Stock's switches with one cause switched off."""
    if cause == "debug":
        return switches.replace(fix=False, debug=False)
    return switches.replace(fix=(cause,))


def measure_value(columns: dict, keys: list[str]) -> float:
    """A measure of MEASURES: its figures added up."""
    return sum(total(columns[key]) for key in keys)


def shares(stock: dict, fixed: dict, by_cause: dict) -> list[dict]:
    """For each cause: the figures without it, and its saving as a share of stock."""
    rows = []
    for cause, without in by_cause.items():
        row = {"cause": cause, "description": CAUSES[cause], "measures": {}}
        for measure, keys in MEASURES.items():
            before = measure_value(stock, keys)
            after = measure_value(without, keys)
            row["measures"][measure] = {
                "stock": before,
                "without_cause": after,
                "fixed": measure_value(fixed, keys),
                "share_of_stock": round((before - after) / before, 4)
                if before
                else None,
            }
        if cause in NOTES:
            row["note"] = NOTES[cause]
        rows.append(row)
    return rows
