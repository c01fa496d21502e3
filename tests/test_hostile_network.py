"""Network faults against real sockets on 127.0.0.1: each gives one clear FetchError, fast."""

from __future__ import annotations

import gzip
import socket
import time

import pytest

from spfeed import pipeline
from spfeed.errors import FetchError
from spfeed.fetch import FetchOptions, get_page

from .conftest import LEGACY_PAGE
from .hostile import assert_one_clear_error, good_refresh, refresh_cli, snapshot
from .servers import dripping, fixed, free_port, full_backlog, raw_server, redirecting, response, silent


def test_connection_refused():
    with pytest.raises(FetchError, match=r"could not connect \(Connection refused\)"):
        get_page(f"http://127.0.0.1:{free_port()}/")


def test_read_timeout_when_the_server_never_answers():
    with raw_server(silent(3.0)) as base:
        with pytest.raises(FetchError, match="timed out"):
            get_page(base + "/", options=FetchOptions(timeout=(1.0, 0.3)))


def test_dripping_server_is_cut_off_by_the_total_time_limit():
    with raw_server(dripping(0.05)) as base:
        # the whole drip would take 500 s; the limit cuts it after 1 s
        with pytest.raises(FetchError, match=r"took longer than 1 s in total"):
            get_page(base + "/", options=FetchOptions(timeout=(1.0, 1.0), total_timeout=1.0))


def test_gzip_bomb_stops_at_the_size_limit():
    bomb = gzip.compress(b"<p>" + b"\0" * (50 * 1024 * 1024))
    head = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
        b"Content-Length: %d\r\n\r\n" % len(bomb)
    )
    with raw_server(fixed(head + bomb)) as base:
        with pytest.raises(FetchError, match="larger than the limit of 1048576 bytes"):
            get_page(base + "/", options=FetchOptions(max_bytes=1024 * 1024))


def test_malformed_http_response_is_a_fetch_error():
    with raw_server(fixed(b"this is not HTTP\r\n\r\n")) as base:
        with pytest.raises(FetchError):
            get_page(base + "/")


# --- Through the command line: one error line, exit 1, nothing touched ---------

GZIP_BOMB = gzip.compress(b"<p>" + b"\0" * (20 * 1024 * 1024))  # 20 MB over the 10 MB default limit
PLAIN_OK = response("200 OK", b"<html><body><p>hello</p></body></html>")

SERVED = [
    pytest.param(fixed(response("404 Not Found", b"gone")), "", "HTTP 404 Not Found", id="404"),
    pytest.param(fixed(response("410 Gone", b"gone")), "", "HTTP 410 Gone", id="410"),
    pytest.param(fixed(response("500 Internal Server Error", b"oops")), "", "HTTP 500", id="500"),
    pytest.param(fixed(response("503 Service Unavailable", b"busy")), "", "HTTP 503", id="503"),
    pytest.param(fixed(response("429 Too Many Requests", headers="Retry-After: 120\r\n")), "",
                 "HTTP 429: the server asks to retry in 120 s", id="429-retry-after"),
    pytest.param(redirecting(lambda n: "/"), "", "too many redirects (more than 5)", id="redirect-loop"),
    pytest.param(redirecting(lambda n: f"/hop{n}"), "", "too many redirects (more than 5)", id="too-many-redirects"),
    pytest.param(redirecting(lambda n: "http://elsewhere.invalid/news"), "",
                 "redirected to another host (elsewhere.invalid)", id="redirect-other-host"),
    pytest.param(redirecting(lambda n: "javascript:alert(1)"), "", "not an http(s) URL", id="redirect-not-http"),
    pytest.param(fixed(response("200 OK", b"%PDF-1.7", "application/pdf")), "",
                 "not an HTML page (Content-Type: application/pdf)", id="not-html"),
    pytest.param(fixed(response("200 OK", b"")), "", "the server sent an empty page", id="empty-body"),
    pytest.param(fixed(response("200 OK", b"x" * (10 * 1024 * 1024 + 1))), "",
                 "page larger than the limit of 10485760 bytes", id="over-size-limit"),
    pytest.param(fixed(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
                       b"Content-Length: %d\r\n\r\n" % len(GZIP_BOMB) + GZIP_BOMB), "",
                 "page larger than the limit of 10485760 bytes", id="gzip-bomb"),
    pytest.param(fixed(b"this is not HTTP\r\n\r\n"), "", "", id="malformed-http"),
    pytest.param(fixed(PLAIN_OK), "", "no items found", id="page-without-items"),
    pytest.param(fixed(PLAIN_OK), "https", "TLS error", id="tls-to-plain-http"),
    pytest.param(silent(3.0), "", "timed out", id="read-timeout"),
    pytest.param(dripping(0.05), "", "took longer than 1 s in total", id="drip"),
]


