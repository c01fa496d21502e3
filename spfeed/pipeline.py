"""Wire the stages: fetch -> parse -> normalize -> store -> publish.

The only module that calls more than one stage.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .categories import Taxonomy, default_taxonomy
from .config import Config, Source
from .errors import ConfigError, ParseError
from .fetch import CONNECT_TIMEOUT, FetchOptions, get_page, read_file
from .models import FeedMeta, Item, Page
from .normalize import Context, canonical_url, normalize_items
from .parse import ParsedPage, Profile, parse_page, profiles_from_tables
from .publish import Written, write_feeds
from .store import Changes, Store, refresh_lock

if TYPE_CHECKING:
    import requests

log = logging.getLogger(__name__)

DEFAULT_BACKFILL_DELAY = 2.0
"""Seconds to wait between archive pages: a person paging, not a crawler."""


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
    skipped: int = 0
    """Listing blocks left out for lack of a title or link."""


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
    profiles: tuple[Profile, ...] = (),
) -> Scrape:
    """Read the source and return its items; ParseError when it has none.

    ``profiles`` are a user's layout profiles, tried before the built-in ones.
    """
    taxonomy = taxonomy if taxonomy is not None else default_taxonomy()
    page = load_page(source, options, session)
    parsed = parse_page(
        page.text, page.url, base_url=source.base_url, profile=source.profile, profiles=profiles
    )
    context = Context.for_page(parsed.base_url, source.timezone, _languages(source.language), taxonomy)
    items = normalize_items(parsed.items, context)
    if not items:
        raise ParseError(
            source.location,
            f"no items found with layout '{parsed.profile}': the layout changed or the "
            "page is under maintenance; the existing feeds were left as they were",
        )
    return Scrape(page=page, parsed=parsed, items=items, taxonomy=taxonomy)


def backfill(
    source: Source,
    pages: int,
    *,
    delay: float = DEFAULT_BACKFILL_DELAY,
    options: FetchOptions = FetchOptions(),  # noqa: B008 - frozen
    session: requests.Session | None = None,
    profiles: tuple[Profile, ...] = (),
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[Scrape]:
    """Scrape ``source`` and the archive pages after it, one Scrape per page.

    Follows each page's next-page link, waiting ``delay`` seconds before each
    request after the first, and stops after ``pages`` pages, at a page with
    no next link, at a link back to a page already read (archives that wrap
    around), or at a later page with no items (the archive ran out). The
    first page failing is an error, as for ``scrape``.
    """
    if pages < 1:
        raise ConfigError(f"backfill needs at least one page (got {pages})")
    seen: set[str] = set()
    current = source
    for number in range(1, pages + 1):
        if number > 1:
            sleep(delay)
        try:
            result = scrape(current, options=options, session=session, profiles=profiles)
        except ParseError as e:
            if number == 1:
                raise
            log.warning("stopped at page %d: %s", number, e)
            return
        seen.update(_page_identities(current, result))
        yield result
        next_url = result.parsed.next_page
        if next_url is None:
            return
        if canonical_url(next_url) in seen:
            log.warning("stopped at page %d: its next-page link leads back to %s", number, next_url)
            return
        current = replace(source, location=next_url, base_url=None)


def _page_identities(source: Source, result: Scrape) -> set[str]:
    """Every URL the page just read is known by, so a link back to it is seen."""
    urls = {result.page.url}
    if source.is_url:
        urls.add(source.location)
    else:
        urls.add(result.parsed.base_url)  # a saved page's canonical URL
    return {canonical_url(url) for url in urls if url.startswith(("http://", "https://"))}


def run(
    config: Config,
    *,
    session: requests.Session | None = None,
    profiles: tuple[Profile, ...] = (),
    now: datetime | None = None,
) -> RunReport:
    """Refresh the feeds: scrape, record in the store, publish from the store.

    ``profiles`` (from ``--profiles FILE``) come first, then the config
    file's ``[[profile]]`` tables, then the built-in layouts.

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
    profiles = (*profiles, *profiles_from_tables(config.profiles, "config"))
    result = scrape(config.source, options=options, session=session, profiles=profiles)
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
        skipped=result.parsed.skipped,
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
