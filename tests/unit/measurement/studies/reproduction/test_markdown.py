import json

import pytest

from measurement.probes.samples import Sample, SampleWriter
from measurement.report import files
from measurement.stats import growth
from measurement.studies.reproduction import REPORTER
from measurement.studies.reproduction.answer import answer
from photos.units import MB

S3_NONE = {"HEAD": 0, "GET": 0, "PUT": 0, "DELETE": 0, "LIST": 0, "POST": 0}
STATEMENT_KINDS = ["SELECT", "INSERT", "UPDATE", "DELETE"]
TRANSACTION_KINDS = ["BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"]


def by_kind(queries_count, begins, inserts):
    """The SQL statements by kind: BEGINs, INSERTs, the rest SELECTs."""
    kinds = dict.fromkeys([*STATEMENT_KINDS, *TRANSACTION_KINDS, "other"], 0)
    selects = queries_count - begins - inserts
    return {**kinds, "SELECT": selects, "INSERT": inserts, "BEGIN": begins}


def figures(
    seconds, queries_count, s3_requests, rss_mb, phase, begins=0, inserts=0, s3_mb=None
):
    start, peak, end = rss_mb
    get_mb, put_mb = s3_mb or (0, 0)
    s3_bytes = {"get": get_mb * MB, "put": put_mb * MB}
    return {
        "seconds": seconds,
        "queries_count": queries_count,
        "queries_by_kind": by_kind(queries_count, begins, inserts),
        "s3_requests": s3_requests,
        "s3_bytes": s3_bytes,
        "rss_start_bytes": start * MB,
        "rss_peak_bytes": peak * MB,
        "rss_end_bytes": end * MB,
        "checks": {
            "s3_requests_client": s3_requests,
            "s3_bytes_client": s3_bytes,
            "debug_queries_count": queries_count,
            "debug_transactions_count": 0,
            "debug_lock_queries_count": 0,
        },
        "phases": [phase],
    }


def example_report(photos_count=2):
    """A stock run of photos_count photos whose figures are those of 2 (the
    figures are the writer's input, not a measurement)."""
    cold_s3 = {**S3_NONE, "HEAD": 20, "GET": 18, "PUT": 18, "DELETE": 18}
    report = {
        "metadata": {
            "created_utc": "2026-11-27T18:00:00+00:00",
            "versions": {
                "python": "3.11.7",
                "django": "5.2.19",
                "easy_thumbnails": "2.10.1",
            },
            "switches": {
                "photos": 2,
                "photo_dir": "test_photos",
                "debug": True,
                "storage": "s3",
                "fix": False,
            },
            "database": {"vendor": "sqlite", "version": "3.40.1"},
            "photos": {
                "count": photos_count,
                "total_bytes": 4 * MB,
                "dimensions": [
                    {"width_pixels": 3264, "height_pixels": 2448, "count": 2}
                ],
            },
            "machine": {"cores": 2, "memory_bytes": 1024 * MB, "platform": "Linux"},
            "sample_interval_seconds": 0.05,
        },
        "seconds": 20.5,
        "scenarios": {
            "load": {
                **figures(
                    0.5,
                    12,
                    {**S3_NONE, "HEAD": 1, "PUT": 2},
                    (48, 104, 103),
                    {"name": "command", "start_seconds": 0.6, "end_seconds": 1.1},
                    s3_mb=(0, 4),
                ),
                "rss_csv": "rss-load.csv",
            },
            "index": {
                "cold": figures(
                    3.5,
                    93,
                    cold_s3,
                    (57, 142, 138),
                    {"name": "GET / cold", "start_seconds": 1.0, "end_seconds": 4.5},
                    begins=18,
                    inserts=20,
                    s3_mb=(36, 1),
                ),
                "warm": figures(
                    0.1,
                    21,
                    S3_NONE,
                    (138, 139, 110),
                    {"name": "GET / warm", "start_seconds": 5.0, "end_seconds": 5.1},
                ),
                "rss_csv": "rss-index.csv",
            },
            "generate": {
                **figures(
                    3.5,
                    96,
                    {**cold_s3, "HEAD": 21},
                    (50, 150, 150),
                    {"name": "command", "start_seconds": 0.4, "end_seconds": 3.9},
                    s3_mb=(36, 1),
                ),
                "rss_csv": "rss-generate.csv",
                "per_photo": [
                    {
                        "photo_number": 1,
                        "seconds": 2.0,
                        "rss_bytes": 108 * MB,
                        "rss_peak_bytes": 146 * MB,
                        "rss_high_water_bytes": 148 * MB,
                        "queries_count": 49,
                    },
                    {
                        "photo_number": 2,
                        "seconds": 1.5,
                        "rss_bytes": 150 * MB,
                        "rss_peak_bytes": 150 * MB,
                        "rss_high_water_bytes": 151 * MB,
                        "queries_count": 47,
                        "line": {
                            "seconds": 1.42,
                            "rss_bytes": 150 * MB,
                            "queries_count": 47,
                        },
                    },
                ],
            },
        },
    }
    generate = report["scenarios"]["generate"]
    generate.update(growth.fit(generate["per_photo"]))
    report["answer"] = answer(report, aliases_count=9)
    return report


