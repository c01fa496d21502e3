"""Tiny HTTP servers on 127.0.0.1 (most of them misbehaving), started and stopped by the tests."""

from __future__ import annotations

import contextlib
import hashlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Handler = Callable[[socket.socket], None]


@contextlib.contextmanager
def raw_server(handler: Handler) -> Iterator[str]:
    """Serve each connection with ``handler`` (raw socket); yield the base URL."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            threading.Thread(target=_handle, args=(handler, conn), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=2)
        listener.close()


def _handle(handler: Handler, conn: socket.socket) -> None:
    with conn:
        try:
            conn.recv(65536)  # the request; its content does not matter here
            handler(conn)
        except OSError:
            pass  # the client gave up: that is what these servers test


def dripping(interval: float, total: int = 10_000) -> Handler:
    """Headers at once, then one body byte every ``interval`` seconds."""

    def handler(conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % total)
        for _ in range(total):
            conn.sendall(b"x")
            time.sleep(interval)

    return handler


def silent(seconds: float) -> Handler:
    """Accept the connection, then say nothing for ``seconds``."""

    def handler(conn: socket.socket) -> None:
        time.sleep(seconds)

    return handler


def fixed(response: bytes) -> Handler:
    def handler(conn: socket.socket) -> None:
        conn.sendall(response)

    return handler


def free_port() -> int:
    """A port with nothing listening on it (connection refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def full_backlog() -> Iterator[str]:
    """A port whose accept queue is full: connecting times out, as to a dead host.

    Nothing ever accepts, and with the queue full the kernel drops new SYNs,
    so a connect() hangs until the client's connect timeout, on 127.0.0.1.
    """
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(4):
        filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        filler.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            filler.connect(("127.0.0.1", port))
        fillers.append(filler)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


def redirecting(location: Callable[[int], str]) -> Handler:
    """Answer the n-th connection with a 302 to ``location(n)``."""
    count = iter(range(1_000_000))

    def handler(conn: socket.socket) -> None:
        target = location(next(count)).encode()
        conn.sendall(b"HTTP/1.1 302 Found\r\nLocation: %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n" % target)

    return handler


def response(status: str, body: bytes = b"", content_type: str = "text/html", headers: str = "") -> bytes:
    """Raw bytes of a complete HTTP/1.1 response."""
    head = f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n{headers}"
    return head.encode() + b"Connection: close\r\n\r\n" + body


@contextlib.contextmanager
def serving_page(body: bytes, *, validators: bool = True) -> Iterator[str]:
    """Serve ``body`` at /page.html, and 404 for anything else (robots.txt too);
    yield the page's URL.

    With ``validators``, the page has an ETag and a Last-Modified date, and a
    request that sends either back gets a 304; without, it has neither, so only
    the bytes tell that it has not changed.
    """
    etag = '"v1"'
    modified = formatdate(time.time() - 3600, usegmt=True)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path != "/page.html":
                self.send_error(404)
                return
            if validators and (
                self.headers.get("If-None-Match") == etag or self.headers.get("If-Modified-Since") == modified
            ):
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            if validators:
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", modified)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    with http_server(Handler) as base:
        yield f"{base}/page.html"


@contextlib.contextmanager
def http_server(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Run ``handler`` on a free 127.0.0.1 port in a thread; yield the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=2)


@contextlib.contextmanager
def serving_site(pages: dict[str, tuple[bytes, str]]) -> Iterator[tuple[str, list[tuple[str, str, int]]]]:
    """Serve ``pages`` ({path: (body, content type)}) with an ETag each (a request
    that sends it back gets a 304), HEAD too, and 404 for anything else (robots.txt
    included); yield the base URL and the log of (method, path, status) answered."""
    served: list[tuple[str, str, int]] = []
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # http.server's name
            self._answer(send_body=True)

        def do_HEAD(self) -> None:
            self._answer(send_body=False)

        def _answer(self, *, send_body: bool) -> None:
            page = pages.get(self.path)
            if page is None:
                self._log(404)
                self.send_error(404)
                return
            body, content_type = page
            etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
            if self.headers.get("If-None-Match") == etag:
                self._log(304)
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self._log(200)
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", etag)
            self.end_headers()
            if send_body:
                self.wfile.write(body)

        def _log(self, status: int) -> None:
            with lock:
                served.append((self.command, self.path, status))

        def log_message(self, *args: object) -> None:
            pass

    with http_server(Handler) as base:
        yield base, served


@contextlib.contextmanager
def keep_alive_page(body: bytes) -> Iterator[tuple[str, list[int], list[str | None]]]:
    """Serve ``body`` at /news.html (setting a cookie) and a robots.txt, keeping
    connections open (HTTP/1.1); yield the page's URL, the client port of each
    connection made, and the Cookie header of each request for the page."""
    connections: list[int] = []
    cookies: list[str | None] = []

    class KeepAlive(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            connections.append(self.client_address[1])

        def do_GET(self) -> None:  # http.server's name
            is_page = self.path == "/news.html"
            page = body if is_page else b"User-agent: *\nDisallow: /private/\n"
            self.send_response(200)
            if is_page:
                cookies.append(self.headers.get("Cookie"))
                self.send_header("Set-Cookie", "visit=1; Path=/")
            self.send_header("Content-Type", "text/html" if is_page else "text/plain")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: object) -> None:
            pass

    with http_server(KeepAlive) as base:
        yield f"{base}/news.html", connections, cookies
