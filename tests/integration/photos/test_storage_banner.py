"""A site whose photo storage does not work says so at the top of its pages,
warm or cold, admin included, from a check made once a minute per process,
which no page's figures count."""

import re
import warnings

import pytest
from django.core.management import call_command

from local_services import S3Server
from local_services.ports import free_port
from photos.storage_status import status
from tests.conftest import run_manage
from tests.site_process import get, running_site

pytestmark = pytest.mark.server

BANNER = re.compile(r'id="storage-problem" role="alert">([^<]*)<')


def start(server: S3Server) -> None:
    with warnings.catch_warnings():
        # start leaves the server running on purpose; its Popen object,
        # dropped on return, would warn that it is.
        warnings.simplefilter("ignore", ResourceWarning)
        server.start()


@pytest.fixture
def stopped_storage(site_env, photo_dir, tmp_path):
    """The site's environment on an S3 server of its own, which has the
    photos (one of them with its thumbnails made) and then stops."""
    server = S3Server(tmp_path / "s3", free_port())
    start(server)
    server.ensure_bucket("et-issue-example-tests")
    env = {**site_env, "AWS_S3_ENDPOINT_URL": server.url}
    assert run_manage("load_photos", str(photo_dir), env=env)[2] == 0
    assert run_manage("generate_all_thumbnail_aliases", env=env)[2] == 0
    server.stop()
    return env, server


def test_a_warm_page_of_a_stopped_storage_says_so_at_its_top(stopped_storage, tmp_path):
    env, server = stopped_storage

    with running_site(env, tmp_path / "runserver.log") as url:
        page_status, html = get(f"{url}/")
        _, admin_html = get(f"{url}/admin/login/")

    assert page_status == 200
    assert html.count(" data-alias=") == 3 * 9  # warm: every thumbnail's URL
    message = (
        "The photo storage does not work: Cannot reach the S3 server at "
        f"{server.url} (AWS_S3_ENDPOINT_URL): start it with "
        f"`.venv/bin/python -m local_services s3 start --port {server.port} "
        f"--data-dir {server.data_dir.resolve()}`, its data in "
        f"{server.data_dir.resolve()}."
    )
    assert BANNER.findall(html) == [message]
    assert BANNER.findall(admin_html) == [message]


def test_a_cold_page_of_a_stopped_storage_says_so_at_its_top(
    site_env, photo_dir, tmp_path
):
    server = S3Server(tmp_path / "s3", free_port())
    start(server)
    server.ensure_bucket("et-issue-example-tests")
    env = {**site_env, "AWS_S3_ENDPOINT_URL": server.url}
    assert run_manage("load_photos", str(photo_dir), env=env)[2] == 0
    server.stop()

    with running_site(env, tmp_path / "runserver.log") as url:
        page_status, html = get(f"{url}/")

    assert page_status == 200
    assert len(BANNER.findall(html)) == 1
    assert html.count("the photo storage could not be reached") == 3


def test_a_page_on_an_endpoint_botocore_refuses_says_what_is_wrong_with_it(
    site_env, tmp_path
):
    env = {**site_env, "AWS_S3_ENDPOINT_URL": "127.0.0.1:5061"}
    create_photo = (
        "from photos.models import Photo; Photo.objects.create(photo='photos/a.jpg')"
    )
    assert run_manage("shell", "-c", create_photo, env=site_env)[2] == 0

    with running_site(env, tmp_path / "runserver.log") as url:
        page_status, html = get(f"{url}/")

    assert page_status == 200
    assert BANNER.findall(html) == [
        "The photo storage does not work: AWS_S3_ENDPOINT_URL=127.0.0.1:5061 has "
        "no scheme: set it to http://127.0.0.1:5061 (or https:// for a server "
        "that speaks TLS)."
    ]
    assert "Traceback" not in (tmp_path / "runserver.log").read_text()


@pytest.fixture
def checked_anew():
    """The next page of this process checks the storage."""
    status.forget()
    yield
    status.forget()


def test_a_page_of_a_working_storage_says_nothing_and_its_check_costs_it_nothing(
    client, db, bucket, photo_dir, checked_anew, django_assert_num_queries
):
    call_command("load_photos", str(photo_dir), verbosity=0)
    client.get("/")
    status.forget()
    bucket.reset_request_counts()

    with django_assert_num_queries(1 + 3 * (1 + 9)):
        html = client.get("/").content.decode()

    assert BANNER.findall(html) == []
    assert bucket.request_counts() == {}
