from django.core.management import call_command

from photos.models import Photo


def test_load_photos_puts_each_original_in_the_bucket_and_one_row_per_photo(
    db, bucket, photo_dir, capsys
):
    call_command("load_photos", str(photo_dir))

    photos = list(Photo.objects.all())
    assert [photo.original_name for photo in photos] == [
        "landscape-1.jpg",
        "landscape-2.jpg",
        "landscape-3.jpg",
    ]
    assert bucket.object_keys() == sorted(photo.photo.name for photo in photos)
    for photo in photos:
        stored = bucket.client.get_object(Bucket=bucket.name, Key=photo.photo.name)
        assert stored["Body"].read() == (photo_dir / photo.original_name).read_bytes()
    out = capsys.readouterr().out
    assert "[1/3] landscape-1.jpg: loaded, photos/landscape-1-" in out
    assert "3 loaded, 0 already loaded, 0 failed" in out


def test_loading_the_same_folder_twice_adds_nothing(db, bucket, photo_dir, capsys):
    call_command("load_photos", str(photo_dir))
    keys = bucket.object_keys()

    call_command("load_photos", str(photo_dir))

    assert Photo.objects.count() == 3
    assert bucket.object_keys() == keys
    assert "0 loaded, 3 already loaded, 0 failed" in capsys.readouterr().out


def test_two_photos_of_the_same_name_are_two_objects(db, bucket, tmp_path):
    from tests.conftest import small_photo_bytes

    for folder, seed in (("a", 1), ("b", 2)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "IMG_0001.JPG").write_bytes(small_photo_bytes(seed))
        call_command("load_photos", str(tmp_path / folder))

    assert Photo.objects.count() == 2
    assert len(bucket.object_keys()) == 2
