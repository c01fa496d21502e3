"""The data an unchanged refresh needs: the fetched page, what a publish wrote and
what a refresh did to the store (nothing, then: its report still says so).

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


class Changes(msgspec.Struct, frozen=True):
    """What one refresh did to the store."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    gone: int = 0
    """Items that were on the page at the previous refresh and are not now."""
    pruned: int = 0
    """Items deleted by the retention setting."""
    stored: int = 0
    """Items in the store after the refresh."""

    def __add__(self, other: Changes) -> Changes:
        """Two sources' changes together; ``stored`` is the later count."""
        return Changes(
            new=self.new + other.new,
            updated=self.updated + other.updated,
            unchanged=self.unchanged + other.unchanged,
            gone=self.gone + other.gone,
            pruned=self.pruned + other.pruned,
            stored=max(self.stored, other.stored),
        )
