"""A photo at the default PHOTO_MAX_PIXELS, in its costliest mode, keeps
load_photos, the gunicorn worker that makes its page and
generate_all_thumbnail_aliases under the README's figure of peak RSS, stock
and fixed, measured from outside each process."""

import math
import sys
import urllib.request

import pytest
from PIL import Image

from et_issue_example.settings import PHOTO_MAX_PIXELS
from measurement.probes.watcher import read_high_water, watch_command
from photos.image_checks import PIXEL_SHARES
from photos.units import MB
from tests.conftest import REPO_ROOT, run_manage
from tests.site_process import running_site, served_by

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
# limit, and an RGBA WebP at the half of it a WebP may have.
PHOTOS_AT_LIMIT = {
    "png": ("limit.png", 1, {}),
    "webp": ("limit.webp", PIXEL_SHARES["WEBP"], {"lossless": True}),
}


@pytest.fixture(params=list(PHOTOS_AT_LIMIT))
def photo_at_limit(request, tmp_path):
    """A folder of one RGBA photo of one colour at its pixel limit: a few
    hundred KB at most."""
    name, share, options = PHOTOS_AT_LIMIT[request.param]
    side = math.isqrt(PHOTO_MAX_PIXELS // share)
    folder = tmp_path / "photos"
    folder.mkdir()
    Image.new("RGBA", (side, side), (200, 10, 10, 128)).save(folder / name, **options)
    return folder


def test_the_default_pixel_limit_decoded_in_the_costliest_mode_fits_the_figure():
    """Twice the decoded image, about what thumbnailing adds to the process,
    leaves room under the figure for the process itself."""
    assert 2 * PHOTO_MAX_PIXELS * WORST_BYTES_PER_PIXEL < PEAK_RSS_LIMIT_BYTES


@pytest.mark.slow
@pytest.mark.server
@pytest.mark.parametrize("fix", ["0", "1"], ids=["stock", "fixed"])
def test_a_photo_at_the_pixel_limit_stays_under_the_figure(
    site_env, photo_at_limit, monkeypatch, tmp_path, fix
):
    """load_photos, the cold index page in a gunicorn worker and
    generate_all_thumbnail_aliases of an RGBA photo at the default limit each
    peak under the README's figure."""
    env = {**site_env, "THUMBNAIL_FIX": fix}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("PHOTO_MAX_PIXELS", raising=False)

    peaks_bytes = {"load_photos": peak_rss_bytes("load_photos", str(photo_at_limit))}
    log_path = tmp_path / "gunicorn.log"
    with running_site(env, log_path, server="gunicorn", workers=1) as url:
        urllib.request.urlopen(f"{url}/", timeout=120).close()
        [worker_pid] = served_by(log_path)
        peaks_bytes["cold page"] = read_high_water(worker_pid)
    _, err, code = run_manage("delete_photo_thumbnails", "--noinput", env=env)
    assert code == 0, err
    peaks_bytes["generate_all_thumbnail_aliases"] = peak_rss_bytes(
        "generate_all_thumbnail_aliases"
    )

    over = {name: f"{peak / MB:.0f} MB" for name, peak in peaks_bytes.items()}
    assert all(peak < PEAK_RSS_LIMIT_BYTES for peak in peaks_bytes.values()), over
