"""A command loads its photos a chunk at a time, each chunk one query."""

import pytest
from easy_thumbnails_fix.peers import PEERS

from photos.generation import all_photos, photos_in_chunks
from tests.conftest import load_small_photos


@pytest.fixture
def five_photos(db, bucket, tmp_path):
    load_small_photos(tmp_path / "photos", 5)


def test_every_photo_comes_once_in_pk_order_one_query_per_chunk(
    five_photos, django_assert_num_queries
):
    with django_assert_num_queries(3):  # 2 + 2 + 1 photos
        loaded = list(photos_in_chunks(all_photos(), size=2))

    assert [photo.pk for photo in loaded] == list(
        all_photos().values_list("pk", flat=True)
    )


def test_a_full_last_chunk_costs_one_more_query_that_finds_none(
    five_photos, django_assert_num_queries
):
    with django_assert_num_queries(2):
        assert len(list(photos_in_chunks(all_photos(), size=5))) == 5


def test_with_the_fix_the_photos_of_a_chunk_are_loaded_together(five_photos, settings):
    """Their rows are read in one go and their originals fetched one ahead
    (easy_thumbnails_fix.peers)."""
    settings.THUMBNAIL_FIX = True
    loaded = list(photos_in_chunks(all_photos(), size=3))

    first, second = (photo.__dict__[PEERS] for photo in (loaded[0], loaded[3]))
    assert [photo.__dict__[PEERS] for photo in loaded] == [first] * 3 + [second] * 2
    assert first is not second
