"""Find the news items in a page's HTML. The only module that imports bs4/lxml.

What to look for on a page is data, not code: a layout profile (TOML, shipped
in ``spfeed/profiles/``) names a detection selector and the CSS selectors of
an item and of each of its fields. Every CSS selector spfeed uses lives in
those files.
"""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass, fields
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from .errors import ConfigError, ParseError
from .models import RawItem

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Profile:
    """How to find items on one page layout. Empty selectors are not used."""

    name: str
    detect: str
    item: str
    title: str
    link: str
    description: str = ""
    date: str = ""
    datetime: str = ""
    label: str = ""
    summary: str = ""
    image: str = ""
    group: str = ""
    next_page: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, object], origin: str) -> Profile:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"profile {origin}: unknown key(s) {', '.join(unknown)}")
        for key in ("name", "detect", "item", "title", "link"):
            if not isinstance(data.get(key), str) or not data[key]:
                raise ConfigError(f"profile {origin}: '{key}' must be a non-empty string")
        for key, value in data.items():
            if not isinstance(value, str):
                raise ConfigError(f"profile {origin}: '{key}' must be a string")
        return cls(**data)  # type: ignore[arg-type]


@dataclass(frozen=True)
class ParsedPage:
    """The items of one page, in page order, and where its links point from."""

    base_url: str
    items: list[RawItem]
    profile: str
    next_page: str | None = None
    skipped: int = 0
    """Blocks that looked like items but had no title or link."""


@lru_cache(maxsize=1)
def builtin_profiles() -> tuple[Profile, ...]:
    """The profiles shipped with spfeed, in detection order."""
    folder = resources.files("spfeed") / "profiles"
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            found.append(Profile.from_dict(tomllib.loads(entry.read_text("utf-8")), entry.name))
    return tuple(found)


def parse_page(
    html: str,
    page_url: str,
    *,
    base_url: str | None = None,
    profile: str | None = None,
    profiles: tuple[Profile, ...] | None = None,
) -> ParsedPage:
    """Extract the listing's items from ``html``.

    ``base_url`` overrides where relative links resolve from; otherwise the
    page's ``<base href>``, then (for a page read from disk) its canonical
    link or ``og:url``, then ``page_url``.
    """
    soup = _soup(html)
    candidates = profiles if profiles is not None else builtin_profiles()
    chosen = _choose_profile(soup, candidates, profile, page_url)
    resolved_base = base_url or _base_url(soup, page_url)
    items, skipped = _extract_items(soup, chosen)
    next_page = _first_attr(soup, chosen.next_page, "href") if chosen.next_page else None
    return ParsedPage(
        base_url=resolved_base,
        items=items,
        profile=chosen.name,
        next_page=urljoin(resolved_base, next_page) if next_page else None,
        skipped=skipped,
    )


def _soup(html: str) -> BeautifulSoup:
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "lxml")


def _choose_profile(
    soup: BeautifulSoup, candidates: tuple[Profile, ...], wanted: str | None, url: str
) -> Profile:
    if wanted:
        for candidate in candidates:
            if candidate.name == wanted:
                return candidate
        names = ", ".join(c.name for c in candidates)
        raise ConfigError(f"unknown layout profile '{wanted}' (known: {names})")
    for candidate in candidates:
        if soup.select_one(candidate.detect) is not None:
            return candidate
    raise ParseError(
        url,
        "no known layout found on the page: the layout changed or the page is "
        "under maintenance (name a profile with --profile, or add one in the config)",
    )


def _base_url(soup: BeautifulSoup, page_url: str) -> str:
    base = _first_attr(soup, "base[href]", "href")
    if base:
        return urljoin(page_url, base)
    if not page_url.startswith(("http://", "https://")):
        for selector, attr in (('link[rel="canonical"]', "href"), ('meta[property="og:url"]', "content")):
            found = _first_attr(soup, selector, attr)
            if found and found.startswith(("http://", "https://")):
                return found
    return page_url


def _extract_items(soup: BeautifulSoup, profile: Profile) -> tuple[list[RawItem], int]:
    items: list[RawItem] = []
    skipped = 0
    for block in soup.select(profile.item):
        item = _item_from_block(block, profile)
        if item is None:
            skipped += 1
            log.warning("skipped a listing block with no title or link (profile %s)", profile.name)
            continue
        items.append(item)
    return items, skipped


def _item_from_block(block: Tag, profile: Profile) -> RawItem | None:
    title = _text(block, profile.title)
    link = _first_attr(block, profile.link, "href")
    if not title or not link:
        return None
    return RawItem(
        title=title,
        url=link,
        date_text=_text(block, profile.date),
        datetime_attr=_first_attr(block, profile.datetime, "datetime"),
        label=_text(block, profile.label),
        summary=_text(block, profile.summary),
        image=_image_src(block, profile.image),
        group_date=_group_heading(block, profile.group),
    )


def _text(scope: Tag | BeautifulSoup, selector: str) -> str | None:
    if not selector:
        return None
    node = scope.select_one(selector)
    if node is None:
        return None
    text = node.get_text()
    return text if text.strip() else None


def _first_attr(scope: Tag | BeautifulSoup, selector: str, attr: str) -> str | None:
    if not selector:
        return None
    for node in scope.select(selector):
        value = node.get(attr)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _image_src(block: Tag, selector: str) -> str | None:
    if not selector:
        return None
    node = block.select_one(selector)
    if node is None:
        return None
    for attr in ("src", "data-src"):
        value = node.get(attr)
        if isinstance(value, str) and value.strip() and not value.startswith("data:"):
            return value.strip()
    srcset = node.get("srcset")
    if isinstance(srcset, str) and srcset.strip():
        return srcset.split(",")[0].split()[0]
    return None


def _group_heading(block: Tag, selector: str) -> str | None:
    """The nearest heading matching ``selector`` that comes before ``block``."""
    if not selector:
        return None
    for previous in block.find_all_previous():
        if previous.name and previous.css.match(selector):
            text = previous.get_text()
            return text if text.strip() else None
    return None
