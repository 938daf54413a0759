"""A photo at the default PHOTO_MAX_PIXELS, in its costliest mode, keeps
load_photos, generate_all_thumbnail_aliases and the gunicorn workers that take
its upload in the admin and serve its page under the README's figure of peak
RSS, stock and fixed, measured from outside each process."""

import math
import sys
import urllib.request
from contextlib import contextmanager

import pytest
from PIL import Image

from et_issue_example.settings import PHOTO_MAX_PIXELS
from measurement.probes.watcher import read_high_water, watch_command
from photos.image_checks import PIXEL_COSTS
from photos.units import MB
from tests.conftest import REPO_ROOT, run_manage
from tests.integration.photos.test_upload_size_limit import logged_in_cookies
from tests.site_process import running_site, served_by
from tests.worker_process import wait_for_log

# The README's figure: a photo at the pixel limit stays under it.
PEAK_RSS_LIMIT_BYTES = 640 * MB
# RGBA, the costliest mode measured (docs/site.md#memory-per-photo).
WORST_BYTES_PER_PIXEL = 4


def peak_rss_bytes(*args) -> int:
    """Run manage.py ARGS under the watcher; return its kernel high-water mark."""
    result = watch_command(
        [sys.executable, str(REPO_ROOT / "manage.py"), *args],
        interval=0.05,
        csv_path=None,
        uss=False,
    )
    assert result.returncode == 0
    return max(sample.rss_high_water_bytes for sample in result.samples)


# The costliest photo of each kind the check lets through: an RGBA PNG at the
# limit, and an RGBA WebP at the share of it a WebP may have.
PHOTOS_AT_LIMIT = {
    "png": ("limit.png", 1, {}),
    "webp": ("limit.webp", PIXEL_COSTS["WEBP"], {"lossless": True}),
}


@contextmanager
def gunicorn_worker(env, log_path):
    """Yield (url, pid) of make serve's gunicorn with one worker, new."""
    with running_site(env, log_path, server="gunicorn", workers=1) as url:
        # The worker answered the start's checks of the login page; it logs
        # each answer once sent, maybe after the client has read it.
        wait_for_log(log_path, '"GET /admin/login/ ')
        yield url, served_by(log_path, "/admin/login/")[0]


def delete_thumbnails(env):
    _, err, code = run_manage("delete_photo_thumbnails", "--noinput", env=env)
    assert code == 0, err


def upload_in_admin(url, cookies, path):
    """Add path as a photo through the admin's form, as a browser does, and
    follow the answer to the change list, which shows its thumbnail."""
    boundary = "photo-boundary"
    body = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f"{cookies['csrftoken']}\r\n"
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="photo"; filename="{path.name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + path.read_bytes()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        f"{url}/admin/photos/photo/add/",
        data=body,
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "Referer": f"{url}/admin/photos/photo/add/",
        },
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        assert response.url == f"{url}/admin/photos/photo/", response.url


@pytest.fixture(params=list(PHOTOS_AT_LIMIT))
def photos_at_limit(request, tmp_path):
    """Two RGBA photos of one colour at their pixel limit, a few hundred KB
    at most: a folder of one for load_photos, and one of another colour, a
    photo not yet loaded, for the admin."""
    name, cost, options = PHOTOS_AT_LIMIT[request.param]
    side = math.isqrt(int(PHOTO_MAX_PIXELS / cost))
    folder = tmp_path / "photos"
    folder.mkdir()
    upload_path = tmp_path / name
    for path, colour in ((folder / name, 10), (upload_path, 20)):
        Image.new("RGBA", (side, side), (200, colour, 10, 128)).save(path, **options)
    return folder, upload_path


def test_the_default_pixel_limit_decoded_in_the_costliest_mode_fits_the_figure():
    """Twice the decoded image, about what thumbnailing adds to the process,
    leaves room under the figure for the process itself."""
    assert 2 * PHOTO_MAX_PIXELS * WORST_BYTES_PER_PIXEL < PEAK_RSS_LIMIT_BYTES


@pytest.mark.slow
@pytest.mark.server
@pytest.mark.parametrize("fix", ["0", "1"], ids=["stock", "fixed"])
def test_a_photo_at_the_pixel_limit_stays_under_the_figure(
    site_env, superuser, photos_at_limit, monkeypatch, tmp_path, fix
):
    """An upload in the admin and the cold index page, each in a new gunicorn
    worker, generate_all_thumbnail_aliases and load_photos of an RGBA photo
    at the default limit each peak under the README's figure."""
    env = {**site_env, "THUMBNAIL_FIX": fix}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("PHOTO_MAX_PIXELS", raising=False)

    folder, upload_path = photos_at_limit

    peaks_bytes = {}
    with gunicorn_worker(env, tmp_path / "upload.log") as (url, worker_pid):
        upload_in_admin(url, logged_in_cookies(url), upload_path)
        peaks_bytes["admin upload"] = read_high_water(worker_pid)
    delete_thumbnails(env)
    with gunicorn_worker(env, tmp_path / "page.log") as (url, worker_pid):
        urllib.request.urlopen(f"{url}/", timeout=120).close()
        peaks_bytes["cold page"] = read_high_water(worker_pid)
    delete_thumbnails(env)
    peaks_bytes["generate_all_thumbnail_aliases"] = peak_rss_bytes(
        "generate_all_thumbnail_aliases"
    )
    peaks_bytes["load_photos"] = peak_rss_bytes("load_photos", str(folder))

    over = {name: f"{peak / MB:.0f} MB" for name, peak in peaks_bytes.items()}
    assert all(peak < PEAK_RSS_LIMIT_BYTES for peak in peaks_bytes.values()), over


@pytest.mark.slow
@pytest.mark.server
@pytest.mark.parametrize("fix", ["0", "1"], ids=["stock", "fixed"])
def test_one_threaded_worker_that_takes_the_upload_and_serves_its_page_stays_under_the_figure(
    site_env, superuser, photos_at_limit, monkeypatch, tmp_path, fix
):
    """The same gthread worker takes the upload of a photo at the limit and
    then serves its cold page, on whichever of its threads: what the first
    request freed is given back to the system, so the two do not add up."""
    env = {**site_env, "THUMBNAIL_FIX": fix}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("PHOTO_MAX_PIXELS", raising=False)
    _, upload_path = photos_at_limit

    with gunicorn_worker(env, tmp_path / "site.log") as (url, worker_pid):
        upload_in_admin(url, logged_in_cookies(url), upload_path)
        delete_thumbnails(env)
        urllib.request.urlopen(f"{url}/", timeout=120).close()
        peak_bytes = read_high_water(worker_pid)

    assert peak_bytes < PEAK_RSS_LIMIT_BYTES, f"{peak_bytes / MB:.0f} MB"
