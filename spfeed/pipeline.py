"""Wire the stages: fetch -> parse -> normalize -> publish.

The only module that calls more than one stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .categories import Taxonomy, default_taxonomy
from .config import Config, Source
from .errors import ParseError
from .fetch import CONNECT_TIMEOUT, FetchOptions, get_page, read_file
from .models import FeedEntry, FeedMeta, Item, Page
from .normalize import Context, normalize_items
from .parse import ParsedPage, parse_page
from .publish import Written, write_feeds

if TYPE_CHECKING:
    import requests


@dataclass(frozen=True)
class Scrape:
    """One page, read and understood."""

    page: Page
    parsed: ParsedPage
    items: list[Item]
    taxonomy: Taxonomy
    """The categories the items were filed under; the feeds name them from it."""


@dataclass(frozen=True)
class RunReport:
    """What a refresh did, for the CLI to tell."""

    source: str
    profile: str
    items: int
    out_dir: Path
    written: Written


def load_page(source: Source, options: FetchOptions, session: requests.Session | None = None) -> Page:
    if source.is_url:
        return get_page(source.location, session=session, options=options)
    return read_file(source.location)


def scrape(
    source: Source,
    *,
    options: FetchOptions = FetchOptions(),  # noqa: B008 - frozen
    session: requests.Session | None = None,
    taxonomy: Taxonomy | None = None,
) -> Scrape:
    """Read the source and return its items; ParseError when it has none."""
    taxonomy = taxonomy if taxonomy is not None else default_taxonomy()
    page = load_page(source, options, session)
    parsed = parse_page(page.text, page.url, base_url=source.base_url, profile=source.profile)
    context = Context.for_page(parsed.base_url, source.timezone, _languages(source.language), taxonomy)
    items = normalize_items(parsed.items, context)
    if not items:
        raise ParseError(
            source.location,
            f"no items found with layout '{parsed.profile}': the layout changed or the "
            "page is under maintenance; the existing feeds were left as they were",
        )
    return Scrape(page=page, parsed=parsed, items=items, taxonomy=taxonomy)


def run(config: Config, *, session: requests.Session | None = None) -> RunReport:
    """Refresh the feeds from the configured source."""
    options = FetchOptions(timeout=(CONNECT_TIMEOUT, config.timeout), max_bytes=config.max_bytes, contact=config.contact)
    result = scrape(config.source, options=options, session=session)
    entries = [FeedEntry(item=item, updated=_entry_updated(item, result.page)) for item in result.items]
    meta = feed_meta(config, result)
    written = write_feeds(entries, meta, config.out_dir)
    return RunReport(
        source=config.source.location,
        profile=result.parsed.profile,
        items=len(entries),
        out_dir=config.out_dir,
        written=written,
    )


def feed_meta(config: Config, result: Scrape) -> FeedMeta:
    page_url = config.source.location if config.source.is_url else result.parsed.base_url
    return FeedMeta(
        title=config.source.title,
        subtitle=f"News, events and press releases from {page_url}",
        page_url=page_url,
        public_url=config.public_url,
        language=config.source.language,
        category_names=result.taxonomy.names(config.source.language),
    )


def _entry_updated(item: Item, page: Page) -> datetime:
    # Without a history store, an undated item can only be dated by this fetch.
    return item.published.start if item.published else page.fetched_at


def _languages(language: str) -> tuple[str, ...]:
    """The page's language first, then the others spfeed knows."""
    others = [lang for lang in ("en", "fr", "es") if lang != language]
    return (language, *others)
