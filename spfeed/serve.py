"""Serve the output directory over HTTP: a small static-file WSGI app on waitress.

Only what feed readers and browsers need, done right: media types with a
charset, ETag and Last-Modified with 304s, gzip when asked, HEAD, and no way
out of the directory (``..``, encoded or not, absolute paths, symlinks).
"""

from __future__ import annotations

import gzip
import hashlib
import logging
from collections.abc import Callable, Iterable
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from .errors import SpfeedError

if TYPE_CHECKING:
    from waitress.server import BaseWSGIServer, MultiSocketServer

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
CACHE_CONTROL = "public, max-age=300"
"""Feeds change a few times a day at most; readers poll, and revalidate cheaply."""
ALLOWED_METHODS = "GET, HEAD"

_UTF8 = "; charset=utf-8"
MEDIA_TYPES: dict[str, str] = {
    "atom.xml": "application/atom+xml" + _UTF8,
    "rss.xml": "application/rss+xml" + _UTF8,
    ".atom": "application/atom+xml" + _UTF8,
    ".rss": "application/rss+xml" + _UTF8,
    ".json": "application/feed+json" + _UTF8,
    ".html": "text/html" + _UTF8,
    ".opml": "application/xml" + _UTF8,
    ".xsl": "application/xml" + _UTF8,
    ".xml": "application/xml" + _UTF8,
    ".css": "text/css" + _UTF8,
    ".txt": "text/plain" + _UTF8,
}
"""By file name first, then by extension; anything else is not served."""
_COMPRESSIBLE_MIN = 256
_FEED_TYPES = ("application/atom+xml", "application/rss+xml")
BROWSER_FEED_TYPE = "application/xml" + _UTF8
"""What a browser gets for an XML feed: Chromium shows application/atom+xml and
application/rss+xml as plain text and applies the feed's stylesheet (feed.css)
only to XML types."""

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


class ServeError(SpfeedError):
    """The server could not start (port taken, directory missing...)."""


class Resource(msgspec.Struct, frozen=True):
    """A file to send, read once per request: feeds are small."""

    body: bytes
    media_type: str
    etag: str
    mtime: int


def media_type(path: Path) -> str | None:
    return MEDIA_TYPES.get(path.name) or MEDIA_TYPES.get(path.suffix.lower())


