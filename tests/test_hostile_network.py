"""Network faults against real sockets on 127.0.0.1: each gives one clear FetchError, fast."""

from __future__ import annotations

import gzip

import pytest

from spfeed.errors import FetchError
from spfeed.fetch import FetchOptions, get_page

from .servers import dripping, fixed, free_port, raw_server, silent


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