METADATA_JSON = """{
  "metadata": {
    "created_utc": "2026-11-27T18:00:00+00:00",
    "versions": {
      "python": "3.11.7",
      "django": "5.2.19",
      "easy_thumbnails": "2.10.1"
    },
    "switches": {
      "photos": 2,
      "photo_dir": "test_photos",
      "debug": true,
      "storage": "s3",
      "fix": false
    },
    "database": {
      "vendor": "sqlite",
      "version": "3.40.1"
    },
    "photos": {
      "count": 2,
      "total_bytes": 4194304,
      "dimensions": [
        {
          "width_pixels": 3264,
          "height_pixels": 2448,
          "count": 2
        }
      ]
    },
    "machine": {
      "cores": 2,
      "memory_bytes": 1073741824,
      "platform": "Linux"
    },
    "sample_interval_seconds": 0.05
  },
  "seconds": 20.5,
  "scenarios": {
    "load": {
      "seconds": 0.5,
      "queries_count": 12,
"""


@pytest.fixture
def run_dir(tmp_path):
    """A run folder with the watcher's CSV of each scenario."""
    directory = tmp_path / "20261127T180000Z"
    directory.mkdir()
    for name in ("load", "index", "generate"):
        writer = SampleWriter(str(directory / f"rss-{name}.csv"))
        for tenth in range(60):
            t = tenth / 10
            writer.write(
                Sample(1_800_000_000 + t, t, (50 + tenth) * MB, (40 + tenth) * MB)
            )
        writer.close()
    return directory


def test_report_json_is_the_dict_exactly(run_dir):
    """report.json holds the report dict as it is, indented, nothing added."""
    files.write(example_report(), REPORTER, run_dir)
    text = (run_dir / "report.json").read_text()
    assert json.loads(text) == example_report()
    assert text.startswith(METADATA_JSON)
    assert list(json.loads(text)) == ["metadata", "seconds", "scenarios", "answer"]


def test_every_figure_names_its_unit():
    """A number's key ends in its unit, as the project's reports require."""
    units = ("_bytes", "_seconds", "_count", "seconds", "_number", "_pixels")
    # Counts by name, and a switch, are plain numbers by their nature.
    plain = {"cores", "count", "photos", *S3_NONE, *STATEMENT_KINDS, *TRANSACTION_KINDS}
    plain.add("other")
    # The answer's per-photo figures, under the names report.json promises.
    plain |= {"photos_fitted", "cold", "warm", "cold_2013", "warm_2013"}
    # S3 body bytes by kind, as report.json promises them (s3_bytes: get, put).
    plain |= {"get", "put", "originals_downloaded_per_photo"}

    def numeric_keys(value, path=""):
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, int | float) and not isinstance(item, bool):
                    yield key
                yield from numeric_keys(item, f"{path}.{key}")
        elif isinstance(value, list):
            for item in value:
                yield from numeric_keys(item, path)

    unnamed = {
        key
        for key in numeric_keys(example_report())
        if not key.endswith(units) and key not in plain
    }
    assert unnamed == set()


