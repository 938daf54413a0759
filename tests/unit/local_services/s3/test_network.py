import pytest

from local_services.s3.network import MBIT, PROFILES, profile


def test_loopback_is_the_default_and_shapes_nothing():
    loopback = profile("loopback")

    assert loopback.as_report() == {
        "profile": "loopback",
        "latency_seconds": 0.0,
        "download_bytes_per_second": None,
        "upload_bytes_per_second": None,
        "connection_download_bytes_per_second": None,
        "connection_upload_bytes_per_second": None,
        "link_download_bytes_per_second": None,
        "link_upload_bytes_per_second": None,
        "simulated": False,
        "sources": [],
    }


def test_internet_is_a_home_line_whose_upload_is_a_fraction_of_its_download():
    internet = profile("internet").as_report()

    assert internet["simulated"] is True
    assert internet["latency_seconds"] == 0.080
    assert internet["download_bytes_per_second"] == 15.6 * MBIT == 1_950_000
    assert internet["upload_bytes_per_second"] == 2 * MBIT == 250_000
    assert internet["connection_download_bytes_per_second"] is None


def test_same_region_is_limited_per_connection_below_its_link():
    same_region = profile("same-region")

    assert same_region.simulated is True
    assert same_region.download_bytes_per_second == 85_000_000
    assert same_region.link_download_bytes_per_second == 1_250_000_000
    assert 0 < same_region.latency_seconds < profile("internet").latency_seconds


def test_every_shaped_profile_names_its_public_source():
    for shaped in PROFILES.values():
        if shaped.simulated:
            assert shaped.sources, shaped.name
            assert all(url.startswith("https://") for url in shaped.sources)


def test_another_name_is_refused_naming_the_profiles():
    with pytest.raises(ValueError) as refused:
        profile("dial-up")

    assert str(refused.value) == (
        "'dial-up' is not a network profile: give one of loopback, same-region, "
        "internet"
    )
