"""Settings, as one frozen value passed explicitly to the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .fetch import DEFAULT_CONTACT, DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT

DEFAULT_SOURCE_URL = "https://www.ilo.org/universal-social-protection-department"
"""The department's page on the current ilo.org (the legacy one was
https://www.ilo.org/secsoc/lang--en/index.htm)."""
DEFAULT_OUT_DIR = Path("feeds")
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8080/"
"""Where the feeds are served from; the default is what ``spfeed serve`` uses."""
DEFAULT_TIMEZONE = "Europe/Zurich"
DEFAULT_STORE_PATH = Path("spfeed.sqlite")
"""The history store, in the current directory like ``feeds/``: never inside the
output directory, which is served."""
DEFAULT_MAX_ITEMS = 50
DEFAULT_LOCK_TIMEOUT = 30.0
"""Seconds a refresh waits for another one on the same store to finish."""


@dataclass(frozen=True)
class Source:
    """A page to turn into a feed: an http(s) URL or a local file path."""

    location: str = DEFAULT_SOURCE_URL
    base_url: str | None = None
    """Where relative links resolve from, for a page read from disk."""
    profile: str | None = None
    language: str = "en"
    timezone: str = DEFAULT_TIMEZONE
    title: str = "ILO Universal Social Protection Department: news"

    @property
    def is_url(self) -> bool:
        return self.location.startswith(("http://", "https://"))


@dataclass(frozen=True)
class StoreSettings:
    """Where the history lives and how long it is kept."""

    path: Path = DEFAULT_STORE_PATH
    retain_days: int | None = None
    """Delete items that left the page more than this many days ago; None keeps all."""
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT


@dataclass(frozen=True)
class Config:
    source: Source = field(default_factory=Source)
    out_dir: Path = DEFAULT_OUT_DIR
    public_url: str = DEFAULT_PUBLIC_URL
    timeout: tuple[float, float] = DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES
    contact: str = DEFAULT_CONTACT
    store: StoreSettings = field(default_factory=StoreSettings)
    max_items: int = DEFAULT_MAX_ITEMS
    """How many of the newest items the feeds show."""
