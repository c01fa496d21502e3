"""The data an unchanged refresh needs: the fetched page and what a publish wrote.

Apart from models.py (which re-exports them) so that a refresh answered by a 304
does not import the item and feed types it never builds (when they were
dataclasses, each cost about 1 ms to define at import; as msgspec Structs, little).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import msgspec

ATOM_FILE = "atom.xml"
"""The main feed, in the output directory. Here rather than in publish.py
because a refresh that publishes nothing still checks it is there, and that
path should not import the publishing code."""


class Page(msgspec.Struct, frozen=True):
    """A fetched (or read) page, decoded to text."""

    url: str
    """Where it came from (http(s) URL or file:// URL)."""
    text: str
    fetched_at: datetime
    status: int = 200
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    """SHA-256 of the bytes as received: unchanged bytes need no parsing."""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class Written(msgspec.Struct, frozen=True):
    """What one publish did: the files it rewrote and the ones already right."""

    changed: list[Path]
    unchanged: list[Path]
    changed_feeds: tuple[str, ...] = ()
    """The self URLs of the feeds among ``changed`` (what a WebSub hub is told)."""
