"""The line generate_all_thumbnail_aliases --verify ends with."""

from photos.models import Photo
from photos.verification import Verification, verified_line


def verification(thumbnails_count, lost_count, removed_count) -> Verification:
    return Verification(
        thumbnails_count=thumbnails_count,
        lost_names=[f"photos/a.jpg.{n}.jpg" for n in range(lost_count)],
        removed_names=[f"photos/b-{n}.jpg" for n in range(removed_count)],
    )


def test_lost_thumbnails_made_again_and_objects_removed_are_counted():
    assert verified_line(verification(180, 3, 2), made_again=3) == (
        "Verified 180 thumbnails: 3 lost, made again; 2 objects without a row, removed."
    )


def test_a_bucket_that_matches_its_rows_says_so():
    assert verified_line(verification(180, 0, 0), made_again=0) == (
        "Verified 180 thumbnails: none lost; 0 objects without a row."
    )


def test_lost_thumbnails_not_all_made_again_are_counted_apart():
    assert verified_line(verification(1, 3, 1), made_again=1) == (
        "Verified 1 thumbnail: 3 lost, 1 made again; 1 object without a row, removed."
    )


def test_photos_whose_original_is_gone_are_named_with_what_to_do():
    line_of = verification(9, 0, 0)
    line_of.photos_without_original = [
        Photo(pk=5, photo="photos/a-0badf00d.jpg"),
        Photo(pk=7, photo="photos/b-0badf00d.jpg"),
    ]

    assert verified_line(line_of, made_again=0) == (
        "Verified 9 thumbnails: none lost; 0 objects without a row; originals "
        "missing from the bucket: #5 photos/a-0badf00d.jpg, #7 photos/b-0badf00d.jpg "
        "(load them again, or delete the photos)."
    )
