"""Plain data passed between the stages: Page -> RawItem -> Item, and the rows of the store."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Literal

import msgspec

from .page import ATOM_FILE as ATOM_FILE
from .page import Page as Page
from .page import Written as Written

Precision = Literal["month", "day", "minute"]


class RawItem(msgspec.Struct, frozen=True):
    """One listing entry, with strings exactly as they stand on the page."""

    title: str
    url: str
    """The href as written: may be relative."""
    date_text: str | None = None
    datetime_attr: str | None = None
    """A machine date from ``<time datetime>``: ISO 8601 or UNIX seconds."""
    label: str | None = None
    summary: str | None = None
    image: str | None = None
    group_date: str | None = None
    """The heading of the group the item sits in (e.g. "July 2022" on archives)."""


class When(msgspec.Struct, frozen=True):
    """A normalized date: an aware start, an optional end, and how exact it is.

    ``precision`` says what the page really told us: "minute" when a time of
    day was shown, "day" for a date alone (pinned to midnight in the page's
    zone), "month" when only a month heading dated the item.
    """

    start: datetime
    end: datetime | None = None
    precision: Precision = "day"
    kind: str | None = None
    """A type prefix seen before the date, e.g. "Press release"."""


class Item(msgspec.Struct, frozen=True):
    """A normalized item, ready to store and publish."""

    id: str
    """Stable identity: the canonical URL of the article."""
    title: str
    url: str
    """Absolute http(s) URL as linked from the page."""
    published: When | None = None
    category: str | None = None
    """The label exactly as the page shows it."""
    category_slug: str | None = None
    """The canonical category (``categories.Taxonomy.classify``): from the label,
    else the date line's type prefix; None when the item has neither."""
    summary: str | None = None
    image: str | None = None


class FeedEntry(msgspec.Struct, frozen=True):
    """An item as a feed shows it: with the time it last changed for a reader."""

    item: Item
    updated: datetime
    language: str | None = None
    """The entry's language when it may differ from its feed's (a combined feed
    of several sources); None means the feed's."""
    content_html: str | None = None
    """Full HTML content, if a source carries it; publish sanitizes it."""
    authors: tuple[str, ...] = ()
    image: LeadImage | None = None
    """The article's lead image; None: the listing's image (``item.image``), if any."""
    enclosure: Enclosure | None = None
    """The file the item is (a report's PDF), when its link is one."""


class FeedMeta(msgspec.Struct, frozen=True):
    """What a feed says about itself."""

    title: str
    subtitle: str
    page_url: str
    """The department page the feed mirrors (the alternate link)."""
    public_url: str
    """Where the output directory is served; the feeds' self links live under it."""
    language: str = "en"
    """A BCP 47 tag; "mul" for a feed mixing languages, whose entries say their own."""
    author_name: str = "International Labour Organization"
    author_uri: str = "https://www.ilo.org"
    category_names: Mapping[str, str] = msgspec.field(default_factory=dict)
    """Canonical category slug -> its name in the feed's language (``Taxonomy.names``)."""
    hub: str | None = None
    """The WebSub hub the feed names beside its self link, if any."""
    former_categories: Mapping[str, str] = msgspec.field(default_factory=dict)
    """A slug that was a category of its own -> the category that took its labels in
    (``Taxonomy.formerly``): its feed goes on, for its subscribers."""


class LeadImage(msgspec.Struct, frozen=True):
    """An article's lead image (``og:image``), with what the page says of it."""

    url: str
    type: str | None = None
    width: int | None = None
    height: int | None = None


class Enclosure(msgspec.Struct, frozen=True):
    """A file an item links to (a report's PDF): its type and size in bytes."""

    url: str
    type: str
    length: int | None = None


class Article(msgspec.Struct, frozen=True):
    """What an item's own page says beyond the listing (see ``article.extract_article``)."""

    url: str
    content_html: str
    """The main text as HTML (links absolute); publish sanitizes it again."""
    published: When | None = None
    modified: datetime | None = None
    authors: tuple[str, ...] = ()
    image: LeadImage | None = None
    language: str | None = None
    tags: tuple[str, ...] = ()


# Rows of the store, read on the paths that use them (an unchanged refresh reads none).


class StoredItem(msgspec.Struct, frozen=True):
    """An item with its history."""

    entry: FeedEntry
    first_seen: datetime
    last_seen: datetime
    on_page: bool
    content_hash: str


class Layout(msgspec.Struct, frozen=True):
    """How a source's page was read at its last refreshes (the ``layouts`` table)."""

    profile: str | None
    """The layout profile that read the page at the last refresh."""
    previous: str | None = None
    """The profile that read it before the layout last changed."""
    changed_at: datetime | None = None
    learned: str | None = None
    """A profile learned from history, as a ``[[profile]]`` table (TOML)."""
    yields: tuple[int, ...] = ()
    """Items found by the last refreshes, oldest first."""
    drop_from: int | None = None
    """The recent refreshes' yield, when the last refresh found sharply fewer items."""

    @property
    def learned_name(self) -> str | None:
        """The name of the learned profile, if there is one."""
        if not self.learned:
            return None
        import tomllib  # here: only status asks

        tables = tomllib.loads(self.learned).get("profile") or [{}]
        return str(tables[0].get("name")) if tables[0].get("name") else None


class ArticleRecord(msgspec.Struct, frozen=True):
    """A row of ``articles``: what became of fetching one item's own page."""

    id: str
    listing_hash: str
    url: str
    status: str
    """'ok', 'file', 'failed' or 'given up'."""
    attempts: int = 0
    retry_at: str | None = None
    error: str | None = None
    fetched_at: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    data: str | None = None
    """JSON, written and read by fulltext.py."""