@pytest.fixture
def quick_limits(monkeypatch):
    """The limits a user would configure, made short so the suite stays fast:
    0.5 s to connect and per read, 1 s in all."""

    def options(**given: object) -> FetchOptions:
        return FetchOptions(**{**given, "timeout": (0.5, 0.5), "total_timeout": 1.0})

    monkeypatch.setattr(pipeline, "FetchOptions", options)
    monkeypatch.setenv("SPFEED_DELAY", "0")  # robots.txt then the page: no need to wait between them


@pytest.mark.parametrize(("handler", "scheme", "message"), SERVED)
def test_a_failed_fetch_is_one_error_and_leaves_feeds_and_store_intact(tmp_path, quick_limits, handler, scheme,
                                                                       message):
    before = good_refresh(tmp_path)
    with raw_server(handler) as base:
        url = base.replace("http", scheme, 1) if scheme else base
        result = refresh_cli(tmp_path, url + "/")
    assert_one_clear_error(result, message)
    assert snapshot(tmp_path) == before


def test_connection_refused_through_the_cli(tmp_path, quick_limits):
    before = good_refresh(tmp_path)
    result = refresh_cli(tmp_path, f"http://127.0.0.1:{free_port()}/")
    assert_one_clear_error(result, "could not connect (Connection refused)")
    assert snapshot(tmp_path) == before


def test_connect_timeout_to_a_host_that_never_accepts(tmp_path, quick_limits):
    before = good_refresh(tmp_path)
    with full_backlog() as base:
        started = time.monotonic()
        result = refresh_cli(tmp_path, base + "/")
        elapsed = time.monotonic() - started
    assert_one_clear_error(result, "could not connect (no answer within 0.5 s)")
    assert snapshot(tmp_path) == before
    assert elapsed < 30, "the connect timeout did not apply"  # a hang guard, not a speed claim


@pytest.fixture
def offline_dns(monkeypatch):
    """Names under .invalid (RFC 6761) fail to resolve here, without asking any resolver."""
    real = socket.getaddrinfo
    asked: list[str] = []

    def getaddrinfo(host, *args, **kwargs):
        if isinstance(host, str) and host.endswith(".invalid"):
            asked.append(host)
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


def test_dns_failure(tmp_path, quick_limits, offline_dns):
    before = good_refresh(tmp_path)
    result = refresh_cli(tmp_path, "http://no-such-host.invalid/news")
    assert_one_clear_error(result, "no-such-host.invalid", "could not connect (host name not found)")
    assert set(offline_dns) == {"no-such-host.invalid"}  # robots.txt, then the page: never another host
    assert snapshot(tmp_path) == before


def test_a_redirect_to_another_host_is_never_followed(offline_dns):
    with raw_server(redirecting(lambda n: "http://elsewhere.invalid/")) as base:
        with pytest.raises(FetchError, match="another host"):
            get_page(base + "/")
    assert offline_dns == []  # refused before even resolving the other host


def test_a_redirect_within_the_site_is_followed(tmp_path, quick_limits):
    page = LEGACY_PAGE.read_bytes()
    with raw_server(fixed(response("200 OK", page, "text/html; charset=utf-8"))) as target:
        with raw_server(redirecting(lambda n: target + "/news")) as base:
            # 127.0.0.1 on two ports is one host: followed
            result = refresh_cli(tmp_path, base + "/")
    assert result.exit_code == 0, result.output
    assert "7 items" in result.stdout
