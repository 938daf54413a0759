"""The Pillow and libvips floors make the same nine thumbnails, each from one decode."""

import io

import pytest
from PIL import Image

from measurement.metadata import project_aliases
from measurement.studies.floors import geometry
from measurement.studies.floors import pillow as pillow_floor
from measurement.studies.floors import vips as vips_floor
from photos.sample_photos import make_photo


@pytest.fixture(scope="module")
def camera_photo(tmp_path_factory):
    path = tmp_path_factory.mktemp("floor") / "photo.jpg"
    make_photo(3, 1632, 1224).save(path, "JPEG", quality=90)
    return path


def sizes(thumbnails):
    return [Image.open(io.BytesIO(data)).size for data in thumbnails]


def test_both_floors_make_easy_thumbnails_sizes(camera_photo):
    aliases = project_aliases()
    expected = []
    for alias in aliases:
        resized = geometry.resized_size((1632, 1224), alias)
        box = geometry.crop_box(resized, alias)
        expected.append(resized if box is None else box[2:])
    assert sizes(pillow_floor.make_thumbnails(camera_photo, aliases)) == expected
    assert sizes(vips_floor.make_thumbnails(camera_photo, aliases)) == expected


def test_libvips_thumbnails_look_like_pillows(camera_photo):
    """Same picture, different resamplers: close, not equal."""
    aliases = project_aliases()
    for made_by_pillow, made_by_vips in zip(
        pillow_floor.make_thumbnails(camera_photo, aliases),
        vips_floor.make_thumbnails(camera_photo, aliases),
        strict=True,
    ):
        a = Image.open(io.BytesIO(made_by_pillow)).convert("L")
        b = Image.open(io.BytesIO(made_by_vips)).convert("L")
        difference = sum(
            abs(x - y) for x, y in zip(a.tobytes(), b.tobytes(), strict=True)
        )
        assert difference / len(a.tobytes()) < 8


@pytest.mark.parametrize(
    ("full", "needed", "shrink"),
    [
        ((3264, 2448), (960, 720), 2),
        ((3264, 2448), (400, 300), 8),
        ((3264, 2448), (408, 307), 4),
        ((1000, 800), (960, 720), 1),
    ],
)
def test_shrink_on_load_leaves_at_least_the_largest_alias(full, needed, shrink):
    assert vips_floor.shrink_on_load(full, needed) == shrink


def test_a_floor_prints_its_figures_as_json(camera_photo, capsys):
    import json

    from measurement.commands import main

    assert main(["floor", "--library", "vips", "--photos", "1",
                 str(camera_photo.parent)]) == 0  # fmt: skip
    figures = json.loads(capsys.readouterr().out)
    assert figures["photos_count"] == 1
    assert len(figures["per_photo_seconds"]) == 1


@pytest.mark.parametrize(
    ("draft_gap", "decoded"),
    [
        # large_photo of a 3264x2448 photo is 960x720: half size serves it...
        (1.0, (1632, 1224)),
        # ...but keeps 1.7 pixels per pixel, not 3: the whole photo is decoded.
        (3.0, (3264, 2448)),
    ],
)
def test_the_pillow_floor_drafts_no_closer_than_its_gap(draft_gap, decoded):
    aliases = project_aliases()
    data = io.BytesIO()
    make_photo(5, 3264, 2448).save(data, "JPEG", quality=90)

    image, full_size = pillow_floor.decode(data.getvalue(), aliases, draft_gap)

    assert (image.size, full_size) == (decoded, (3264, 2448))


def test_the_fixs_draft_gap_is_the_one_its_floor_is_measured_at():
    from easy_thumbnails_fix.draft_geometry import DRAFT_GAP

    from measurement.studies.floors import FLOORS

    _, library, args = FLOORS["pillow_floor_draft_gap"]
    assert (library, args) == ("pillow", ("--draft-gap", str(DRAFT_GAP)))


def test_a_draft_gap_below_one_is_refused(camera_photo, capsys):
    from measurement.commands import main

    with pytest.raises(SystemExit) as exit:
        main(
            [
                "floor",
                "--library",
                "vips",
                "--draft-gap",
                "0.5",
                str(camera_photo.parent),
            ]
        )
    assert exit.value.code == 2
    assert "error: --draft-gap must be 1 or more (see" in capsys.readouterr().err


def test_the_libvips_floor_takes_a_draft_gap_too(camera_photo, capsys):
    import json

    from measurement.commands import main

    assert main(["floor", "--library", "vips", "--draft-gap", "3", "--photos", "1",
                 str(camera_photo.parent)]) == 0  # fmt: skip
    assert json.loads(capsys.readouterr().out)["photos_count"] == 1