def test_markdown_puts_2013_beside_today(run_dir):
    """With 2013's 20 photos, report.md sets each 2013 figure beside today's."""
    files.write(example_report(photos_count=20), REPORTER, run_dir)
    markdown = (run_dir / "report.md").read_text()
    assert (
        "| | 2013 | today |\n"
        "|---|---|---|\n"
        "| Index page, first load: server RSS | 24.8 MB -> 404.3 MB"
        " | 57.0 MB -> 138.0 MB (peak 142.0 MB) |\n"
        "| Index page, first load: time | 3.2 min | 3.50 s |\n"
        "| Index page, first load: SQL queries | 1443 | 93 |\n"
        "| Index page, reload: SQL queries | 483 | 21 |\n"
        "| generate_all_thumbnail_aliases: RSS | 20 MB -> 220.8 MB"
        " | 50.0 MB -> 150.0 MB (peak 150.0 MB) |\n"
        "| generate_all_thumbnail_aliases: time | 151.84 s | 3.50 s |\n"
        "| load_photos: RSS | never grows | 48.0 MB -> 103.0 MB (peak 104.0 MB) |\n"
    ) in markdown


def test_a_run_of_other_than_20_photos_is_set_beside_2013_per_photo(run_dir):
    """Two photos beside 2013's twenty: times and queries per photo on both
    sides, RSS as measured, and a sentence saying so."""
    files.write(example_report(), REPORTER, run_dir)
    markdown = (run_dir / "report.md").read_text()
    assert (
        "| | 2013 (20 photos) | today (2 photos) |\n"
        "|---|---|---|\n"
        "| Index page, first load: server RSS | 24.8 MB -> 404.3 MB"
        " | 57.0 MB -> 138.0 MB (peak 142.0 MB) |\n"
        "| Index page, first load: time per photo | 9.60 s | 1.75 s |\n"
        "| Index page, first load: SQL queries per photo | 72.2 | 46.5 |\n"
        "| Index page, reload: SQL queries per photo | 24.1 | 10.5 |\n"
        "| generate_all_thumbnail_aliases: RSS | 20 MB -> 220.8 MB"
        " | 50.0 MB -> 150.0 MB (peak 150.0 MB) |\n"
        "| generate_all_thumbnail_aliases: time per photo | 7.59 s | 1.75 s |\n"
        "| load_photos: RSS | never grows | 48.0 MB -> 103.0 MB (peak 104.0 MB) |\n"
        "\n"
        "Today's run had 2 photos, 2013's 20: times and queries are per photo on "
        "both sides; RSS is as measured, over each run's own photos.\n"
    ) in markdown


