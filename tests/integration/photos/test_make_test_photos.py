import hashlib

from tests.conftest import image_size, run_manage


def digests(directory):
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.iterdir())
    }


def test_the_same_seed_makes_the_same_photos_of_a_camera_size(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    for directory in (first, second):
        out, err, code = run_manage(
            "make_test_photos", "--count", "2", "--seed", "5", "--dir", str(directory)
        )
        assert code == 0, err

    assert digests(first) == digests(second)
    assert list(digests(first)) == ["photo-5-001.jpg", "photo-5-002.jpg"]
    for path in first.iterdir():
        data = path.read_bytes()
        assert image_size(data) == (3264, 2448)
        # About 2 MB each, like the 2013 set (20 photos, 43.8 MB).
        assert 1_800_000 < len(data) < 2_600_000
    assert "2 photos, 4.2 MB" in out


def test_another_seed_makes_other_photos(tmp_path):
    for seed in ("1", "2"):
        _, err, code = run_manage(
            "make_test_photos", "--count", "1", "--seed", seed, "--dir", str(tmp_path)
        )
        assert code == 0, err

    first, second = (path.read_bytes() for path in sorted(tmp_path.iterdir()))
    assert first != second
