"""Coverage-guided fuzzing of what spfeed reads from HTTP headers (atheris).

Both ends: what a server answers (Retry-After, Content-Type and its charset,
Content-Length, Content-Range, a robots.txt) and what a client asks ``spfeed
serve`` (method, path, Accept, Accept-Encoding, If-None-Match,
If-Modified-Since), each any text. The client side must give a value or
None (or NotHTML for a content type); ``serve`` must answer with a status it
documents and headers that fit on their lines. Anything raised is a crash.

    python fuzz/fuzz_headers.py -atheris_runs=100000 CORPUS fuzz/crashes/headers   # see docs/reliability.md
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import atheris

with atheris.instrument_imports():
    from spfeed.errors import NotHTML
    from spfeed.fetch import (
        MAX_RETRY_AFTER,
        _charset_of,
        _check_content_type,
        _enclosure,
        _robots_rules,
        decode_html,
        retry_after_seconds,
    )
    from spfeed.serve import make_app

URL = "https://www.ilo.org/media/report.pdf"
NOW = datetime(2024, 10, 1, tzinfo=UTC)
STATUSES = (200, 206, 304, 404, 429, 503)
SERVED = tempfile.TemporaryDirectory()
(Path(SERVED.name) / "atom.xml").write_bytes(b"<feed xmlns='http://www.w3.org/2005/Atom'>" + b" " * 2048 + b"</feed>")
APP = make_app(Path(SERVED.name))
ANSWERS = {"200 OK", "304 Not Modified", "404 Not Found", "405 Method Not Allowed"}


class _Answer:
    """What ``_enclosure`` reads of a response: its status and headers."""

    def __init__(self, status: int, headers: dict[str, str]) -> None:
        self.status_code = status
        self.headers = headers


def _server_side(value: str, status: int, robots: str) -> None:
    wait = retry_after_seconds(value, NOW)
    assert wait is None or 0 <= wait <= MAX_RETRY_AFTER, (value, wait)
    with contextlib.suppress(NotHTML):
        _check_content_type(URL, value)
    decode_html(b"<p>caf\xc3\xa9</p>", _charset_of(value))
    found = _enclosure(URL, _Answer(status, {"Content-Type": value, "Content-Length": value, "Content-Range": value}))
    assert found.length is None or found.length >= 0, found
    _robots_rules(robots).can_fetch("spfeed/0.1.0", "https://www.ilo.org/universal-social-protection-department")


def _client_side(values: list[str]) -> None:
    method, path, accept, encoding, etag, since = values
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method or "GET",
        "PATH_INFO": path or "/atom.xml",
        "HTTP_ACCEPT": accept,
        "HTTP_ACCEPT_ENCODING": encoding,
        "HTTP_IF_MODIFIED_SINCE": since,
    }
    if etag:
        environ["HTTP_IF_NONE_MATCH"] = etag
    answered: list[tuple[str, list[tuple[str, str]]]] = []
    b"".join(APP(environ, lambda status, headers: answered.append((status, headers))))
    status, headers = answered[0]
    assert status in ANSWERS, status
    assert not any(ch in text for name, value in headers for text in (name, value) for ch in "\r\n\x00"), headers


def test_one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    status = STATUSES[provider.ConsumeIntInRange(0, len(STATUSES) - 1)]
    values = [provider.ConsumeUnicodeNoSurrogates(provider.ConsumeIntInRange(0, 64)) for _ in range(7)]
    _server_side(values[0], status, provider.ConsumeUnicodeNoSurrogates(provider.remaining_bytes()))
    _client_side(values[1:])


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
