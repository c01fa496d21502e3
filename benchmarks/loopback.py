"""The benchmark's web server on 127.0.0.1: fixed pages, a robots.txt, and a page that changes.

    with serving({"/dept.html": body}) as base:   # base = "http://127.0.0.1:PORT"
        ...

Every fixed page has an ETag and answers a matching ``If-None-Match`` with a
304, as ilo.org does. ``/changing.html`` (when ``changing`` is given) is that
page with a counter in it, a new version on every request, so a refresh
under ``spfeed schedule`` finds new content each time. It runs in a thread
of the benchmark's process, which does nothing else while a measured process
runs.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROBOTS = b"User-agent: *\nDisallow: /private/\n"


def etag_of(body: bytes) -> str:
    """The ETag a fixed page is served with."""
    return f'"{hashlib.sha256(body).hexdigest()[:16]}"'


@contextlib.contextmanager
def serving(pages: dict[str, bytes], *, changing: Callable[[int], bytes] | None = None) -> Iterator[str]:
    """Serve ``pages`` (path -> bytes), /robots.txt, and /changing.html from ``changing(n)``."""
    etags = {path: etag_of(body) for path, body in pages.items()}
    versions = itertools.count(1)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # TCP_NODELAY: the headers and the body go out as two writes, and with
        # Nagle's algorithm the body would wait for the client's delayed ACK of
        # the headers (~40 ms on Linux), a stall no real server adds.
        disable_nagle_algorithm = True

        def do_GET(self) -> None:  # http.server's name
            if self.path == "/robots.txt":
                self._send(200, ROBOTS, "text/plain")
            elif self.path == "/changing.html" and changing is not None:
                with lock:
                    number = next(versions)
                self._send(200, changing(number), "text/html; charset=utf-8", etag=f'"v{number}"')
            elif self.path in pages:
                etag = etags[self.path]
                if self.headers.get("If-None-Match") == etag:
                    self._send(304, b"", None, etag=etag)
                else:
                    self._send(200, pages[self.path], "text/html; charset=utf-8", etag=etag)
            else:
                self._send(404, b"not found", "text/plain")

        def _send(self, status: int, body: bytes, content_type: str | None, etag: str | None = None) -> None:
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            if etag:
                self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=2)
