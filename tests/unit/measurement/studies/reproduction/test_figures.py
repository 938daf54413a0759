from measurement.probes.samples import Sample
from measurement.stats import growth
from measurement.studies.reproduction.figures import network_floor_seconds, per_photo
from photos.progress import photo_done_line
from photos.units import MB


def sample(time_unix_seconds, rss_bytes, rss_high_water_bytes=None):
    return Sample(
        time_unix_seconds,
        time_unix_seconds - 100.0,
        rss_bytes,
        None,
        rss_high_water_bytes,
    )


def done(number, total=2):
    """The line generate_all_thumbnail_aliases prints as a photo is done."""
    return photo_done_line(number, total, number, 1.0, 100 * MB, 47)


# What each photo's own line says: measured inside the command.
LINE = {"seconds": 1.0, "rss_bytes": 100 * MB, "queries_count": 47}


def test_per_photo_runs_from_the_previous_line_to_each_photo_line():
    """Each photo's seconds, RSS and queries run from the previous photo's line."""
    records = [
        {"event": "start", "time_unix_seconds": 100.0, "queries_count": 0},
        {
            "event": "line",
            "text": "Loading",
            "time_unix_seconds": 100.5,
            "queries_count": 2,
        },
        {
            "event": "line",
            "text": done(1),
            "time_unix_seconds": 102.0,
            "queries_count": 50,
        },
        {
            "event": "line",
            "text": done(2),
            "time_unix_seconds": 103.5,
            "queries_count": 97,
        },
        {
            "event": "line",
            "text": "Generated all",
            "time_unix_seconds": 103.6,
            "queries_count": 97,
        },
        {"event": "end", "time_unix_seconds": 103.7, "queries_count": 97},
    ]
    samples = [
        sample(100.0, 50 * MB),
        sample(101.0, 140 * MB),
        sample(101.9, 110 * MB),
        sample(103.0, 150 * MB),
        sample(103.4, 111 * MB),
    ]
    assert per_photo(records, samples) == [
        {
            "photo_number": 1,
            "seconds": 2.0,
            "rss_bytes": 110 * MB,
            "rss_peak_bytes": 140 * MB,
            "rss_high_water_bytes": None,
            "queries_count": 50,
            "line": LINE,
        },
        {
            "photo_number": 2,
            "seconds": 1.5,
            "rss_bytes": 111 * MB,
            "rss_peak_bytes": 150 * MB,
            "rss_high_water_bytes": None,
            "queries_count": 47,
            "line": LINE,
        },
    ]


def test_a_photos_high_water_mark_is_the_first_one_taken_once_it_is_done():
    """The high-water mark read after a photo's line holds its peak, even one
    that fell between samples."""
    records = [
        {"event": "start", "time_unix_seconds": 100.0, "queries_count": 0},
        {
            "event": "line",
            "text": done(1),
            "time_unix_seconds": 101.0,
            "queries_count": 6,
        },
        {
            "event": "line",
            "text": done(2),
            "time_unix_seconds": 102.0,
            "queries_count": 12,
        },
    ]
    samples = [
        sample(100.0, 50 * MB, 50 * MB),
        sample(100.9, 60 * MB, 130 * MB),
        sample(101.05, 60 * MB, 131 * MB),
        sample(102.1, 62 * MB, 133 * MB),
    ]
    photos = per_photo(records, samples)
    assert [p["rss_high_water_bytes"] for p in photos] == [131 * MB, 133 * MB]
    assert [p["rss_peak_bytes"] for p in photos] == [60 * MB, 60 * MB]
    assert growth.growth_measure(photos) == "rss_high_water_bytes"


def test_a_failed_photos_line_is_no_photo_done():
    """A photo that failed (its line on stderr) ends no photo's stretch."""
    records = [
        {"event": "start", "time_unix_seconds": 100.0, "queries_count": 0},
        {
            "event": "line",
            "text": "photo 1/2 (#1) photos/a.jpg: failed, it is not an image",
            "time_unix_seconds": 101.0,
            "queries_count": 3,
        },
        {
            "event": "line",
            "text": done(2),
            "time_unix_seconds": 102.0,
            "queries_count": 9,
        },
    ]
    photos = per_photo(records, [sample(100.0, 50 * MB), sample(101.5, 60 * MB)])
    assert [(p["photo_number"], p["seconds"], p["queries_count"]) for p in photos] == [
        (1, 2.0, 9)
    ]


def network(latency=0.08, down=2_000_000.0, up=250_000.0, simulated=True):
    return {
        "latency_seconds": latency,
        "download_bytes_per_second": down,
        "upload_bytes_per_second": up,
        "simulated": simulated,
    }


def test_the_network_floor_is_the_longer_direction_plus_one_latency():
    """Downloads and uploads go opposite ways: they can overlap."""
    downloads_longer = {"get": 40_000_000, "put": 1_000_000}  # 20 s against 4 s
    uploads_longer = {"get": 2_000_000, "put": 1_000_000}  # 1 s against 4 s

    assert network_floor_seconds(downloads_longer, network()) == 20.08
    assert network_floor_seconds(uploads_longer, network()) == 4.08


def test_a_direction_the_network_does_not_limit_costs_nothing():
    assert (
        network_floor_seconds({"get": 40_000_000, "put": 1_000_000}, network(up=None))
        == 20.08
    )


def test_there_is_no_network_floor_without_a_simulated_network_or_a_body():
    moved = {"get": 40_000_000, "put": 1_000_000}

    assert network_floor_seconds(moved, network(simulated=False)) is None
    assert network_floor_seconds(moved, None) is None
    assert network_floor_seconds({"get": 0, "put": 0}, network()) is None
    assert network_floor_seconds(None, network()) is None
