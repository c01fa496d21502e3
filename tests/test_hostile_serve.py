"""`spfeed serve` against hostile requests, on a real waitress server on 127.0.0.1:
nothing outside the output directory, no hidden or temporary file, no method
but GET and HEAD, and oversized requests refused by waitress's limits."""

from __future__ import annotations

import socket

import pytest

from .test_serve import request, server, site  # noqa: F401 - fixtures

SECRET = b"do not serve"


@pytest.fixture(scope="module")
def hostile_site(site):  # noqa: F811 - the fixture imported above
    outside = site.parent / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "atom.xml").write_bytes(SECRET)
    (site / "linked-dir").symlink_to(outside, target_is_directory=True)
    (site / ".atom.xml.k3j2h1.tmp").write_bytes(b"<feed>half a feed")  # a killed publish's leftover
    return site


def raw_request(server, data: bytes) -> bytes:  # noqa: F811
    """Send ``data`` as is (no client library tidying it up); the answer, or the
    part of it read before the server dropped the connection."""
    chunks = []
    with socket.create_connection(("127.0.0.1", server.effective_port), timeout=10) as conn:
        try:
            conn.sendall(data)
            while chunk := conn.recv(65536):
                chunks.append(chunk)
        except (ConnectionResetError, BrokenPipeError):
            pass  # a server refusing a request mid-send resets the connection
    return b"".join(chunks)


def status_of(answer: bytes) -> int | None:
    """The status code (HTTP/1.0 or 1.1), or None when the connection was cut first."""
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.") else None


@pytest.mark.parametrize(
    "path",
    [
        "/%252e%252e/secret.txt",  # double-encoded: decoded once, it is a file name with % in it
        "/%252e%252e%252fsecret.txt",
        "/..\\secret.txt",  # a raw backslash
        "/category\\..\\..\\secret.txt",
        "/%5c..%5csecret.txt",
        "/linked-dir/atom.xml",  # a symlinked directory leading out
        "/linked-dir%2fatom.xml",
        "/.atom.xml.k3j2h1.tmp",
        "/%2Eatom.xml.k3j2h1.tmp",
        "/category/%2e%2e/%2e%2e/secret.txt",
        "/%c0%ae%c0%ae/secret.txt",  # overlong UTF-8 dots
        "/%ff%fe/secret.txt",
        "/atom.xml/..",
        "/C:%5cWindows%5cwin.ini",
        "/%00",
    ],
)
def test_encoded_backslash_and_symlink_escapes_are_404(server, hostile_site, path):  # noqa: F811
    status, _, body = request(server, "GET", path)
    assert status in (400, 404), path
    assert SECRET not in body and b"half a feed" not in body


@pytest.mark.parametrize(
    "target",
    [
        b"http://127.0.0.1/../secret.txt",
        b"http://evil.example/../../secret.txt",
        b"/../../../../etc/passwd",
        b"../secret.txt",
        b"*",
    ],
)
def test_absolute_and_odd_request_targets_never_leave_the_directory(server, hostile_site, target):  # noqa: F811
    answer = raw_request(server, b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert status_of(answer) in (400, 404), answer[:200]
    assert SECRET not in answer and b"root:" not in answer


def test_an_absolute_uri_to_a_real_file_is_served_like_its_path(server, hostile_site):  # noqa: F811
    # HTTP/1.1 lets a client send the full URL; the path in it is what counts.
    answer = raw_request(server, b"GET http://127.0.0.1/atom.xml HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 200 ") and b"<feed" in answer


def test_oversized_headers_are_refused_by_waitress(server, hostile_site):  # noqa: F811
    huge = "a" * 300_000  # over waitress's 256 KiB max_request_header_size
    answer = raw_request(server, f"GET /atom.xml HTTP/1.1\r\nHost: x\r\nX-Big: {huge}\r\n\r\n".encode())
    # 431, or the connection reset while the rest was still being sent: never the feed
    assert status_of(answer) in (431, None), answer[:100]
    assert b"<feed" not in answer


def test_many_headers_are_refused_by_waitress(server, hostile_site):  # noqa: F811
    headers = "".join(f"X-H{n}: {'v' * 100}\r\n" for n in range(3000))  # 330 KB of small headers
    answer = raw_request(server, f"GET /atom.xml HTTP/1.1\r\nHost: x\r\n{headers}\r\n".encode())
    assert status_of(answer) in (431, None), answer[:100]
    assert b"<feed" not in answer


def test_a_long_request_line_is_refused(server, hostile_site):  # noqa: F811
    answer = raw_request(server, b"GET /" + b"a" * 300_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert status_of(answer) in (400, 414, 431, None), answer[:100]
    assert b"<feed" not in answer


def test_a_garbage_request_is_400(server, hostile_site):  # noqa: F811
    answer = raw_request(server, b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not http\r\n\r\n")  # TLS hello-ish
    assert status_of(answer) in (400, None), answer[:100]
    assert b"<feed" not in answer


@pytest.mark.parametrize("method", ["TRACE", "CONNECT", "PROPFIND", "MKCOL", "COPY", "FOO"])
def test_any_method_but_get_and_head_is_405_with_allow(server, hostile_site, method):  # noqa: F811
    answer = raw_request(server, f"{method} /atom.xml HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 405 "), head
    assert b"\r\nAllow: GET, HEAD" in head
    assert b"<feed" not in body


def test_a_lowercase_method_is_not_get(server, hostile_site):  # noqa: F811
    # Methods are case-sensitive (RFC 9110 9.1): waitress rejects "get" outright.
    answer = raw_request(server, b"get /atom.xml HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert status_of(answer) in (400, 405) and b"<feed" not in answer


def test_a_post_body_is_not_read_into_a_feed(server, hostile_site):  # noqa: F811
    body = b"<script>alert(1)</script>"
    answer = raw_request(server, b"POST /atom.xml HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n"
                                 b"Connection: close\r\n\r\n%s" % (len(body), body))
    assert answer.startswith(b"HTTP/1.1 405 ")
    assert (hostile_site / "atom.xml").read_bytes().count(b"<script>") == 0
