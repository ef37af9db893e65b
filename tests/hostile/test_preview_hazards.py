"""`preview` answers only its own user's browser: the real server on the loopback, asked with raw HTTP.

Any web page the user visits can send requests to 127.0.0.1, and by DNS
rebinding (a name of its own that resolves to 127.0.0.1) read the answers: a
draft or an embargoed release. The server must refuse a foreign Host, another
origin and every request without its secret token, and serve nothing but the
page and its reload stream.
"""

from __future__ import annotations

import http.client
import shutil
import socket
import time
from urllib.parse import urlsplit

import pytest

from tests.conftest import REPO
from tests.hostile.helpers import running_preview

SECRET = "Embargoed headline kept from rebinding pages"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Start `mmnpress preview` on a statement with a secret title; yield (port, token); stop it with Ctrl-C."""
    root = tmp_path_factory.mktemp("preview")
    for name in ("statements", "templates", "bibliography"):
        shutil.copytree(REPO / name, root / name)
    statement = root / "statements/embargoed.yaml"
    statement.write_text(
        f"kind: statement\nlang: en\ntitle: {SECRET}\ndate: 2020-05-01\norganisation: mmn\nbody:\n  - Not for release until Monday.\n",
        encoding="utf-8",
    )
    with running_preview(statement, root) as address:
        parts = urlsplit(address)
        assert parts.hostname == "127.0.0.1" and parts.query.startswith("token="), address
        port, token = parts.port, parts.query.removeprefix("token=")
        _wait_for_the_page(port, token)
        yield port, token


def _wait_for_the_page(port: int, token: str) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if SECRET in get(port, "/", cookie=f"mmnpress-token-{port}={token}").text:
            return
        time.sleep(0.2)
    raise AssertionError("the page was not built within 90 s")


class Answer:
    def __init__(self, response: http.client.HTTPResponse):
        self.status = response.status
        self.headers = response.headers
        self.text = response.read().decode("utf-8", "replace")


def get(port: int, path: str, host: str | None = None, cookie: str | None = None, method: str = "GET", **headers: str) -> Answer:
    """Send one raw request to the preview, with exactly the Host, cookie and headers given."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        sent = {"Host": f"127.0.0.1:{port}" if host is None else host, **{k.replace("_", "-"): v for k, v in headers.items()}}
        if cookie is not None:
            sent["Cookie"] = cookie
        connection.request(method, path, headers=sent)
        return Answer(connection.getresponse())
    finally:
        connection.close()


def assert_refused(answer: Answer, statuses=(403,)) -> None:
    assert answer.status in statuses, (answer.status, answer.text[:200])
    assert SECRET not in answer.text and "Not for release" not in answer.text
    assert not [name for name in answer.headers if name.lower().startswith("access-control-")]


def test_the_printed_address_sets_a_strict_cookie_and_leads_to_the_page(server):
    port, token = server
    first = get(port, f"/?token={token}")
    assert first.status == 303 and first.headers["Location"] == "/"
    cookie = first.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and token in cookie
    assert SECRET not in first.text
    page = get(port, "/", cookie=cookie.split(";")[0])
    assert page.status == 200 and SECRET in page.text
    assert not [name for name in page.headers if name.lower().startswith("access-control-")]
    assert get(port, "/index.html", host=f"localhost:{port}", cookie=cookie.split(";")[0]).status == 200


def test_the_reload_stream_needs_the_token_too(server):
    port, token = server
    assert_refused(get(port, "/events?since=999999"))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:  # the right cookie opens the stream (its first byte arrives within a heartbeat, so only the head is read)
        connection.request("GET", "/events?since=0", headers={"Cookie": f"mmnpress-token-{port}={token}"})
        response = connection.getresponse()
        assert response.status == 200 and response.headers["Content-Type"] == "text/event-stream"
    finally:
        connection.close()


@pytest.mark.parametrize(
    "host",
    [
        "evil.example:{port}",
        "evil.example",
        "127.0.0.1.nip.io:{port}",
        "rebind.attacker.test:{port}",
        "127.0.0.1:1",
        "localhost",
        "",
        "127.0.0.1:{port}.evil.example",
    ],
)
def test_a_foreign_host_is_refused_even_with_the_token(server, host):
    port, token = server
    cookie = f"mmnpress-token-{port}={token}"
    assert_refused(get(port, "/", host=host.format(port=port), cookie=cookie))
    assert_refused(get(port, f"/?token={token}", host=host.format(port=port)))
    assert_refused(get(port, "/events", host=host.format(port=port), cookie=cookie))


def test_a_request_without_a_host_header_is_refused(server):
    port, token = server
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        raw.sendall(f"GET /?token={token} HTTP/1.0\r\n\r\n".encode())
        answer = b"".join(iter(lambda: raw.recv(65536), b""))
    assert answer.startswith(b"HTTP/1.") and b" 403 " in answer.split(b"\r\n")[0]
    assert SECRET.encode() not in answer


@pytest.mark.parametrize("path", ["/", "/index.html", "/events", "/?token=", "/?token=wrong", "/?token={token}x", "/?token={short}"])
def test_a_missing_or_wrong_token_is_refused(server, path):
    port, token = server
    assert_refused(get(port, path.format(token=token, short=token[:-1])))


@pytest.mark.parametrize("cookie", ["mmnpress-token-{port}=wrong", "mmnpress-token-{port}=", "mmnpress-token-1={token}", "{token}", 'x="\\'])
def test_a_wrong_cookie_is_refused(server, cookie):
    port, token = server
    assert_refused(get(port, "/", cookie=cookie.format(port=port, token=token)))


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("Origin", "http://evil.example"),
        ("Origin", "null"),
        ("Origin", "http://127.0.0.1:1"),
        ("Sec-Fetch-Site", "cross-site"),
        ("Sec-Fetch-Site", "same-site"),
    ],
)
def test_cross_origin_use_is_refused(server, header, value):
    port, token = server
    cookie = f"mmnpress-token-{port}={token}"
    assert_refused(get(port, "/", cookie=cookie, **{header: value}))
    assert_refused(get(port, "/events", cookie=cookie, **{header: value}))


def test_its_own_origin_is_served(server):
    port, token = server
    answer = get(port, "/", cookie=f"mmnpress-token-{port}={token}", Origin=f"http://127.0.0.1:{port}", Sec_Fetch_Site="same-origin")
    assert answer.status == 200 and SECRET in answer.text


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "OPTIONS", "HEAD"])
def test_no_method_but_get_is_answered(server, method):
    port, token = server
    answer = get(port, "/", cookie=f"mmnpress-token-{port}={token}", method=method, Origin="http://evil.example", Access_Control_Request_Method="GET")
    assert_refused(answer)


@pytest.mark.parametrize(
    "path",
    [
        "/../statements/embargoed.yaml",
        "/%2e%2e/statements/embargoed.yaml",
        "/..%2fstatements%2fembargoed.yaml",
        "/statements/embargoed.yaml",
        "/embargoed.html",
        "/../../../../etc/passwd",
        "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "//etc/passwd",
        "/index.html/../../statements/embargoed.yaml",
    ],
)
def test_nothing_but_the_page_is_served(server, path):
    port, token = server
    assert_refused(get(port, path), (403,))
    answer = get(port, path, cookie=f"mmnpress-token-{port}={token}")
    assert_refused(answer, (404,))
    assert "root:" not in answer.text


def test_the_token_never_redirects_elsewhere(server):
    port, token = server
    answer = get(port, f"//evil.example/?token={token}")
    assert answer.status == 303 and answer.headers["Location"].startswith("/") and not answer.headers["Location"].startswith("//")
