"""Get a page's bytes over HTTP (or from a local file) and decode them.

The only module that imports requests.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import time
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit, urlunsplit

import msgspec

from . import __version__
from .errors import FetchError, NotHTML, RateLimited
from .numbers import whole_number
from .page import Page

# The item types (models.py) are imported where they are built: an unchanged
# refresh, the common case, builds none of them.
if TYPE_CHECKING:
    from urllib.robotparser import RobotFileParser

    import requests

    from .models import Enclosure

CONNECT_TIMEOUT = 5.0
DEFAULT_TIMEOUT = (CONNECT_TIMEOUT, 30.0)
"""Seconds to connect, and to wait for each read."""
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_TOTAL_TIMEOUT = 120.0
"""Seconds a whole fetch may take, however slowly the bytes trickle in."""
DEFAULT_CONTACT = ""
"""No contact by default: spfeed has no public home to name, and an invented
address would send a site's operators nowhere. ``contact`` sets one."""
MAX_REDIRECTS = 5

_HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml", "text/xml")
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


ROBOTS_TTL = 24 * 3600.0
"""Seconds a fetched robots.txt is trusted before it is fetched again."""
MAX_RETRY_AFTER = 24 * 3600.0


class Validators(msgspec.Struct, frozen=True):
    """What the server said last time, to ask "has it changed since?"."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        sent = {}
        if self.etag:
            sent["If-None-Match"] = self.etag
        if self.last_modified:
            sent["If-Modified-Since"] = self.last_modified
        return sent


class FetchOptions(msgspec.Struct, frozen=True):
    """The limits and manners of every request: timeouts, size, contact, total time."""

    timeout: tuple[float, float] = DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES
    contact: str = DEFAULT_CONTACT
    total_timeout: float = DEFAULT_TOTAL_TIMEOUT
    allowed_hosts: frozenset[str] = frozenset()
    """Hosts a redirect may lead to besides the page's own."""

    @property
    def user_agent(self) -> str:
        product = f"spfeed/{__version__}"
        return f"{product} (+{self.contact})" if self.contact else product


def get_page(
    url: str,
    *,
    session: requests.Session | None = None,
    options: FetchOptions = FetchOptions(),  # frozen, so sharing one default is safe
    validators: Validators | None = None,
) -> Page:
    """Fetch ``url`` and return it decoded; FetchError on any failure.

    With ``validators``, the request is conditional: a 304 answer comes back
    as a Page whose ``not_modified`` is true and whose text is empty.
    """
    headers = {"User-Agent": options.user_agent, "Accept": "text/html,application/xhtml+xml"}
    headers.update(validators.headers() if validators else {})
    deadline = time.monotonic() + options.total_timeout
    with _requesting(url, session, options) as active, _follow_redirects(active, url, headers, options) as response:
        if response.status_code == 304:
            return _not_modified(url, response, validators)
        _check_status(url, response)
        content_type = response.headers.get("Content-Type")
        _check_content_type(url, content_type)
        body = _read_limited(url, response, options, deadline)
    if not body.strip():
        raise FetchError(url, "the server sent an empty page")
    return Page(
        url=response.url or url,
        text=decode_html(body, _charset_of(content_type)),
        fetched_at=datetime.now(timezone.utc),
        status=response.status_code,
        content_type=content_type,
        etag=response.headers.get("ETag"),
        last_modified=response.headers.get("Last-Modified"),
        body_hash=hashlib.sha256(body).hexdigest(),
    )


@contextmanager
def _requesting(url: str, session: requests.Session | None, options: FetchOptions) -> Iterator[requests.Session]:
    """A session for the requests about ``url`` (its own if none is given, closed
    after), with requests' errors turned into FetchErrors that say what happened."""
    import requests

    active = session or requests.Session()
    try:
        yield active
    except requests.ConnectTimeout as e:
        raise FetchError(url, f"could not connect (no answer within {options.timeout[0]:g} s)") from e
    except requests.Timeout as e:
        raise FetchError(url, "timed out: the server did not answer in time") from e
    except requests.ConnectionError as e:
        raise FetchError(url, f"could not connect ({_network_reason(e)})") from e
    except requests.RequestException as e:
        raise FetchError(url, "request failed") from e
    finally:
        if session is None:
            active.close()


