from types import SimpleNamespace

from measurement.harness.workers import photos_in_log
from measurement.probes.cpu_use import CpuSample
from measurement.probes.samples import Sample
from measurement.studies.queue import figures as queue_figures
from photos.units import MB


def sample(time_unix_seconds, rss_bytes):
    return Sample(time_unix_seconds, time_unix_seconds - 100.0, rss_bytes, None)


def test_a_photo_in_the_workers_log_runs_from_its_start_to_its_end():
    log = (
        "[2026-11-28 03:13:33,852: INFO/ForkPoolWorker-1] photos.make_photo_thumbnails"
        "[26d5]: Photo #1 (photos/a.jpg): making its thumbnails in process 16159.\n"
        "[2026-11-28 03:13:35,000: INFO/MainProcess] Task photos.make_photo_thumbnails"
        "[ccb7] received\n"
        "[2026-11-28 03:13:37,240: INFO/ForkPoolWorker-1] photos.make_photo_thumbnails"
        "[26d5]: Photo #1 (photos/a.jpg): done.\n"
        "[2026-11-28 03:13:37,274: INFO/ForkPoolWorker-2] photos.make_photo_thumbnails"
        "[ccb7]: Photo #2 (photos/b.jpg): making its thumbnails in process 16170.\n"
    )

    first, second = photos_in_log(log)

    assert (first.photo_id, first.pid, first.failed) == (1, 16159, False)
    assert round(first.end_unix_seconds - first.start_unix_seconds, 3) == 3.388
    assert (second.photo_id, second.pid, second.end_unix_seconds) == (2, 16170, None)


def test_a_photos_working_set_is_its_peak_less_the_rss_it_started_at():
    photo = SimpleNamespace(
        photo_id=7,
        pid=10,
        start_unix_seconds=101.0,
        end_unix_seconds=103.0,
        failed=False,
    )
    samples = [sample(100.0, 90 * MB), sample(102.0, 150 * MB), sample(103.0, 95 * MB)]

    figures = queue_figures.photo_figures(photo, samples)

    assert figures["rss_start_bytes"] == 90 * MB
    assert figures["rss_peak_bytes"] == 150 * MB
    assert figures["working_set_bytes"] == 60 * MB
    assert figures["sampled_from_start"] is True
    late = queue_figures.photo_figures(photo, samples[1:])
    assert late["sampled_from_start"] is False


def photo(pid):
    return {"pid": pid}


def test_pool_processes_replaced_before_the_task_limit_were_replaced_by_the_cap():
    photos = [photo(1), photo(1), photo(2), photo(3), photo(3), photo(4)]
    samples = {1: [sample(100.0, 5 * MB)], 2: [sample(101.0, 7 * MB)]}

    processes = queue_figures.pool_processes(photos, samples, max_tasks_per_child=2)

    assert processes == [
        {
            "pid": 1,
            "photos_count": 2,
            "rss_peak_bytes": 5 * MB,
            "replaced_by": "task limit",
        },
        {
            "pid": 2,
            "photos_count": 1,
            "rss_peak_bytes": 7 * MB,
            "replaced_by": "memory cap",
        },
        {
            "pid": 3,
            "photos_count": 2,
            "rss_peak_bytes": None,
            "replaced_by": "task limit",
        },
        {"pid": 4, "photos_count": 1, "rss_peak_bytes": None, "replaced_by": None},
    ]


def test_the_speedup_is_of_the_most_workers_over_the_fewest():
    runs = [
        {"workers_count": 1, "photos_per_second": 0.5},
        {"workers_count": 2, "photos_per_second": 0.9},
    ]
    assert queue_figures.speedup(runs) == {
        "workers_counts": [1, 2],
        "ratio": 1.8,
        "target": 1.7,
        "target_applies": True,
        "target_met": True,
        "cores_ceiling": None,
    }
    assert queue_figures.speedup(runs[:1]) is None


def cpu_sample(time_unix_seconds, machine_busy_seconds, processes_seconds):
    return CpuSample(time_unix_seconds, machine_busy_seconds, processes_seconds)


def test_cores_busy_are_over_the_samples_inside_the_photos_window():
    samples = [
        cpu_sample(99.0, 0.0, 0.0),  # before the first photo: left out
        cpu_sample(100.5, 10.0, 5.0),
        cpu_sample(102.5, 12.5, 7.0),
        cpu_sample(104.5, 15.0, 9.0),
        cpu_sample(106.0, 40.0, 30.0),  # after the last photo: left out
    ]

    figures = queue_figures.cpu_figures(samples, 100.0, 105.0, cores=2)

    assert figures == {
        "seconds": 4.0,
        "cores": 2,
        "busy_cores": 1.25,
        "workers_cores": 1.0,
        "other_cores": 0.25,
    }
    assert queue_figures.cpu_figures(samples[:2], 100.0, 105.0, cores=2) is None


