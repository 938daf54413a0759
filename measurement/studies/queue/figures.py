"""The queue scenario's arithmetic: per photo, per pool process, per worker, per run.

Plain functions of the watcher's samples and of what the workers' logs say;
nothing here starts or reads anything.
"""

from measurement.probes.cpu_use import CpuSample
from measurement.probes.samples import Sample
from measurement.stats import growth
from measurement.stats.rss import high_water_after, rss_figures

# The target: 2 worker processes make photos at least this many times
# as fast as 1, on 2 cores, with the fix.
SPEEDUP_TARGET = 1.7


def photo_figures(photo, samples: list[Sample]) -> dict:
    """A photo's figures in the pool process that made it.

    Its working set is the peak while it was made less the RSS as it
    started: what one photo adds on top of where the process was.
    sampled_from_start says whether the process was watched before the photo
    started (a new pool process's watcher needs a moment to start); only
    those photos tell a working set. A pool process that ended before its
    watcher took a sample leaves its photos without memory figures (None).
    """
    timing = {
        "photo_id": photo.photo_id,
        "pid": photo.pid,
        "start_unix_seconds": photo.start_unix_seconds,
        "seconds": round(photo.end_unix_seconds - photo.start_unix_seconds, 3),
        "failed": photo.failed,
    }
    if not samples:
        return {
            **timing,
            **dict.fromkeys(["rss_start_bytes", "rss_peak_bytes", "rss_end_bytes"]),
            "rss_high_water_bytes": None,
            "working_set_bytes": None,
            "sampled_from_start": False,
        }
    figures = rss_figures(samples, photo.start_unix_seconds, photo.end_unix_seconds)
    return {
        **timing,
        **figures,
        # The kernel's high-water mark once the photo is done: growth is
        # fitted to it, as for generate_all_thumbnail_aliases (stats.growth).
        "rss_high_water_bytes": high_water_after(samples, photo.end_unix_seconds),
        "working_set_bytes": figures["rss_peak_bytes"] - figures["rss_start_bytes"],
        "sampled_from_start": samples[0].time_unix_seconds <= photo.start_unix_seconds,
    }


def pool_processes(
    photos: list[dict],
    samples_by_pid: dict[int, list[Sample]],
    max_tasks_per_child: int,
) -> list[dict]:
    """Each pool process that made photos, in order, and why it was replaced.

    A process that made photos and was followed by another was replaced: after
    max_tasks_per_child photos by Celery's task limit, before that by the
    memory cap (its peak RSS had passed it after a photo). The last one was
    not replaced while photos were made.
    """
    pids = list(dict.fromkeys(photo["pid"] for photo in photos))
    processes = []
    for number, pid in enumerate(pids):
        made = sum(1 for photo in photos if photo["pid"] == pid)
        samples = samples_by_pid.get(pid, [])
        if number == len(pids) - 1:
            replaced_by = None
        elif made >= max_tasks_per_child:
            replaced_by = "task limit"
        else:
            replaced_by = "memory cap"
        processes.append(
            {
                "pid": pid,
                "photos_count": made,
                "rss_peak_bytes": max((s.rss_bytes for s in samples), default=None),
                "replaced_by": replaced_by,
            }
        )
    return processes


def worker_figures(
    name: str,
    photos: list[dict],
    processes: list[dict],
    rss_total_peak_bytes: int | None,
) -> dict:
    """A worker instance: its photos, its pool processes, its memory and growth."""
    peaks = [p["rss_peak_bytes"] for p in processes if p["rss_peak_bytes"] is not None]
    return {
        "name": name,
        "photos_count": len(photos),
        "pool_processes_count": len(processes),
        "replacements_count": sum(1 for p in processes if p["replaced_by"]),
        "replaced_by_memory_cap_count": sum(
            1 for p in processes if p["replaced_by"] == "memory cap"
        ),
        "replaced_by_task_limit_count": sum(
            1 for p in processes if p["replaced_by"] == "task limit"
        ),
        "rss_peak_bytes": max(peaks, default=None),
        "rss_total_peak_bytes": rss_total_peak_bytes,
        **growth.fit(photos),
        "pool_processes": processes,
        "per_photo": photos,
    }


