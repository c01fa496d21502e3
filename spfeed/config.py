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
class Config:
    source: Source = field(default_factory=Source)
    out_dir: Path = DEFAULT_OUT_DIR
    public_url: str = DEFAULT_PUBLIC_URL
    timeout: tuple[float, float] = DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES
    contact: str = DEFAULT_CONTACT
