"""The peers' own page and commands, switched on by PEER, and a site without them."""

import html
import re
from urllib.parse import unquote, urlsplit

import pytest
from django.conf import settings

from tests.conftest import run_manage
from tests.site_process import get, running_site

ALIASES = list(settings.THUMBNAIL_ALIASES[""])
PEERS = ["sorl", "imagekit", "imagekit-optimistic"]


def test_without_peer_the_site_has_no_peer_page_and_no_peer_app(client, db):
    assert client.get("/peers/").status_code == 404
    assert "peers" not in settings.INSTALLED_APPS
    assert "sorl.thumbnail" not in settings.INSTALLED_APPS
    assert "imagekit" not in settings.INSTALLED_APPS


def test_an_unknown_peer_is_one_clear_message(site_env):
    _, err, code = run_manage("check", env={**site_env, "PEER": "thumbor"})
    assert code == 1
    assert (
        "ImproperlyConfigured: PEER='thumbor': use sorl, imagekit or "
        "imagekit-optimistic, or leave it unset." in err
    )


@pytest.fixture
def peer_env(request, tmp_path, bucket, photo_dir):
    """A migrated database with PEER set and the three photos loaded."""
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PEER": request.param,
    }
    for command in (["migrate"], ["load_photos", str(photo_dir)]):
        _, err, code = run_manage(*command, "--verbosity", "0", env=env)
        assert code == 0, err
    return env


def object_key(url, bucket_name):
    """The key a path-style S3 URL names."""
    return unquote(urlsplit(url).path.split(f"/{bucket_name}/", 1)[1])


def thumbnail_keys(bucket):
    return [key for key in bucket.object_keys() if not key.startswith("photos/")]


@pytest.mark.parametrize("peer_env", PEERS, indirect=True)
def test_the_peer_page_and_commands_make_every_alias_of_every_photo(
    peer_env, bucket, tmp_path
):
    """The page shows every alias of every photo, each an object in the bucket
    (made by the page, or when the photo was saved: Optimistic); the delete
    command deletes them all and the generate command makes them again."""
    with running_site(peer_env, tmp_path / "site.log") as url:
        status, body = get(f"{url}/peers/")
    assert status == 200, body
    assert re.findall(r'data-alias="([^"]+)"', body) == ALIASES * 3
    urls = re.findall(r'<img src="([^"]+)" alt="[^"]*" data-alias=', body)
    made = sorted(thumbnail_keys(bucket))
    assert sorted(object_key(html.unescape(u), bucket.name) for u in urls) == made
    assert len(made) == 3 * len(ALIASES)

    out, err, code = run_manage("delete_peer_thumbnails", "--noinput", env=peer_env)
    assert (code, err) == (0, "")
    assert f"Deleted {len(made)} thumbnail objects." in out
    assert thumbnail_keys(bucket) == []

    out, err, code = run_manage("generate_peer_thumbnails", env=peer_env)
    assert (code, err) == (0, "")
    assert re.findall(r"^photo (\d)/3 ", out, re.MULTILINE) == ["1", "2", "3"]
    assert "Generated all aliases of 3 photos" in out
    assert sorted(thumbnail_keys(bucket)) == made
