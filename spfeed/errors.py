"""spfeed's exceptions.

Every error spfeed raises on purpose is a ``SpfeedError``; the CLI turns it
into one line on stderr and exit code 1. The tree::

    SpfeedError                 root; str() is "<what failed>: <message>"
    ├── ConfigError             a bad or missing setting (also a ValueError)
    ├── FetchError              network failure or HTTP status >= 400 (carries url)
    │   ├── RateLimited         429/503 with Retry-After (carries the seconds to wait)
    │   └── NotHTML             the answer is a file, not a page (carries its media type)
    ├── ParseError              the page yielded no items: layout changed? (carries url)
    ├── StoreError              the history database failed (carries path)
    └── PublishError            a feed could not be rendered or written (carries path)

Foreign exceptions (requests, sqlite3, OSError, feedgen's ValueError) are
wrapped once, where they cross a module boundary, with ``raise ... from e``.
"""

from __future__ import annotations


class SpfeedError(Exception):
    """Base class of every error spfeed raises on purpose."""

    def __init__(self, message: str, *, where: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where

    def __str__(self) -> str:
        if self.where and self.where not in self.message:
            return f"{self.where}: {self.message}"
        return self.message


class ConfigError(SpfeedError, ValueError):
    """A setting is missing or invalid."""


class FetchError(SpfeedError):
    """The page could not be fetched or read."""

    def __init__(self, url: str, message: str) -> None:
        super().__init__(message, where=url)
        self.url = url


class RateLimited(FetchError):
    """The server asked us to come back later (429 or 503 with Retry-After)."""

    def __init__(self, url: str, message: str, retry_after: float) -> None:
        super().__init__(url, message)
        self.retry_after = retry_after


class NotHTML(FetchError):
    """The URL answered with something other than HTML (a PDF, an image, ...)."""

    def __init__(self, url: str, message: str, media_type: str) -> None:
        super().__init__(url, message)
        self.media_type = media_type


class ParseError(SpfeedError):
    """The page was read but yielded nothing usable."""

    def __init__(self, url: str, message: str) -> None:
        super().__init__(message, where=url)
        self.url = url


class StoreError(SpfeedError):
    """The history store failed."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message, where=path)
        self.path = path


class PublishError(SpfeedError):
    """A feed could not be rendered or written."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message, where=path)
        self.path = path
