"""An upload over PHOTO_MAX_BYTES is refused before its body is read
(photos/middleware.py, photos/upload_handlers.py), anonymous or logged in, on
make serve's gunicorn: no temporary file over the limit is ever written."""

import os
import select
import socket
import threading
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from urllib.parse import urlsplit

import pytest

from photos.units import MB
from tests.conftest import SUPERUSER, SUPERUSER_PASSWORD
from tests.site_process import running_site

CHUNK_BYTES = 64 * 1024
BODY_BYTES = 200 * MB
BOUNDARY = "photo-boundary"
ADD_PHOTO = "/admin/photos/photo/add/"


class TempDirWatcher(threading.Thread):
    """The largest file seen in a folder, looked at every few milliseconds."""

    def __init__(self, path):
        super().__init__(daemon=True)
        self.path = path
        self.largest_bytes = 0
        self.files_seen = set()
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.wait(0.005):
            for entry in os.scandir(self.path):
                try:
                    size_bytes = entry.stat().st_size
                except FileNotFoundError:
                    continue
                self.files_seen.add(entry.name)
                self.largest_bytes = max(self.largest_bytes, size_bytes)

    def stop(self):
        self.stopped.set()
        self.join()


def multipart_head(token: str) -> bytes:
    return (
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
        f"{token}\r\n"
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="photo"; filename="huge.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode()


def stream_upload(url, cookies, *, body_bytes, declared_bytes, token=""):
    """POST a photo of about body_bytes to the add form, chunk by chunk, until
    the server answers; declared_bytes None sends it chunked, with no length.

    Returns (status, text, bytes sent before the answer)."""
    parts = urlsplit(url)
    head = multipart_head(token)
    headers = [
        f"POST {ADD_PHOTO} HTTP/1.1",
        f"Host: {parts.netloc}",
        f"Cookie: {'; '.join(f'{k}={v}' for k, v in cookies.items())}",
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}",
        f"Referer: {url}{ADD_PHOTO}",
    ]
    if declared_bytes is None:
        headers.append("Transfer-Encoding: chunked")
    else:
        headers.append(f"Content-Length: {declared_bytes}")
    client = socket.create_connection((parts.hostname, parts.port), timeout=30)
    sent_bytes = 0
    with client:
        client.sendall(("\r\n".join(headers) + "\r\n\r\n").encode())
        chunk = head
        try:
            while sent_bytes < body_bytes:
                if select.select([client], [], [], 0)[0]:
                    break  # answered
                if declared_bytes is None:
                    client.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                else:
                    client.sendall(chunk)
                sent_bytes += len(chunk)
                chunk = bytes(CHUNK_BYTES)
        except (BrokenPipeError, ConnectionResetError):
            pass  # closed by the server once it had answered
        response = b""
        while data := client.recv(CHUNK_BYTES):
            response += data
    head, _, text = response.partition(b"\r\n\r\n")
    status = int(head.split()[1])
    return status, text.decode(), sent_bytes


def logged_in_cookies(url) -> dict:
    """The session and CSRF cookies of a superuser logged in through the form."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{url}/admin/login/", timeout=10).close()
    token = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    form = urllib.parse.urlencode(
        {
            "username": SUPERUSER,
            "password": SUPERUSER_PASSWORD,
            "csrfmiddlewaretoken": token,
            "next": "/admin/",
        }
    ).encode()
    opener.open(f"{url}/admin/login/", data=form, timeout=10).close()
    cookies = {cookie.name: cookie.value for cookie in jar}
    assert "sessionid" in cookies
    return cookies


@pytest.fixture
def upload_dir(tmp_path):
    """The folder where the site's server writes its temporary upload files."""
    path = tmp_path / "uploads"
    path.mkdir()
    return path


@pytest.fixture
def serve(site_env, upload_dir, tmp_path):
    """Start make serve's gunicorn with extra environment; yield its URL."""

    def serve(**env):
        return running_site(
            {**site_env, "TMPDIR": str(upload_dir), **env},
            tmp_path / "gunicorn.log",
            server="gunicorn",
            workers=1,
        )

    return serve


@pytest.mark.parametrize("user", ["anonymous", "admin"])
def test_a_200_mb_upload_is_refused_from_its_declared_length(
    user, serve, superuser, upload_dir
):
    """413 naming the limit comes back while the body is still being sent,
    and no temporary file is written."""
    watcher = TempDirWatcher(upload_dir)
    with serve() as url:
        cookies = logged_in_cookies(url) if user == "admin" else {}
        watcher.start()
        status, text, sent_bytes = stream_upload(
            url, cookies, body_bytes=BODY_BYTES, declared_bytes=BODY_BYTES
        )
        watcher.stop()

    assert status == 413
    assert text == (
        "The request is 200.0 MB, over the limit of 50.0 MB for a photo "
        "(PHOTO_MAX_BYTES)."
    )
    assert sent_bytes < 50 * MB
    assert watcher.files_seen == set()


def test_a_200_mb_upload_with_no_length_is_refused(serve, upload_dir):
    """Sent chunked, with no Content-Length: 411, and no temporary file."""
    watcher = TempDirWatcher(upload_dir)
    with serve() as url:
        watcher.start()
        status, text, sent_bytes = stream_upload(
            url, {}, body_bytes=BODY_BYTES, declared_bytes=None
        )
        watcher.stop()

    assert status == 411
    assert text == (
        "The request has no Content-Length: an upload must declare its length, "
        "at most 50.0 MB for a photo (PHOTO_MAX_BYTES)."
    )
    assert sent_bytes < 50 * MB
    assert watcher.files_seen == set()


def test_a_200_mb_upload_declaring_1_mb_is_read_no_further_than_it_declared(
    serve, upload_dir
):
    """A lying length: the site reads the 1 MB declared, refuses the login-less
    form (no CSRF token), and the rest is never a file."""
    watcher = TempDirWatcher(upload_dir)
    with serve() as url:
        watcher.start()
        status, _, sent_bytes = stream_upload(
            url, {}, body_bytes=BODY_BYTES, declared_bytes=MB
        )
        watcher.stop()

    assert status == 403
    assert sent_bytes < 50 * MB
    assert watcher.largest_bytes <= MB


def test_a_file_over_the_limit_in_a_request_within_it_stops_at_the_limit(
    serve, superuser, upload_dir
):
    """A request short enough to be read whose file passes PHOTO_MAX_BYTES:
    the file is cut off at the limit, its temporary file never larger, and
    the answer is 413 naming the limit."""
    limit_bytes = 3 * MB
    file_bytes = limit_bytes + MB // 2
    watcher = TempDirWatcher(upload_dir)
    with serve(PHOTO_MAX_BYTES=str(limit_bytes)) as url:
        cookies = logged_in_cookies(url)
        watcher.start()
        status, text, _ = stream_upload(
            url,
            cookies,
            body_bytes=file_bytes,
            declared_bytes=len(multipart_head(cookies["csrftoken"])) + file_bytes,
            token=cookies["csrftoken"],
        )
        watcher.stop()

    assert status == 413
    assert text == "huge.jpg: the file is over the limit of 3.0 MB (PHOTO_MAX_BYTES)."
    # Over FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB): Django spools it to a file.
    assert watcher.files_seen, "the upload reached a temporary file"
    assert watcher.largest_bytes <= limit_bytes