def test_more_workers_can_be_at_most_cores_over_cores_busy_with_the_fewest_as_fast():
    one = {"workers_count": 1, "photos_per_second": 5.0, "cpu": {"cores": 2}}
    two = {"workers_count": 2, "photos_per_second": 8.0, "cpu": None}

    one["cpu"]["busy_cores"] = 1.25
    assert queue_figures.speedup([one, two])["cores_ceiling"] == 1.6
    # Never more than the count of workers allows, however idle the machine.
    one["cpu"]["busy_cores"] = 0.5
    assert queue_figures.speedup([one, two])["cores_ceiling"] == 2.0


def test_the_cap_check_takes_the_largest_working_set_of_photos_watched_from_their_start():
    def worker(peak, *photos):
        return {"rss_peak_bytes": peak, "per_photo": list(photos)}

    def made(working_set, watched=True):
        return {"working_set_bytes": working_set, "sampled_from_start": watched}

    runs = [
        {"workers": [worker(300 * MB, made(40 * MB), made(90 * MB, watched=False))]},
        {"workers": [worker(250 * MB, made(50 * MB)), worker(200 * MB, made(45 * MB))]},
    ]

    check = queue_figures.cap_check(runs, cap_bytes=256 * MB)

    assert check == {
        "cap_bytes": 256 * MB,
        "working_set_bytes": 50 * MB,
        "working_set_photos_count": 3,
        "limit_bytes": 306 * MB,
        "rss_peak_bytes": 300 * MB,
        "met": True,
    }
    assert queue_figures.cap_check(runs, cap_bytes=200 * MB)["met"] is False


def test_a_workers_growth_is_fitted_to_the_kernels_high_water_mark_as_generates_is():
    """Sampled peaks of short photos rise with how many samples fall in
    them; each photo's high-water mark does not, so growth is fitted to it."""
    photos = []
    for number in range(8):
        start = 100.0 + number
        made = SimpleNamespace(
            photo_id=number,
            pid=10,
            start_unix_seconds=start,
            end_unix_seconds=start + 0.5,
            failed=False,
        )
        # The sampled peak climbs 1 MB a photo; the high-water mark stays.
        samples = [
            Sample(start, 0.0, 90 * MB, None, 200 * MB),
            Sample(start + 0.25, 0.25, (100 + number) * MB, None, 200 * MB),
            Sample(start + 0.5, 0.5, 90 * MB, None, 200 * MB),
        ]
        photos.append(queue_figures.photo_figures(made, samples))

    worker = queue_figures.worker_figures("w", photos, [], None)

    assert [photo["rss_high_water_bytes"] for photo in photos] == [200 * MB] * 8
    assert worker["rss_growth_fitted_to"] == "rss_high_water_bytes"
    assert worker["rss_growth_bytes_per_photo"] == 0
    assert worker["rss_growth"]["steps"] == []
    assert worker["rss_growth_verdict"] == (
        "cannot tell from 8 photos (the interval needs 12)"
    )


def test_a_photo_whose_process_was_never_sampled_has_no_memory_figures():
    """A pool process can end before its watcher's first sample: its photos
    keep their times, and the worker's growth is fitted to the others."""
    unsampled = SimpleNamespace(
        photo_id=1, pid=9, start_unix_seconds=99.0, end_unix_seconds=99.2, failed=False
    )
    photos = [queue_figures.photo_figures(unsampled, [])]
    for number in range(8):
        start = 100.0 + number
        made = SimpleNamespace(
            photo_id=number + 2,
            pid=10,
            start_unix_seconds=start,
            end_unix_seconds=start + 0.5,
            failed=False,
        )
        photos.append(
            queue_figures.photo_figures(
                made, [Sample(start, 0.0, 90 * MB, None, (200 + number) * MB)]
            )
        )

    figures = photos[0]
    assert figures["seconds"] == 0.2
    assert figures["rss_peak_bytes"] is figures["working_set_bytes"] is None
    assert figures["sampled_from_start"] is False
    worker = queue_figures.worker_figures("w", photos, [], None)
    assert worker["photos_count"] == 9
    assert worker["rss_growth_fitted_to"] == "rss_high_water_bytes"
    assert worker["rss_growth_bytes_per_photo"] == 1 * MB
