"""A photo at the default PHOTO_MAX_PIXELS, in its costliest mode, keeps
load_photos and generate_all_thumbnail_aliases under the README's figure of
peak RSS, stock and fixed, measured from outside each process."""

import math
import sys

import pytest
from PIL import Image

from et_issue_example.settings import PHOTO_MAX_PIXELS
from measurement.probes.watcher import watch_command
from photos.units import MB
from tests.conftest import REPO_ROOT

# The README's figure: a photo at the pixel limit stays under it.
PEAK_RSS_LIMIT_BYTES = 600 * MB
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


@pytest.fixture
def photo_at_limit(tmp_path):
    """An RGBA PNG of PHOTO_MAX_PIXELS pixels, one colour: a few hundred KB."""
    side = math.isqrt(PHOTO_MAX_PIXELS)
    folder = tmp_path / "photos"
    folder.mkdir()
    Image.new("RGBA", (side, side), (200, 10, 10, 128)).save(folder / "limit.png")
    return folder


def test_the_default_pixel_limit_decoded_in_the_costliest_mode_fits_the_figure():
    """Twice the decoded image, about what thumbnailing adds to the process,
    leaves room under the figure for the process itself."""
    assert 2 * PHOTO_MAX_PIXELS * WORST_BYTES_PER_PIXEL < PEAK_RSS_LIMIT_BYTES


@pytest.mark.slow
@pytest.mark.server
@pytest.mark.parametrize("fix", ["0", "1"], ids=["stock", "fixed"])
def test_a_photo_at_the_pixel_limit_stays_under_the_figure(
    site_env, photo_at_limit, monkeypatch, fix
):
    """load_photos and generate_all_thumbnail_aliases of an RGBA PNG at the
    default limit each peak under the README's figure."""
    for name, value in {**site_env, "THUMBNAIL_FIX": fix}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("PHOTO_MAX_PIXELS", raising=False)

    load_bytes = peak_rss_bytes("load_photos", str(photo_at_limit))
    generate_bytes = peak_rss_bytes("generate_all_thumbnail_aliases")

    assert load_bytes < PEAK_RSS_LIMIT_BYTES, f"load_photos: {load_bytes / MB:.0f} MB"
    assert generate_bytes < PEAK_RSS_LIMIT_BYTES, (
        f"generate_all_thumbnail_aliases: {generate_bytes / MB:.0f} MB"
    )