def photos_window(photos: list[dict]) -> tuple[float, float]:
    """(start, end) in Unix seconds: the first photo's start, the last one's end."""
    start = min(photo["start_unix_seconds"] for photo in photos)
    end = max(photo["start_unix_seconds"] + photo["seconds"] for photo in photos)
    return start, end


def photos_per_second(photos: list[dict]) -> tuple[float, float]:
    """(seconds, photos per second) from the first photo's start to the last one's end."""
    start, end = photos_window(photos)
    seconds = end - start
    return round(seconds, 3), round(len(photos) / seconds, 3) if seconds else None


def cpu_figures(
    samples: list[CpuSample], start: float, end: float, cores: int
) -> dict | None:
    """Cores busy on average between the first sample at or after start and
    the last at or before end: the whole machine's, the workers' own, and the
    rest (the S3 server, the broker, the run's watchers, anything else)."""
    inside = [s for s in samples if start <= s.time_unix_seconds <= end]
    if len(inside) < 2 or inside[0].machine_busy_seconds is None:
        return None
    first, last = inside[0], inside[-1]
    seconds = last.time_unix_seconds - first.time_unix_seconds
    if seconds <= 0:
        return None
    busy = (last.machine_busy_seconds - first.machine_busy_seconds) / seconds
    workers = (last.processes_seconds - first.processes_seconds) / seconds
    return {
        "seconds": round(seconds, 3),
        "cores": cores,
        "busy_cores": round(busy, 3),
        "workers_cores": round(workers, 3),
        "other_cores": round(busy - workers, 3),
    }


def speedup(runs: list[dict]) -> dict | None:
    """Photos per second of the most workers over the fewest, against the
    target, and the most the machine's cores allow.

    With the fewest workers the machine was busy on some of its cores; each
    photo costs the same CPU with more workers (theirs, the S3 server's, the
    broker's), so more workers can make photos at most cores / busy cores as
    fast, and never more than their count allows.
    """
    if len(runs) < 2:
        return None
    fewest = min(runs, key=lambda run: run["workers_count"])
    most = max(runs, key=lambda run: run["workers_count"])
    ratio = round(most["photos_per_second"] / fewest["photos_per_second"], 2)
    cpu = fewest.get("cpu")
    ceiling = None
    if cpu and cpu["busy_cores"] > 0:
        ceiling = round(
            min(
                most["workers_count"] / fewest["workers_count"],
                cpu["cores"] / cpu["busy_cores"],
            ),
            2,
        )
    return {
        "workers_counts": [fewest["workers_count"], most["workers_count"]],
        "ratio": ratio,
        "target": SPEEDUP_TARGET,
        # The target is for 2 workers over 1.
        "target_applies": [fewest["workers_count"], most["workers_count"]] == [1, 2],
        "target_met": ratio >= SPEEDUP_TARGET,
        "cores_ceiling": ceiling,
    }


def cap_check(runs: list[dict], cap_bytes: int) -> dict:
    """No pool process's peak RSS above the cap plus one photo's working set.

    Celery replaces a pool process after the photo during which its peak
    passed the cap, so a process starts a photo below the cap and can add at
    most one photo's working set. The working set is the largest measured in
    this run, over the photos whose process was watched from their start.
    """
    photos = [
        photo
        for run in runs
        for worker in run["workers"]
        for photo in worker["per_photo"]
        if photo["sampled_from_start"]
    ]
    working_set = max((photo["working_set_bytes"] for photo in photos), default=None)
    peaks = [
        worker["rss_peak_bytes"]
        for run in runs
        for worker in run["workers"]
        if worker["rss_peak_bytes"] is not None
    ]
    peak = max(peaks, default=None)
    limit = None if working_set is None else cap_bytes + working_set
    return {
        "cap_bytes": cap_bytes,
        "working_set_bytes": working_set,
        "working_set_photos_count": len(photos),
        "limit_bytes": limit,
        "rss_peak_bytes": peak,
        "met": None if limit is None or peak is None else peak <= limit,
    }