def test_the_report_opens_with_the_answer_in_words(run_dir):
    """The answer comes before any table, each sentence from a figure of the run."""
    files.write(example_report(), REPORTER, run_dir)
    markdown = (run_dir / "report.md").read_text()
    assert markdown.startswith(
        "# easy-thumbnails issue #230, reproduced\n"
        "\n"
        "## The answer\n"
        "\n"
        "- **Memory: cannot tell from 2 photos.** Whether memory keeps growing "
        "needs 12 photos or more (5 of warm-up, then seven more for a 95% "
        'interval): run `make reproduce ARGS="--photos 20"`.\n'
        "- **Queries**: the index page cost 46.5 SQL queries per photo cold and "
        "10.5 warm; 2013's cost 72.15 and 24.15 per photo (1443 and 483 over 20 "
        "photos).\n"
        "- **S3**: the cold page sent 37 requests per photo (10 HEAD, 9 GET, 9 PUT, "
        "9 DELETE); it downloaded 18.0 MB and uploaded 0.5 MB per photo, 9 times "
        "the photo's original: each alias downloads the whole original.\n"
        "- **Why, and what fixes it**: for each of the 9 aliases, stock reads and "
        "writes a Thumbnail row, downloads and decodes the whole original, and "
        "deletes the thumbnail before uploading it. `THUMBNAIL_FIX = True` "
        "(easy-thumbnails-fix) removes each cause; "
        '`make reproduce ARGS="--compare"` measures it beside stock on these photos, '
        'and `ARGS="--compare --causes"` what each cause costs.\n'
        "\n"
        "Measured 2026-11-27T18:00:00+00:00"
    )
    assert report_answer(example_report()) == {
        "photos_count": 2,
        "aliases_count": 9,
        "fix": False,
        "peer": None,
        "memory": {
            "verdict": "cannot tell",
            "bytes_per_photo": None,
            "ci95_bytes_per_photo": None,
            "photos_count": 2,
            "photos_fitted": 1,
            "warm_up_photos_count": 1,
            "steps": [],
            "method": growth.METHOD,
        },
        "queries_per_photo": {
            "cold": 46.5,
            "warm": 10.5,
            "cold_2013": 72.15,
            "warm_2013": 24.15,
        },
        "s3_per_photo": {**S3_NONE, "HEAD": 10, "GET": 9, "PUT": 9, "DELETE": 9},
        "s3_bytes_per_photo": {"get": 18 * MB, "put": MB // 2},
        "originals_downloaded_per_photo": 9.0,
    }


def report_answer(report):
    return json.loads(files.to_json(report))["answer"]


def test_the_photo_by_photo_table_sets_each_photos_own_line_beside_its_row(run_dir):
    files.write(example_report(), REPORTER, run_dir)
    markdown = (run_dir / "report.md").read_text()
    assert (
        "Memory per photo: **cannot tell from 2 photos (the interval needs 12)**, "
        "from the kernel's high-water mark of RSS as each photo is done; "
        f"{growth.METHOD}."
    ) in markdown
    assert (
        "| 2 | 1.50 | 150.0 MB | 150.0 MB | 151.0 MB | 47 | 1.42 s, 150.0 MB, 47 |"
        in markdown
    )
    assert "The command's own line is measured inside it" in markdown


def test_the_markdown_shows_todays_figures_and_checks(run_dir):
    files.write(example_report(), REPORTER, run_dir)
    markdown = (run_dir / "report.md").read_text()
    assert (
        "| scenario | seconds | SQL queries | S3 HEAD | S3 GET | S3 PUT | S3 DELETE "
        "| S3 LIST | S3 POST | S3 GET MB | S3 PUT MB | RSS start | RSS peak | RSS end |"
    ) in markdown
    assert (
        "| index /, first load (cold) | 3.50 | 93 | 20 | 18 | 18 | 18 | 0 | 0"
        " | 36.0 | 1.0 | 57.0 MB | 142.0 MB | 138.0 MB |"
    ) in markdown
    assert "![RSS over time](memory.png)" in markdown
    assert (
        "- index /, first load (cold): S3 requests: the server's count equals "
        "botocore's, and so do its GET and PUT body bytes; SQL queries: equal to "
        "Django's own query log."
    ) in markdown
    assert "| switch `storage` | s3 |" in markdown


def test_markdown_shows_each_scenarios_statements_by_kind(run_dir):
    """Transaction control apart, so a reader sees how many queries are BEGINs."""
    files.write(example_report(), REPORTER, run_dir)
    markdown = (run_dir / "report.md").read_text()
    assert (
        "| scenario | SQL queries | SELECT | INSERT | UPDATE | DELETE "
        "| transaction control | other |\n"
        "|---|---|---|---|---|---|---|---|\n"
        "| load_photos | 12 | 12 | 0 | 0 | 0 | 0 | 0 |\n"
        "| index /, first load (cold) | 93 | 55 | 20 | 0 | 0 | 18 (BEGIN 18) | 0 |\n"
    ) in markdown
    assert (
        "like any query: each SQLite transaction's BEGIN and the savepoints" in markdown
    )


def test_a_disagreeing_count_is_shown(run_dir):
    report = example_report()
    report["scenarios"]["load"]["checks"]["s3_requests_client"] = {**S3_NONE, "PUT": 3}
    files.write(report, REPORTER, run_dir)
    assert (
        "load_photos: S3 requests DIFFER: server" in (run_dir / "report.md").read_text()
    )


def test_disagreeing_body_bytes_are_shown(run_dir):
    report = example_report()
    report["scenarios"]["generate"]["checks"]["s3_bytes_client"] = {"get": 0, "put": 0}
    files.write(report, REPORTER, run_dir)
    assert (
        "; S3 body bytes DIFFER: server {'get': 37748736, 'put': 1048576}, botocore "
        "{'get': 0, 'put': 0}; SQL queries"
    ) in (run_dir / "report.md").read_text()


def test_latest_gets_the_report_and_samples_only(run_dir, tmp_path):
    """reports/latest/ is replaced by this run's report files, not its database."""
    (run_dir / "db.sqlite3").write_bytes(b"")
    latest = tmp_path / "latest"
    latest.mkdir()
    (latest / "stale.txt").write_text("from an earlier run")
    files.write(example_report(), REPORTER, run_dir, latest)
    assert sorted(p.name for p in latest.iterdir()) == [
        "memory.png",
        "report.json",
        "report.md",
        "rss-generate.csv",
        "rss-index.csv",
        "rss-load.csv",
    ]
    assert (latest / "memory.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_a_simulated_network_is_named_with_its_figures(run_dir):
    from local_services.s3.network import profile

    report = example_report()
    report["metadata"]["network"] = profile("internet").as_report()
    files.write(report, REPORTER, run_dir)
    markdown = (run_dir / "report.md").read_text()

    assert (
        "The whole run took 20.5 s. Network: internet, simulated by the local S3 "
        "server: each request answered after 80 ms, bodies at 15.6 Mbit/s down and "
        "2 Mbit/s up (per connection unlimited down, unlimited up; a link all "
        "connections share, 15.6 Mbit/s down, 2 Mbit/s up).\n"
    ) in markdown
    assert (
        "2013's times were taken over the internet to AWS, today's on the simulated "
        "internet network (above); its counts are those of loopback."
    ) in markdown


def test_on_a_simulated_network_each_scenario_is_set_beside_what_its_bytes_need(
    run_dir,
):
    """So that a reader sees whether the run hid the network or waited for it."""
    from local_services.s3.network import profile

    report = example_report()
    report["metadata"]["network"] = profile("internet").as_report()
    generate = report["scenarios"]["generate"]
    generate["seconds"] = 12.0
    generate["s3_bytes"] = {"get": 19_500_000, "put": 250_000}  # 10 s and 1 s
    files.write(report, REPORTER, run_dir)
    markdown = (run_dir / "report.md").read_text()

    assert "generate_all_thumbnail_aliases 12.0 s against 10.1 s (1.19×)" in markdown
    assert "On the simulated internet network, the bodies alone need" in markdown


def test_loopback_sets_no_network_floor(run_dir):
    from local_services.s3.network import profile

    report = example_report()
    report["metadata"]["network"] = profile("loopback").as_report()
    files.write(report, REPORTER, run_dir)

    assert "the bodies alone need" not in (run_dir / "report.md").read_text()


def test_loopback_is_named_as_not_shaped(run_dir):
    from local_services.s3.network import profile

    report = example_report()
    report["metadata"]["network"] = profile("loopback").as_report()
    files.write(report, REPORTER, run_dir)
    markdown = (run_dir / "report.md").read_text()

    assert (
        "Network: loopback, this machine's own, not shaped: S3 answers as fast as it "
        "can."
    ) in markdown
    assert "`--network internet` simulates a line like 2013's." in markdown
