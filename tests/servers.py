"""Tiny misbehaving HTTP servers on 127.0.0.1, started and stopped by the tests."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator

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
