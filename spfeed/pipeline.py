"""Wire the stages: fetch -> parse -> normalize -> store -> publish.

The only module that calls more than one stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .categories import Taxonomy, default_taxonomy
from .config import Config, Source
from .errors import ConfigError, ParseError
from .fetch import CONNECT_TIMEOUT, FetchOptions, get_page, read_file
from .models import FeedMeta, Item, Page
from .normalize import Context, normalize_items
from .parse import ParsedPage, parse_page
from .publish import Written, write_feeds
from .store import Changes, Store, refresh_lock

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
    """Items found on the page."""
    out_dir: Path
    written: Written
    store: Path
    changes: Changes
    shown: int
    """Items in the feeds (the newest ``max_items``)."""


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


def run(config: Config, *, session: requests.Session | None = None, now: datetime | None = None) -> RunReport:
    """Refresh the feeds: scrape, record in the store, publish from the store.

    A failed or empty scrape raises before the store or the feeds are touched.
    The store's writes are one transaction; the feeds are rendered from the
    store every time and rewritten only when their bytes change, so a crash
    between the two is repaired by the next refresh.
    """
    if now is None:
        # Whole seconds: feeds show them, and a reader gains nothing from microseconds.
        now = datetime.now(UTC).replace(microsecond=0)
    check_store_location(config)
    options = FetchOptions(timeout=(CONNECT_TIMEOUT, config.timeout), max_bytes=config.max_bytes, contact=config.contact)
    result = scrape(config.source, options=options, session=session)
    with (
        refresh_lock(config.store, config.lock_timeout),
        Store.open(config.store, timeout=config.lock_timeout) as store,
    ):
        changes = store.record_refresh(
            result.items,
            location=config.source.location,
            source_name=config.source.name,
            page=result.page,
            now=now,
            retain_days=config.retain_days,
        )
        entries = store.recent_entries(config.max_items)
        written = write_feeds(entries, feed_meta(config, result), config.out_dir)
    return RunReport(
        source=config.source.location,
        profile=result.parsed.profile,
        items=len(result.items),
        out_dir=config.out_dir,
        written=written,
        store=config.store,
        changes=changes,
        shown=len(entries),
    )


def check_store_location(config: Config) -> None:
    """The output directory is served to the world; the store must not be in it."""
    out_dir = config.out_dir.resolve()
    store = config.store.resolve()
    if store == out_dir or out_dir in store.parents:
        raise ConfigError(
            f"the store {config.store} is inside the output directory {config.out_dir}, "
            "which is served: put it elsewhere with --store"
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


def _languages(language: str) -> tuple[str, ...]:
    """The page's language first, then the others spfeed knows."""
    others = [lang for lang in ("en", "fr", "es") if lang != language]
    return (language, *others)