def make_app(root: Path) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    """The WSGI application serving the files under ``root``."""
    root = Path(root).resolve()

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        # waitress keeps no access log; `spfeed -v serve` shows one line per request.
        def logged(status: str, headers: list[tuple[str, str]]) -> Any:
            log.info("%s %s %s", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"), status.split(" ", 1)[0])
            return start_response(status, headers)

        return _respond(root, environ, logged)

    return app


def _respond(root: Path, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    method = environ.get("REQUEST_METHOD", "GET")
    if method not in ("GET", "HEAD"):
        return _error(start_response, "405 Method Not Allowed", head=False, extra=[("Allow", ALLOWED_METHODS)])
    path = resolve(root, _raw_path(environ))
    resource = _load(path) if path else None
    if resource is None:
        return _error(start_response, "404 Not Found", head=method == "HEAD")
    return _send(environ, start_response, resource, head=method == "HEAD")


def resolve(root: Path, url_path: str) -> Path | None:
    """The file under ``root`` that ``url_path`` names, or None.

    ``url_path`` is percent-decoded already. Any ``..`` or ``.`` segment,
    backslash, NUL or dotfile is refused outright, and the real path (symlinks
    followed) must still be inside ``root``.
    """
    if "\\" in url_path or "\x00" in url_path:
        return None
    segments = url_path.split("/")
    if segments[0] != "":
        return None
    parts = [s for s in segments[1:] if s]
    if any(s.startswith(".") for s in parts):
        return None
    candidate = root.joinpath(*parts) if parts else root
    if url_path.endswith("/") or not parts:
        candidate = candidate / "index.html"
    try:
        real = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not real.is_relative_to(root) or not real.is_file():
        return None
    return real


def _raw_path(environ: dict[str, Any]) -> str:
    # PEP 3333: PATH_INFO is decoded bytes carried in latin-1; %2F has become
    # "/" already, so an encoded slash is checked like a plain one.
    raw = environ.get("PATH_INFO", "") or "/"
    try:
        return str(raw).encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return "\x00"


def _load(path: Path) -> Resource | None:
    kind = media_type(path)
    if kind is None:
        return None
    try:
        body = path.read_bytes()
        mtime = int(path.stat().st_mtime)
    except OSError:
        return None
    digest = hashlib.blake2b(body, digest_size=12).hexdigest()
    return Resource(body=body, media_type=kind, etag=f'"{digest}"', mtime=mtime)


def _send(environ: dict[str, Any], start_response: StartResponse, res: Resource, *, head: bool) -> Iterable[bytes]:
    gzipped = _accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING", "")) and len(res.body) >= _COMPRESSIBLE_MIN
    # A strong ETag names one representation: the gzipped bytes get their own.
    etag = res.etag[:-1] + '-gz"' if gzipped else res.etag
    is_feed = res.media_type.startswith(_FEED_TYPES)
    headers = [
        ("ETag", etag),
        ("Last-Modified", formatdate(res.mtime, usegmt=True)),
        ("Cache-Control", CACHE_CONTROL),
        ("Vary", "Accept, Accept-Encoding" if is_feed else "Accept-Encoding"),
        ("X-Content-Type-Options", "nosniff"),
    ]
    if _not_modified(environ, res):
        start_response("304 Not Modified", headers)
        return []
    body = gzip.compress(res.body, mtime=0) if gzipped else res.body
    kind = BROWSER_FEED_TYPE if is_feed and _is_browser(environ.get("HTTP_ACCEPT", "")) else res.media_type
    headers += [("Content-Type", kind), ("Content-Length", str(len(body)))]
    if gzipped:
        headers.append(("Content-Encoding", "gzip"))
    start_response("200 OK", headers)
    return [] if head else [body]


def _is_browser(accept: str) -> bool:
    """A page navigation (asks for HTML), not a feed reader (names a feed type)."""
    accept = accept.lower()
    return "text/html" in accept and not any(kind in accept for kind in _FEED_TYPES)


def _not_modified(environ: dict[str, Any], res: Resource) -> bool:
    """RFC 9110 13.2.2: If-None-Match wins; If-Modified-Since only without it."""
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        return _etag_matches(if_none_match, res.etag)
    since = environ.get("HTTP_IF_MODIFIED_SINCE")
    if since:
        try:
            return res.mtime <= int(parsedate_to_datetime(since).timestamp())
        except (TypeError, ValueError, IndexError, OverflowError):
            return False
    return False


def _etag_matches(header: str, etag: str) -> bool:
    # Weak comparison: either representation (plain or gzipped) of these bytes.
    if header.strip() == "*":
        return True
    opaque = etag.strip('"')
    for candidate in header.split(","):
        tag = candidate.strip().removeprefix("W/").strip('"')
        if tag in (opaque, opaque + "-gz"):
            return True
    return False


def _accepts_gzip(header: str) -> bool:
    for part in header.split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() in ("gzip", "*"):
            return not _q_is_zero(params)
    return False


def _q_is_zero(params: str) -> bool:
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                return float(value) == 0
            except ValueError:
                return False
    return False


def _error(
    start_response: StartResponse, status: str, *, head: bool, extra: list[tuple[str, str]] | None = None
) -> list[bytes]:
    body = (status.split(" ", 1)[1] + "\n").encode("ascii")
    headers = [
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Length", str(len(body))),
        ("X-Content-Type-Options", "nosniff"),
        *(extra or []),
    ]
    start_response(status, headers)
    return [] if head else [body]


def create_server(root: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> BaseWSGIServer | MultiSocketServer:
    """A waitress server for ``root``, bound and ready to ``run()``; port 0 picks a free one."""
    import waitress

    root = Path(root)
    if not root.is_dir():
        raise ServeError(f"no such directory (run `spfeed refresh --out {root}` first)", where=str(root))
    try:
        return waitress.create_server(make_app(root), host=host, port=port, ident="spfeed")
    except OSError as e:
        raise ServeError(f"cannot listen on {host}:{port}: {e.strerror or e}", where=f"{host}:{port}") from e


def server_url(server: BaseWSGIServer | MultiSocketServer) -> str:
    host, port = server.effective_host, server.effective_port
    host = f"[{host}]" if ":" in str(host) else host
    return f"http://{host}:{port}/"


def shutdown(server: BaseWSGIServer | MultiSocketServer) -> None:
    """Stop a server running in another thread: its loop ends once its map is empty."""
    from waitress import wasyncore

    server.task_dispatcher.shutdown()
    wasyncore.close_all(server._map)

