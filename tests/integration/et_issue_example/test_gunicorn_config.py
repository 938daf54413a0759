"""make serve's gunicorn (et_issue_example/gunicorn_config.py): clients that
send a body slowly, or stop sending it, do not keep the site from answering."""

import contextlib
import http.client
import socket
import threading
import time
import urllib.request
from http.cookiejar import CookieJar
from urllib.parse import urlsplit

from tests.site_process import running_site

SLOW_CLIENTS = 20


def csrf_cookie(url) -> str:
    """The CSRF cookie the login page sets: with it, Django reads the body."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{url}/admin/login/", timeout=10).close()
    return next(cookie.value for cookie in jar if cookie.name == "csrftoken")


def open_slow_login(url, token) -> socket.socket:
    """A POST /admin/login/ that declares a 1 MB body and sends a few bytes."""
    parts = urlsplit(url)
    client = socket.create_connection((parts.hostname, parts.port), timeout=10)
    client.sendall(
        b"POST /admin/login/ HTTP/1.1\r\n"
        + f"Host: {parts.netloc}\r\n".encode()
        + f"Cookie: csrftoken={token}\r\n".encode()
        + b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: 1000000\r\n"
        b"\r\n"
        b"username=a"
    )
    return client


def trickle(clients, stop: threading.Event):
    """One more byte of each body every half second, until stop."""
    while not stop.wait(0.5):
        for client in clients:
            with contextlib.suppress(OSError):
                client.sendall(b"a")


def timed_get(url, path="/") -> tuple[int, float]:
    """(status, seconds) of a GET."""
    parts = urlsplit(url)
    started = time.monotonic()
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    return response.status, time.monotonic() - started


def test_twenty_slow_bodies_leave_the_index_answering_within_2_seconds(
    site_env, tmp_path
):
    """With twenty logins each stalled or trickling a declared 1 MB body, all
    on one worker process, GET / still answers 200 within 2 s."""
    log_path = tmp_path / "gunicorn.log"
    with running_site(site_env, log_path, server="gunicorn", workers=1) as url:
        token = csrf_cookie(url)
        clients = [open_slow_login(url, token) for _ in range(SLOW_CLIENTS)]
        stop = threading.Event()
        trickler = threading.Thread(target=trickle, args=(clients, stop))
        trickler.start()
        try:
            time.sleep(1)  # every slow login reached the view and waits on its body
            status, seconds = timed_get(url)
        finally:
            stop.set()
            trickler.join()
            for client in clients:
                client.close()

    assert status == 200
    assert seconds < 2, f"GET / took {seconds:.1f} s"
