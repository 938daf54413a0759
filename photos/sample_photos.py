"""Make photographs for the reproduction when no real ones are at hand.

The 2013 set was 20 Flickr photos of scenic mountains, about 2 MB each. These
are landscapes of a camera's size (3264x2448, an 8 MP phone camera) drawn from
layered noise: sky, clouds, ridges fading into haze, a textured foreground and
sensor grain. They compress like photographs (about 2.2 MB as JPEG quality 90),
which flat colours would not, and the same seed gives the same bytes.
"""

from pathlib import Path

import numpy as np
from PIL import Image

WIDTH = 3264
HEIGHT = 2448
JPEG_QUALITY = 90
GRAIN = 8.5


def _noise(rng: np.random.Generator, cells: tuple[int, int], size: tuple[int, int]):
    """Smooth noise in [0, 1]: a few random values per axis, upscaled bicubically."""
    small = rng.random((cells[1], cells[0]), dtype=np.float32)
    image = Image.fromarray(small, mode="F").resize(size, Image.Resampling.BICUBIC)
    return np.asarray(image)


def _fractal(rng, size, octaves, base_cells):
    total = np.zeros((size[1], size[0]), dtype=np.float32)
    weight = 1.0
    for octave in range(octaves):
        cells = (
            base_cells * 2**octave,
            max(2, base_cells * 2**octave * size[1] // size[0]),
        )
        total += weight * _noise(rng, cells, size)
        weight /= 2
    return total / (2 - weight * 2)


def _ridge(rng, width, base_height, roughness):
    """A mountain skyline: the height in pixels of each column."""
    profile = np.zeros(width, dtype=np.float32)
    amplitude = roughness
    for cells in (3, 7, 17, 41, 97, 233):
        points = rng.random(cells + 1).astype(np.float32) * 2 - 1
        profile += amplitude * np.interp(
            np.linspace(0, cells, width), np.arange(cells + 1), points
        )
        amplitude /= 2.1
    return base_height + profile


def make_photo(seed: int, width: int = WIDTH, height: int = HEIGHT) -> Image.Image:
    rng = np.random.default_rng(seed)
    # The scene is smooth, so it is drawn at half size and enlarged; only the
    # grain needs every pixel. A quarter of the numpy work for the same look.
    scene = _scene(rng, (max(1, width // 2), max(1, height // 2)))
    image = scene.resize((width, height), Image.Resampling.BICUBIC)
    # Sensor grain: what makes a real photo cost 2 MB rather than 200 KB.
    grain = rng.standard_normal((height, width, 3), dtype=np.float32) * GRAIN
    grain += np.asarray(image, dtype=np.float32)
    return Image.fromarray(np.clip(grain, 0, 255).astype(np.uint8), mode="RGB")


def _scene(rng: np.random.Generator, size: tuple[int, int]) -> Image.Image:
    width, height = size
    rows = np.linspace(0, 1, height, dtype=np.float32)[:, None]

    sky_top = rng.uniform([20, 60, 140], [70, 120, 210]).astype(np.float32)
    sky_bottom = rng.uniform([170, 190, 210], [235, 225, 240]).astype(np.float32)
    image = sky_top + (sky_bottom - sky_top) * rows[..., None]
    clouds = np.clip(_fractal(rng, size, 6, 4) * 1.6 - 0.7, 0, 1)[..., None]
    image = image * (1 - clouds * 0.8) + 245 * clouds * 0.8

    columns = np.arange(height, dtype=np.float32)[:, None]
    # One rock texture for every ridge, mirrored per ridge: drawing one each
    # would triple the time for no visible gain.
    texture = _fractal(rng, size, 7, 8)[..., None]
    mirrors = [texture, texture[:, ::-1], texture[::-1], texture[::-1, ::-1]]
    layers = rng.integers(3, 6)
    for layer in range(layers):
        depth = (layer + 1) / layers  # 0 far, 1 near
        skyline = _ridge(
            rng, width, height * (0.35 + 0.35 * depth), height * (0.25 - 0.1 * depth)
        )
        mask = (columns > skyline[None, :])[..., None]
        rock = rng.uniform([40, 45, 40], [110, 105, 95]).astype(np.float32)
        haze = sky_bottom * (1 - depth) * 0.7
        mirrored = mirrors[layer % len(mirrors)]
        colour = (rock * (0.55 + 0.9 * mirrored)) * (0.3 + 0.7 * depth) + haze
        np.copyto(image, colour, where=mask)
    return Image.fromarray(np.clip(image, 0, 255).astype(np.uint8), mode="RGB")


def write_test_photo(directory: Path, seed: int, number: int) -> Path:
    """Write photo-<seed>-<number>.jpg unless it exists; return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"photo-{seed}-{number:03d}.jpg"
    if not path.exists():
        image = make_photo(seed * 100_003 + number)
        # Written aside and renamed, so an interrupted run leaves no half photo.
        partial = path.with_name(path.name + ".part")
        image.save(partial, "JPEG", quality=JPEG_QUALITY)
        partial.replace(path)
    return path