def _follow_redirects(
    session: requests.Session, url: str, headers: dict[str, str], options: FetchOptions, method: str = "GET"
) -> requests.Response:
    """GET ``url``, following redirects ourselves so each hop can be vetted.

    A redirect to another host is refused unless that host is allowed: a
    hijacked or retired page must not turn the feed into someone else's.
    """
    import requests

    current = url
    for _ in range(MAX_REDIRECTS + 1):
        try:
            response = session.request(
                method, current, headers=headers, timeout=options.timeout, stream=True, allow_redirects=False
            )
        except requests.RequestException:
            raise  # _requesting says what happened
        except ValueError as e:
            # requests reads a redirect's Location even when not following it, and
            # urlsplit raises on "https://[::1/page" (an unclosed IPv6 host).
            raise FetchError(url, f"the server's answer could not be read ({e})") from e
        if not response.is_redirect:
            return response
        target = urljoin(current, response.headers.get("Location", ""))
        response.close()
        _check_redirect(url, target, options)
        current = target
    raise FetchError(url, f"too many redirects (more than {MAX_REDIRECTS})")


def _check_redirect(url: str, target: str, options: FetchOptions) -> None:
    parts = urlsplit(target)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(url, f"redirected to {target!r}, which is not an http(s) URL")
    if not _same_site(url, target) and parts.hostname.lower() not in options.allowed_hosts:
        raise FetchError(
            url,
            f"redirected to another host ({parts.hostname}); add it to allowed_hosts "
            "in the config if that is expected",
        )


def _same_site(a: str, b: str) -> bool:
    return host_of(a).removeprefix("www.") == host_of(b).removeprefix("www.")


def host_of(url: str) -> str:
    """``url``'s host in lower case; "" when it has none, or when urllib cannot split it
    ("http://[::1": an unclosed IPv6 host)."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def _not_modified(url: str, response: requests.Response, sent: Validators | None) -> Page:
    # A 304 may omit the validators; the ones we sent still hold.
    return Page(
        url=response.url or url,
        text="",
        fetched_at=datetime.now(timezone.utc),
        status=304,
        etag=response.headers.get("ETag") or (sent.etag if sent else None),
        last_modified=response.headers.get("Last-Modified") or (sent.last_modified if sent else None),
    )


def _network_reason(error: BaseException) -> str:
    """The short reason buried in urllib3's wrapped errors: 'Connection refused'."""
    text = str(error)
    if "SSL" in text or "CERTIFICATE" in text.upper():
        return "TLS error: the server's certificate or handshake was refused"
    if "NameResolutionError" in text or "Name or service not known" in text:
        return "host name not found"
    found = re.search(r"\[Errno -?\d+\] ([^'\")\]]+)", text)
    if found:
        return found.group(1).strip()
    return "network error"


def read_file(path: str | Path) -> Page:
    """Read a saved page from disk, as if it had been fetched."""
    file = Path(path)
    try:
        body = file.read_bytes()
    except FileNotFoundError as e:
        raise FetchError(str(file), "no such file") from e
    except IsADirectoryError as e:
        raise FetchError(str(file), "is a directory, not a page") from e
    except OSError as e:
        raise FetchError(str(file), "cannot read file") from e
    return Page(
        url=file.resolve().as_uri(),
        text=decode_html(body, None),
        fetched_at=datetime.now(timezone.utc),
        body_hash=hashlib.sha256(body).hexdigest(),
    )


def _check_status(url: str, response: requests.Response) -> None:
    if response.status_code in (429, 503):
        wait = retry_after_seconds(response.headers.get("Retry-After"), datetime.now(timezone.utc))
        if wait is not None:
            raise RateLimited(url, f"HTTP {response.status_code}: the server asks to retry in {wait:.0f} s", wait)
    if response.status_code >= 400:
        reason = response.reason or ""
        raise FetchError(url, f"HTTP {response.status_code} {reason}".strip())


