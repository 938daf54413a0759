"""The floors, each in a process of its own: `python -m measurement floor`,
the command a user runs, on the same photos as the reproduction."""

from pathlib import Path

from easy_thumbnails_fix.draft_geometry import DRAFT_GAP

from measurement.harness.subcommand import measure_json

# Report key: (title, library, its arguments) of each floor. The targets are
# against the plain floors; beside each is the same floor held to the fix's
# quality rule, which decodes no closer than DRAFT_GAP pixels per pixel.
DRAFT_GAP_ARGS = ("--draft-gap", str(DRAFT_GAP))
FLOORS = {
    "pillow_floor": ("Pillow", "pillow", ()),
    "pillow_floor_draft_gap": (
        f"Pillow, drafted to {DRAFT_GAP:g} pixels per pixel",
        "pillow",
        DRAFT_GAP_ARGS,
    ),
    "vips_floor": ("libvips", "vips", ()),
    "vips_floor_draft_gap": (
        f"libvips, shrunk on load to {DRAFT_GAP:g} pixels per pixel",
        "vips",
        DRAFT_GAP_ARGS,
    ),
}


def measure_floors(photo_dir: Path, photos: int, say=print) -> dict:
    """Each floor of FLOORS, each in a process of its own."""
    floors = {}
    for key, (title, library, args) in FLOORS.items():
        say(f"== the {title} floor ==")
        floors[key] = measure_json(
            ["floor", "--library", library, *args], photo_dir, photos
        )
        say(f"    {floors[key]['seconds_per_photo']:.3f} s per photo")
    return floors
