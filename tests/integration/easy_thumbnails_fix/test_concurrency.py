"""Many requests and commands at once, in threads of one server and across
server processes: with the fix each thumbnail is made once; stock makes
thumbnails over again, and each still ends as one row and one object."""

import os
import subprocess
import sys
import threading
import urllib.request

import pytest

from tests.conftest import REPO_ROOT, run_manage
from tests.site_process import get, running_site, served_by

pytestmark = pytest.mark.every_database

ALIASES_COUNT = 9
THUMBNAILS_COUNT = 3 * ALIASES_COUNT


@pytest.fixture(params=["stock", "fix"])
def mode(request):
    return request.param


@pytest.fixture
def site_env(site_env, mode):
    """The site's subprocesses, stock or with the fix on."""
    return {**site_env, "THUMBNAIL_FIX": "1" if mode == "fix" else "0"}


def made_as_expected(counts: dict, mode: str, generate: bool = False) -> bool:
    """The fix: each thumbnail PUT once, each original GET once, nothing
    DELETEd. Stock takes no lock, so makers that look at the same moment all
    make what they find missing: more PUTs than thumbnails, each after a
    DELETE of its name (how many varies from run to run).

    With generate, a command fetched originals ahead (peers.read_ahead_generation)
    beside another maker, which may make a photo the command fetched: that
    original is fetched twice. Never the first photo, which no command
    fetches ahead, nor twice one photo: at most 2 more GETs of 3 photos."""
    if mode == "stock":
        return counts.get("PUT", 0) > THUMBNAILS_COUNT and counts.get("DELETE", 0) > 0
    fetched_twice_at_most = 2 if generate else 0
    return (counts.get("PUT"), counts.get("DELETE", 0)) == (
        THUMBNAILS_COUNT,
        0,
    ) and 3 <= counts.get("GET", 0) <= 3 + fetched_twice_at_most


def start_generate(env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "generate_all_thumbnail_aliases"],
        cwd=REPO_ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def rows(env):
    """(Source names, Thumbnail (source, name) pairs) in the site's database."""
    out, err, code = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from easy_thumbnails.models import Source, Thumbnail\n"
        "for name in Source.objects.values_list('name', flat=True): print('S', name)\n"
        "for source, name in Thumbnail.objects.values_list('source__name', 'name'):\n"
        "    print('T', source, name)",
        env=env,
    )
    assert code == 0, err
    lines = [line.split(" ", 1) for line in out.splitlines()]
    return (
        [rest for kind, rest in lines if kind == "S"],
        [rest for kind, rest in lines if kind == "T"],
    )


def test_eight_simultaneous_cold_requests(
    site_env, site_server, bucket, photo_dir, mode
):
    _, err, code = run_manage("load_photos", str(photo_dir), env=site_env)
    assert code == 0, err
    bucket.reset_request_counts()
    start = threading.Barrier(8)
    responses = [None] * 8

    def get(number):
        start.wait()
        with urllib.request.urlopen(f"{site_server}/", timeout=120) as response:
            responses[number] = (response.status, response.read().decode())

    threads = [threading.Thread(target=get, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [status for status, _ in responses] == [200] * 8
    for _, html in responses:
        assert html.count(" data-alias=") == 3 * ALIASES_COUNT
        assert 'class="broken"' not in html
    sources, thumbnails = rows(site_env)
    assert len(sources) == len(set(sources)) == 3
    assert len(thumbnails) == len(set(thumbnails)) == 3 * ALIASES_COUNT
    assert made_as_expected(bucket.request_counts(), mode)
    assert len(bucket.object_keys()) == 3 + THUMBNAILS_COUNT


def test_cold_requests_over_four_gunicorn_workers_and_a_generate(
    site_env, bucket, photo_dir, tmp_path, mode
):
    """Eight cold pages served by four worker processes, and
    generate_all_thumbnail_aliases at the same time. With the fix each
    thumbnail is made once, and every page, checked against the bucket as
    soon as it arrives, shows only objects that are stored. Stock's pages may
    show an object another maker has just DELETEd to store it again."""
    _, err, code = run_manage("load_photos", str(photo_dir), env=site_env)
    assert code == 0, err
    log_path = tmp_path / "gunicorn.log"
    # Sync workers take one page each at a time, so the eight pages are spread
    # over the four processes (make serve's threads could serve them in one).
    with running_site(
        site_env,
        log_path,
        server="gunicorn",
        workers=4,
        gunicorn_args=["--worker-class", "sync", "--threads", "1"],
    ) as url:
        bucket.reset_request_counts()
        start = threading.Barrier(9)
        pages = [None] * 8

        def load(number):
            start.wait()
            status, html = get(f"{url}/", timeout=180)
            not_stored = set(bucket.keys_shown(html)) - set(bucket.object_keys())
            pages[number] = (status, html, not_stored)

        threads = [threading.Thread(target=load, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        start.wait()
        generate = start_generate(site_env)
        out, err = generate.communicate(timeout=300)
        for thread in threads:
            thread.join()

    for status, html, not_stored in pages:
        assert status == 200
        assert html.count(" data-alias=") == THUMBNAILS_COUNT
        assert 'class="broken"' not in html
        if mode == "fix":
            assert not_stored == set()
    assert (generate.returncode, err) == (0, "")
    assert "Generated all aliases of 3 photos" in out
    assert len(set(served_by(log_path))) == 4
    sources, thumbnails = rows(site_env)
    assert len(sources) == len(set(sources)) == 3
    assert len(thumbnails) == len(set(thumbnails)) == THUMBNAILS_COUNT
    assert made_as_expected(bucket.request_counts(), mode, generate=True)
    assert len(bucket.object_keys()) == 3 + THUMBNAILS_COUNT


def test_two_generate_commands_at_once(site_env, bucket, photo_dir, mode):
    _, err, code = run_manage("load_photos", str(photo_dir), env=site_env)
    assert code == 0, err
    bucket.reset_request_counts()
    commands = [start_generate(site_env) for _ in range(2)]
    results = [command.communicate(timeout=300) for command in commands]

    for command, (out, err) in zip(commands, results, strict=True):
        assert (command.returncode, err) == (0, "")
        assert "Generated all aliases of 3 photos" in out
    sources, thumbnails = rows(site_env)
    assert len(sources) == len(set(sources)) == 3
    assert len(thumbnails) == len(set(thumbnails)) == 3 * ALIASES_COUNT
    names = sorted(thumbnail.split(" ")[1] for thumbnail in thumbnails)
    assert bucket.object_keys() == sorted(names + sources)
    assert made_as_expected(bucket.request_counts(), mode, generate=True)
    # No row was left older than its source: a third run finds all made.
    bucket.reset_request_counts()
    _, err, code = run_manage("generate_all_thumbnail_aliases", env=site_env)
    assert (code, err) == (0, "")
    assert bucket.request_counts().get("PUT", 0) == 0