def _check_content_type(url: str, content_type: str | None) -> None:
    if content_type is None:
        return
    media_type = content_type.split(";")[0].strip().lower()
    if media_type and media_type not in _HTML_TYPES:
        raise NotHTML(url, f"not an HTML page (Content-Type: {media_type})", media_type)


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """Retry-After as seconds from ``now``: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    seconds = whole_number(value)
    if seconds is not None:
        return min(float(seconds), MAX_RETRY_AFTER)
    from email.utils import parsedate_to_datetime  # here: only a 429 or 503 gets this far

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return min(max((when - now).total_seconds(), 0.0), MAX_RETRY_AFTER)


def _read_limited(url: str, response: requests.Response, options: FetchOptions, deadline: float) -> bytes:
    """Read the (decompressed) body, stopping at the size and total-time limits.

    ``read1`` returns after each network read, so the clock is checked even
    when a server drips a byte at a time (each of which resets the per-read
    timeout); small reads let the size limit stop a decompression bomb early.
    """
    import requests
    import urllib3

    chunks: list[bytes] = []
    size = 0
    try:
        while chunk := response.raw.read1(16384, decode_content=True):
            size += len(chunk)
            if size > options.max_bytes:
                raise FetchError(url, f"page larger than the limit of {options.max_bytes} bytes")
            if time.monotonic() > deadline:
                raise FetchError(url, f"took longer than {options.total_timeout:g} s in total")
            chunks.append(chunk)
    except urllib3.exceptions.ReadTimeoutError as e:
        raise requests.Timeout(str(e)) from e
    except (urllib3.exceptions.ProtocolError, urllib3.exceptions.DecodeError) as e:
        raise FetchError(url, "the connection broke or the body was malformed") from e
    return b"".join(chunks)


def _charset_of(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = re.search(r"charset\s*=\s*[\"']?([^\"';\s]+)", content_type, re.IGNORECASE)
    return match.group(1) if match else None


def decode_html(body: bytes, http_charset: str | None) -> str:
    """Decode a page: BOM, then the HTTP charset, then ``<meta charset>``, then UTF-8.

    A BOM wins over the HTTP header, as in browsers (WHATWG encoding sniffing):
    servers often send a default charset that the file itself contradicts.
    Latin-1 is read as windows-1252, since pages that say one mean the other.
    """
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(encoding, errors="replace")
    for declared in (http_charset, _meta_charset(body)):
        known = _known_encoding(declared)
        if known:
            try:
                return body.decode(known, errors="replace")
            except (LookupError, UnicodeError):
                # A codec that is no page encoding: "base64", "hex" (not text encodings),
                # "idna", "punycode", "undefined" (refuse these bytes). The next guess reads it.
                continue
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("windows-1252", errors="replace")


def _meta_charset(body: bytes) -> str | None:
    match = _META_CHARSET.search(body[:4096])
    return match.group(1).decode("ascii", errors="ignore") if match else None


def _known_encoding(name: str | None) -> str | None:
    if not name:
        return None
    try:
        encoding = codecs.lookup(name.strip()).name
    except (LookupError, ValueError):  # ValueError: a NUL in the name
        return None
    if encoding in ("latin-1", "iso8859-1", "ascii"):
        return "windows-1252"
    return encoding


class Throttle:
    """Keeps at least ``delay`` seconds between two requests to the same host.

    The clock and the sleeper are injected so tests run without sleeping.
    """

    def __init__(
        self,
        delay: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.delay = delay
        self._clock = clock
        self._sleep = sleep
        self._last: dict[str, float] = {}

    def wait(self, url: str, *, counts: bool = True) -> None:
        """Sleep until ``delay`` has passed since the last counted request to
        ``url``'s host. A request that does not count (robots.txt, which goes
        with the page after it: one visit) waits but starts no new delay."""
        host = host_of(url)
        last = self._last.get(host)
        if last is not None:
            remaining = self.delay - (self._clock() - last)
            if remaining > 0:
                self._sleep(remaining)
        if counts:
            self._last[host] = self._clock()


class RobotsCache(msgspec.Struct):
    """robots.txt per host: ``{robots_url: (fetched_at, text)}``, kept by the caller."""

    entries: MutableMapping[str, tuple[float, str]] = msgspec.field(default_factory=dict)
    ttl: float = ROBOTS_TTL


def check_url(url: str) -> None:
    """FetchError for a URL urllib cannot split ("http://[::1/x": an unclosed IPv6
    host), before robots.txt and the throttle split it to find its host."""
    try:
        urlsplit(url)
    except ValueError as e:
        raise FetchError(url, f"not a valid URL ({e})") from None


def check_robots(
    url: str,
    *,
    cache: RobotsCache,
    session: requests.Session | None = None,
    options: FetchOptions = FetchOptions(),  # frozen, so sharing one default is safe
    now: float | None = None,
    before_request: Callable[[str], None] | None = None,
) -> None:
    """FetchError if the site's robots.txt disallows spfeed from ``url``.

    A missing robots.txt (4xx) allows everything; one that cannot be fetched
    (network error, 5xx) disallows nothing either but is not cached, so the
    next run asks again.
    """
    parts = urlsplit(url)
    robots_url = urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
    moment = time.time() if now is None else now
    cached = cache.entries.get(robots_url)
    if cached is None or moment - cached[0] > cache.ttl:
        if before_request is not None:
            before_request(robots_url)
        text = _fetch_robots(robots_url, session, options)
        if text is None:
            return
        cache.entries[robots_url] = cached = (moment, text)
    if not _robots_rules(cached[1]).can_fetch(options.user_agent, url):
        raise FetchError(
            url,
            f"robots.txt at {robots_url} disallows fetching this page; "
            "set respect_robots = false in the config to override (only with the site's permission)",
        )


def _robots_rules(text: str) -> RobotFileParser:
    """robots.txt as urllib.robotparser reads it, less the lines it cannot read.

    It raises on a whole file for one "Crawl-delay: ²" (int() of what isdigit()
    passed) or "Disallow: http://[x" (an unclosed IPv6 host); RFC 9309 has a
    crawler use the rules it can parse.
    """
    from urllib.robotparser import RobotFileParser

    def parsed(lines: list[str]) -> RobotFileParser | None:
        parser = RobotFileParser()
        try:
            parser.parse(lines)
        except ValueError:
            return None
        return parser

    lines = text.splitlines()
    whole = parsed(lines)
    if whole is not None:
        return whole
    readable = [line for line in lines if parsed(["User-agent: *", line]) is not None]
    return parsed(readable) or RobotFileParser()


def _fetch_robots(robots_url: str, session: requests.Session | None, options: FetchOptions) -> str | None:
    import requests

    getter = session or requests
    deadline = time.monotonic() + options.total_timeout
    try:
        # Streamed and read within the same limits as a page: a robots.txt that
        # drips or never ends must not hang the refresh.
        with getter.get(
            robots_url, headers={"User-Agent": options.user_agent}, timeout=options.timeout, stream=True
        ) as response:
            if 400 <= response.status_code < 500:
                return ""
            if response.status_code >= 500:
                return None
            body = _read_limited(robots_url, response, options, deadline)
    except (requests.RequestException, FetchError, ValueError):  # ValueError: a redirect to "https://[::1/x"
        return None
    return body.decode("utf-8", errors="replace")


def probe_file(
    url: str,
    *,
    session: requests.Session | None = None,
    options: FetchOptions = FetchOptions(),
) -> Enclosure:
    """The media type and size of the document at ``url``, without downloading it.

    A HEAD request; when the server refuses HEAD (405, 501) or gives no size,
    a GET of the first byte only (``Range: bytes=0-0``), whose Content-Range
    names the whole size. Redirects are vetted as for a page.
    """
    headers = {"User-Agent": options.user_agent}
    with _requesting(url, session, options) as active:
        with _follow_redirects(active, url, headers, options, method="HEAD") as response:
            if response.status_code not in (405, 501):
                _check_status(url, response)
                enclosure = _enclosure(url, response)
                if enclosure.length is not None:
                    return enclosure
        with _follow_redirects(active, url, {**headers, "Range": "bytes=0-0"}, options) as response:
            _check_status(url, response)
            return _enclosure(url, response)  # the body is never read


def _enclosure(url: str, response: requests.Response) -> Enclosure:
    from .models import Enclosure

    media_type = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
    length = None
    whole = re.fullmatch(r"\s*bytes\s+\d+-\d+/(\d+)\s*", response.headers.get("Content-Range") or "")
    if response.status_code == 206 and whole:
        length = whole_number(whole.group(1))
    elif response.status_code == 200:
        length = whole_number(response.headers.get("Content-Length"))
    return Enclosure(url=url, type=media_type or "application/octet-stream", length=length)
