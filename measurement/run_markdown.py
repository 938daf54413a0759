"""What the reports of the queue and load scenarios share: their opening
paragraph, load_photos' line, and the versions and switches."""

from measurement.report_markdown import database_name, duration, megabytes, rss_change


def opening(report: dict, title: str) -> list[str]:
    meta = report["metadata"]
    photos, machine, switches = meta["photos"], meta["machine"], meta["switches"]
    dimensions = ", ".join(
        f"{d['count']} of {d['width_pixels']}x{d['height_pixels']}"
        for d in photos["dimensions"]
    )
    load = report["scenarios"]["load"]
    return [
        f"# {title}",
        "",
        f"Measured {meta['created_utc']} on {machine['platform']}, {machine['cores']} "
        f"cores, {megabytes(machine['memory_bytes'])}: {photos['count']} photos, "
        f"{megabytes(photos['total_bytes'])} in all ({dimensions}); storage "
        f"{switches['storage']}, database {database_name(meta['database'])}, "
        f"DEBUG {'on' if switches['debug'] else 'off'}, "
        f"{'the fix (THUMBNAIL_FIX=1)' if switches['fix'] else 'stock easy-thumbnails'}. "
        f"The whole run took {report['seconds']:.1f} s.",
        "",
        f"load_photos: {duration(load['seconds'])}, RSS {rss_change(load)}.",
    ]


def versions_and_switches(report: dict, versions: dict) -> list[str]:
    meta = report["metadata"]
    return [
        "## Versions and switches",
        "",
        "| | |",
        "|---|---|",
        *(f"| {name} | {value} |" for name, value in meta["versions"].items()),
        *(f"| {name} | {value} |" for name, value in versions.items()),
        *(f"| switch `{name}` | {value} |" for name, value in meta["switches"].items()),
        "",
    ]
