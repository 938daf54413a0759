"""The reproduction's switches: one definition with their defaults, recorded as report.json has them."""

import json

from measurement.switches import Switches


def test_the_defaults_are_2013s_run_on_stock():
    assert Switches().as_report() == {
        "photos": 20,
        "photo_dir": "test_photos",
        "debug": True,
        "debug_toolbar": False,
        "storage": "s3",
        "network": "loopback",
        "database": "sqlite",
        "fix": False,
        "server": "runserver",
        "workers": 4,
        "scenario": "2013",
    }


def test_a_scenarios_own_options_are_recorded_where_it_has_them():
    queue = Switches(scenario="queue").as_report()
    assert (queue["queue_workers"], "clients" in queue) == ([1, 2], False)
    load = Switches(scenario="load", clients=2, seconds=3).as_report()
    assert (load["queue_workers"], load["clients"], load["seconds"]) == ([1, 2], 2, 3)


def test_a_peer_is_recorded_when_one_is_measured():
    assert Switches(peer="sorl").as_report()["peer"] == "sorl"
    assert "peer" not in Switches().as_report()


def test_thumbnail_fix_is_the_variable_the_settings_read():
    assert Switches().thumbnail_fix_variable == "0"
    assert Switches(fix=True).thumbnail_fix_variable == "1"
    parts = Switches(fix=["read_once", "draft_decode"])
    assert parts.fix == ("read_once", "draft_decode")
    assert parts.thumbnail_fix_variable == "read_once,draft_decode"
    assert json.loads(json.dumps(parts.as_report()))["fix"] == [
        "read_once",
        "draft_decode",
    ]


def test_replace_changes_only_what_it_names():
    switches = Switches(photos=3)
    assert switches.replace(fix=True) == Switches(photos=3, fix=True)
    assert switches == Switches(photos=3)
