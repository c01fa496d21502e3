"""The history store: every item spfeed has seen, in one SQLite file.

Feeds are rendered from here, not from the page alone, so that ids never
change, ``updated`` moves only when a reader would see a difference, and items
that drop off the page stay in the feed. Stdlib ``sqlite3`` only, WAL mode.

The schema is ``SCHEMA`` (the latest version, for a new file) plus numbered
migrations from older versions, keyed on ``PRAGMA user_version``.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec
from msgspec.structs import asdict, fields, replace

from .errors import StoreError
from .lock import lock_path as lock_path  # re-exported: where callers looked for them before lock.py
from .lock import make_parent
from .lock import refresh_lock as refresh_lock
from .page import Changes, Page

if TYPE_CHECKING:  # imported where built: an unchanged refresh builds no item
    from .models import ArticleRecord, FeedEntry, Item, Layout, StoredItem, When

SCHEMA_VERSION = 7

_LAYOUTS_TABLE = """
-- v6: how each source's page was read (learn.py, drift.py), by source name.
CREATE TABLE layouts (
    source TEXT PRIMARY KEY,      -- the source's name (items.source)
    profile TEXT,                 -- the layout profile that read the page at the last refresh
    previous TEXT,                -- the one that read it before the layout last changed
    changed_at TEXT,              -- UTC, fixed width: when the layout last changed
    learned TEXT,                 -- a profile learned from history: a [[profile]] table (TOML)
    yields TEXT NOT NULL,         -- JSON list: items found by the last refreshes, oldest first
    drop_from INTEGER             -- the yield of recent refreshes, when the last one fell sharply below it
);
"""

SCHEMA = """
-- One row per article. The key is the canonical URL (normalize.canonical_url),
-- which is also the entry's Atom id and RSS guid: an id never changes, even
-- when the title does.
CREATE TABLE items (
    id TEXT PRIMARY KEY,          -- canonical URL: https, lower-case host, no fragment,
                                  -- no tracking parameters, no trailing slash
    url TEXT NOT NULL,            -- the link as the page gave it when the content last changed
    title TEXT NOT NULL,
    summary TEXT,
    image TEXT,
    category TEXT,                -- the label as the page shows it
    category_slug TEXT,
    published TEXT,               -- ISO 8601 start, with the page's UTC offset; NULL: no date
    published_end TEXT,           -- end of a date range, same form
    precision TEXT,               -- 'month' | 'day' | 'minute'; NULL when no date
    kind TEXT,                    -- the type shown before the date, e.g. 'Press release'
    first_seen TEXT NOT NULL,     -- UTC, fixed width (see utc_text), so text order is time order
    last_seen TEXT NOT NULL,      -- UTC, fixed width: the last refresh that found it on the page
    on_page INTEGER NOT NULL,     -- 1 if the last refresh found it on the page, else 0
    content_hash TEXT NOT NULL,   -- sha256 of what a reader sees (see content_hash())
    updated TEXT NOT NULL,        -- ISO 8601 with offset; moves only when content_hash changes
    sort_at TEXT NOT NULL,        -- UTC, fixed width: published start, else first_seen
    seq INTEGER NOT NULL,         -- order of first sighting; ties in sort_at go to the higher
                                  -- (found later, or higher up on the same page)
    source TEXT,                  -- v2: name of the source (config [[source]] name) that last
                                  -- listed it, for per-source feeds
    updated_key TEXT              -- v5: updated's UTC instant to the second, fixed width (see
                                  -- updated_key()): unique, so no two entries of a feed share one
);
-- The feed is "the newest N": walk this index, stop after N.
CREATE INDEX items_feed_order ON items (sort_at DESC, seq DESC);
-- v3: the same for one source's feed, however few of the items are that source's.
CREATE INDEX items_source_order ON items (source, sort_at DESC, seq DESC);
-- Marking items that left the page, retention, and numbering new items look at these.
CREATE INDEX items_on_page ON items (on_page);
CREATE INDEX items_last_seen ON items (last_seen);
CREATE INDEX items_seq ON items (seq);
CREATE UNIQUE INDEX items_updated_key ON items (updated_key);

-- One row per page spfeed reads (--source as given: a URL or a file path).
CREATE TABLE sources (
    location TEXT PRIMARY KEY,
    page_url TEXT,                -- where the page was read from (after redirects)
    last_success TEXT,            -- UTC, fixed width: the last refresh that found items
    item_count INTEGER,           -- how many items that refresh found
    name TEXT,                    -- v2: the source's name in the config
    -- v2: HTTP validators and a hash of the body, for conditional fetching
    etag TEXT,
    last_modified TEXT,
    body_hash TEXT,               -- sha256 of the page's bytes (Page.body_hash)
    language TEXT                 -- v7: the language the page last declared (parse.declared_language),
                                  -- for a source configured without one; NULL: it never declared one
);

-- v4: each item's own page, for full-text feeds (fulltext.py): fetched once,
-- again only when the item's listing entry changes or a failure is retried.
CREATE TABLE articles (
    id TEXT PRIMARY KEY,          -- items.id
    listing_hash TEXT NOT NULL,   -- items.content_hash when it was fetched: a new one fetches again
    url TEXT NOT NULL,            -- what was fetched (the item's link)
    status TEXT NOT NULL,         -- 'ok' (an article), 'file' (a document: enclosure only),
                                  -- 'failed' (retried at retry_at) or 'given up'
    attempts INTEGER NOT NULL,    -- failures in a row
    retry_at TEXT,                -- UTC, fixed width: not asked again before
    error TEXT,                   -- the last failure, as told to the user
    fetched_at TEXT,              -- UTC, fixed width: the last successful fetch (or 304)
    etag TEXT,                    -- validators of the last 200, for a conditional fetch
    last_modified TEXT,
    data TEXT                     -- JSON: what fulltext.py extracted (content, authors, image, enclosure, ...)
);
"""


_ARTICLES_TABLE = SCHEMA[SCHEMA.index("CREATE TABLE articles") :].strip()
SCHEMA += _LAYOUTS_TABLE  # v6, after _ARTICLES_TABLE: that runs to the end of the v4 schema


def _update_from_1_to_2(db: sqlite3.Connection) -> None:
    # v1 knew one page per store; v2 names the source of each item (per-source
    # feeds), keeps what a conditional GET needs, and indexes seq so numbering
    # new items does not scan the whole history.
    db.execute("ALTER TABLE items ADD COLUMN source TEXT")
    for column in ("name", "etag", "last_modified", "body_hash"):
        db.execute(f"ALTER TABLE sources ADD COLUMN {column} TEXT")
    db.execute("CREATE INDEX items_seq ON items (seq)")


def _update_from_2_to_3(db: sqlite3.Connection) -> None:
    # A source's feed walked items_feed_order skipping the other sources'
    # items: the whole history when that source has fewer than N items.
    db.execute("CREATE INDEX items_source_order ON items (source, sort_at DESC, seq DESC)")


def _update_from_3_to_4(db: sqlite3.Connection) -> None:
    # Full-text feeds: what each item's own page gave, so it is fetched once.
    db.execute(_ARTICLES_TABLE)


def _update_from_4_to_5(db: sqlite3.Connection) -> None:
    # Items dated by day alone shared their midnight as `updated` (the W3C
    # validator's DuplicateUpdated). Of each group sharing one, the first seen
    # (lowest seq: lowest on its page) keeps it and the others move up a second
    # at a time, as record_refresh would have placed them; no other item moves.
    db.execute("ALTER TABLE items ADD COLUMN updated_key TEXT")
    by_seq = db.execute("SELECT id, updated FROM items ORDER BY seq")
    rows = [(item_id, datetime.fromisoformat(text)) for item_id, text in by_seq]
    taken = {updated_key(moment) for _, moment in rows}
    owned: set[str] = set()
    settled = []
    for item_id, moment in rows:
        if updated_key(moment) in owned:
            moment = first_free(moment, lambda second: updated_key(second) in taken)
            taken.add(updated_key(moment))
        owned.add(updated_key(moment))
        settled.append((moment.isoformat(), updated_key(moment), item_id))
    db.executemany("UPDATE items SET updated = ?, updated_key = ? WHERE id = ?", settled)
    db.execute("CREATE UNIQUE INDEX items_updated_key ON items (updated_key)")


def _update_from_5_to_6(db: sqlite3.Connection) -> None:
    # Profiles learned when a page's layout changes, and the yields that tell
    # a sharp drop from the page's usual size.
    for statement in _statements(_LAYOUTS_TABLE):
        db.execute(statement)


def _update_from_6_to_7(db: sqlite3.Connection) -> None:
    # A source configured without a language takes its page's: kept for the
    # refreshes that do not read the page (304, the same bytes).
    db.execute("ALTER TABLE sources ADD COLUMN language TEXT")


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: _update_from_1_to_2,
    2: _update_from_2_to_3,
    3: _update_from_3_to_4,
    4: _update_from_4_to_5,
    5: _update_from_5_to_6,
    6: _update_from_6_to_7,
}
"""``MIGRATIONS[n]`` upgrades a store from version n to n + 1."""

_REBUILD = (
    "move it away (e.g. mv {path} {path}.broken) and run spfeed refresh again to start "
    "a new store from the page (items no longer on the page are then lost)"
)


def content_hash(item: Item) -> str:
    """A digest of what a feed reader shows of an item.

    The link counts through the id (its canonical form), so tracking
    parameters or http/https churn on the page do not make an item "updated".
    Dates count as instants, so a change of time-zone spelling does not either.
    """
    published = item.published
    seen = {
        "title": item.title,
        "summary": item.summary,
        "image": item.image,
        "category": item.category,
        "category_slug": item.category_slug,
        "start": _utc_iso(published.start) if published else None,
        "end": _utc_iso(published.end) if published and published.end else None,
        # The type prefix names the category when the taxonomy has no name for it.
        "kind": published.kind if published else None,
    }
    return hashlib.sha256(_SEEN_JSON.encode(seen)).hexdigest()


_SEEN_JSON = msgspec.json.Encoder(order="sorted")
"""The bytes ``json.dumps(seen, ensure_ascii=False, sort_keys=True, separators=(",", ":"))``
made, which the stored hashes were taken of (a test holds them equal), in a tenth of the
time: a 2,000-item page hashes every item."""


def utc_text(moment: datetime) -> str:
    """A fixed-width UTC timestamp, so that SQL compares them as text correctly."""
    utc = moment.astimezone(UTC)
    if utc.year < 1000:  # strftime does not pad such years on every platform; keep its spelling
        return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    # The same text as strftime("%Y-%m-%dT%H:%M:%S.%fZ"), at half the cost.
    return utc.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def first_updated(item: Item, now: datetime) -> datetime:
    """The ``updated`` an item wishes for when first seen: its date, but never in the future.

    Upcoming events are dated ahead; an entry cannot have changed after now.
    A real time of day (precision "minute": from the page, or from the
    article itself once full text gives it) is taken as it is; a date alone
    is its midnight. Either way ``Store`` then moves the wish up a second at
    a time while another item holds that second (see ``first_free``).
    """
    if item.published is not None and item.published.start <= now:
        return item.published.start
    return now


TIEBREAK = timedelta(seconds=1)
"""How far an ``updated`` moves past one another item already holds."""


@lru_cache(maxsize=8192)
def updated_key(moment: datetime) -> str:
    """What must be unique among the items' ``updated``: the UTC instant, to the second.

    The instant, so one moment spelled with two UTC offsets (two sources in
    different zones) is one; to the second, because JSON Feed shows no more.
    Cached: finding free seconds asks for the same moments' keys several times
    (aware datetimes that are one instant are equal, and have one key).
    """
    return utc_text(moment.replace(microsecond=0))


def first_free(moment: datetime, taken: Callable[[datetime], bool]) -> datetime:
    """``moment``, or the first whole second after it that is not ``taken``.

    Upward, so among items wishing for one instant the one placed later (higher
    on its page, or found later) is the newer, as in the feed's order.
    """
    while taken(moment):
        moment += TIEBREAK
    return moment


def _keys_wished(wishes: Sequence[tuple[str, datetime]]) -> list[str]:
    """The keys the wishes may take: a second wished by n items, and the n - 1 after it.

    Read in a few queries up front, not one query per item moved up (2,000 items
    dated by day only: 1,194 queries, a third of a first refresh's store time).
    """
    shared: dict[str, tuple[datetime, int]] = {}
    for _, moment in wishes:
        key = updated_key(moment)
        first, count = shared.get(key, (moment, 0))
        shared[key] = (first, count + 1)
    return [updated_key(first + TIEBREAK * step) for first, count in shared.values() for step in range(count)]


class Store:
    """An open history store. Use ``Store.open(path)`` as a context manager."""

    def __init__(self, db: sqlite3.Connection, path: Path) -> None:
        self._db = db
        self.path = path

    @classmethod
    def open(cls, path: Path, *, timeout: float = 30.0) -> Store:
        """Open (creating or migrating as needed) the store at ``path``."""
        store = cls.connect(path, timeout=timeout)
        try:
            store.prepare_to_write()
        except BaseException:
            store.close()
            raise
        return store

    @classmethod
    def connect(cls, path: Path, *, timeout: float = 30.0) -> Store:
        """The store at ``path`` as it is, to read: nothing is created, migrated or
        written (SQLite's ``-wal`` and ``-shm`` files go when it is closed) until
        ``prepare_to_write``. It may be of an older schema version."""
        path = Path(path)
        make_parent(path)
        with _translate(path):
            db = sqlite3.connect(path, timeout=timeout, isolation_level=None)
            db.row_factory = sqlite3.Row
        return cls(db, path)

    def prepare_to_write(self) -> None:
        """WAL mode, and the schema created or migrated (what ``open`` does)."""
        with _translate(self.path):
            self._db.execute("PRAGMA journal_mode = WAL")
            # A commit then writes the WAL without waiting for the disk; the
            # checkpoint at the end of every refresh (``checkpoint``, or closing)
            # copies it with fsyncs, so the store is as durable when a refresh ends,
            # with fewer waits.
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._migrate()

    def checkpoint(self) -> None:
        """Copy the WAL into the store file now, as closing would: the file then
        stays as it is until the next write (``state.store_stamp`` relies on it)."""
        with _translate(self.path):
            self._db.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def version(self) -> int:
        with _translate(self.path):
            return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        with self._transaction():
            version = int(self._db.execute("PRAGMA user_version").fetchone()[0])
            if version > SCHEMA_VERSION:
                raise StoreError(
                    str(self.path),
                    f"the store was written by a newer spfeed (schema v{version}; this one knows "
                    f"up to v{SCHEMA_VERSION}): upgrade spfeed, or use another --store",
                )
            if version == 0:
                self._create()
                return
            if version == SCHEMA_VERSION:
                return  # opening writes nothing: a failed refresh leaves the file's bytes alone
            for step in range(version, SCHEMA_VERSION):
                MIGRATIONS[step](self._db)
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _create(self) -> None:
        if self._db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise StoreError(str(self.path), "this SQLite file is not an spfeed store: choose another --store path")
        for statement in _statements(SCHEMA):
            self._db.execute(statement)
        self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def transaction(self) -> AbstractContextManager[None]:
        """One transaction around several steps (record a refresh, then publish
        it): an error in any of them leaves the store as it was."""
        return self._transaction()

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        # BEGIN IMMEDIATE takes the write lock up front: a concurrent writer
        # waits (busy timeout) instead of failing halfway through.
        if self._db.in_transaction:
            yield  # the enclosing transaction commits or rolls back
            return
        with _translate(self.path):
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                # SQLite has already rolled back after some errors (SQLITE_FULL):
                # a second ROLLBACK would fail and hide the real error.
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def record_refresh(
        self,
        items: Sequence[Item],
        *,
        location: str,
        page: Page,
        now: datetime,
        source_name: str | None = None,
        retain_days: int | None = None,
        complete: bool = True,
        page_url: str | None = None,
        language: str | None = None,
    ) -> Changes:
        """Record one refresh of the page at ``location`` that found ``items``
        (in page order), in one transaction.

        ``complete`` says the page lists everything current (the department
        page): items of the same source missing from it have left the page.
        An archive page (backfill) lists only some, so it marks none gone.
        ``language`` is the one the page declares; None keeps the one it declared before.
        """
        if not items:
            raise ValueError("a refresh without items would mark every item gone")
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        with self._transaction():
            counts = self._upsert_items(items, now, source_name)
            gone = self._mark_gone({item.id for item in items}, source_name) if complete else 0
            pruned = self._prune(now, retain_days)
            self._record_source(location, source_name, page, len(items), now, page_url or page.url, language)
            stored = self._db.execute("SELECT count(*) FROM items").fetchone()[0]
        return Changes(gone=gone, pruned=pruned, stored=stored, **counts)

    def _upsert_items(self, items: Sequence[Item], now: datetime, source: str | None) -> dict[str, int]:
        # One read of the page's rows and one batch per kind of write: per-item
        # statements cost more than the work itself on a long page.
        unique = _unique(items)
        stored = self._stored_versions([item.id for item in unique])
        seq = self._db.execute("SELECT coalesce(max(seq), 0) FROM items").fetchone()[0]
        seen = utc_text(now)
        inserts: list[tuple[Any, ...]] = []
        rewrites: list[dict[str, Any]] = []
        touches: list[tuple[str, str | None, str]] = []
        digests = {item.id: content_hash(item) for item in unique}
        # Bottom of the page first: an item higher up gets a higher seq, which
        # wins ties in the feed order, as it does on the page, and the later
        # second when it wishes for the same `updated` as another.
        bottom_up = unique[::-1]
        wishes = [
            (item.id, _wished_updated(item, stored.get(item.id), now))
            for item in bottom_up
            if item.id not in stored or stored[item.id][0] != digests[item.id]
        ]
        updated = self._distinct_updated(wishes)
        for item in bottom_up:
            if item.id not in stored:
                seq += 1
                inserts.append(_insert_values(item, digests[item.id], updated[item.id], seen, seq, source))
            elif item.id in updated:
                rewrites.append(_rewrite_values(item, digests[item.id], seen, updated[item.id], source))
            else:
                touches.append((seen, source, item.id))
        self._db.executemany(_INSERT, inserts)
        self._db.executemany(_REWRITE, rewrites)
        self._db.executemany("UPDATE items SET last_seen = ?, on_page = 1, source = ? WHERE id = ?", touches)
        return {"new": len(inserts), "updated": len(rewrites), "unchanged": len(touches)}

    def _distinct_updated(self, wishes: Sequence[tuple[str, datetime]]) -> dict[str, datetime]:
        """id -> the ``updated`` each item written now gets: its wish, or the
        first second after it that no other item holds (``first_free``).

        Placed in the order given (bottom of the page first). The items already
        stored keep theirs, the ones about to be rewritten included until they
        are, so the batch of writes never meets the unique index halfway.
        """
        holders = self._holders(_keys_wished(wishes))
        settled: dict[str, datetime] = {}
        for item_id, wish in wishes:

            def taken(moment: datetime, item_id: str = item_id) -> bool:
                key = updated_key(moment)
                if key not in holders:  # moved up past what was read
                    holders.update(self._holders([key]))
                return holders[key] not in (None, item_id)

            settled[item_id] = first_free(wish, taken)
            holders[updated_key(settled[item_id])] = item_id
        return settled

    def _holders(self, keys: Sequence[str]) -> dict[str, str | None]:
        """updated_key -> the id of the stored item holding it, or None, for each of ``keys``."""
        holders: dict[str, str | None] = dict.fromkeys(keys)
        unique = list(holders)
        for start in range(0, len(unique), _IDS_PER_QUERY):
            chunk = unique[start : start + _IDS_PER_QUERY]
            query = f"SELECT updated_key, id FROM items WHERE updated_key IN ({', '.join('?' * len(chunk))})"
            holders.update(self._db.execute(query, chunk).fetchall())
        return holders

    def _stored_versions(self, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        """id -> (content_hash, updated) of the rows of ``ids`` already stored."""
        found: dict[str, tuple[str, str]] = {}
        for start in range(0, len(ids), _IDS_PER_QUERY):
            chunk = ids[start : start + _IDS_PER_QUERY]
            marks = ", ".join("?" * len(chunk))
            query = f"SELECT id, content_hash, updated FROM items WHERE id IN ({marks})"
            for item_id, digest, updated in self._db.execute(query, chunk):
                found[item_id] = (digest, updated)
        return found

    def _mark_gone(self, on_page: set[str], source: str | None) -> int:
        # Only this source's items: another source's page says nothing of them.
        rows = self._db.execute("SELECT id FROM items WHERE on_page = 1 AND source IS ?", (source,))
        was_on_page = [row[0] for row in rows]
        gone = [(item_id,) for item_id in was_on_page if item_id not in on_page]
        self._db.executemany("UPDATE items SET on_page = 0 WHERE id = ?", gone)
        return len(gone)

    def _prune(self, now: datetime, retain_days: int | None) -> int:
        if retain_days is None:
            return 0
        cutoff = utc_text(now - timedelta(days=retain_days))
        cursor = self._db.execute("DELETE FROM items WHERE on_page = 0 AND last_seen < ?", (cutoff,))
        return cursor.rowcount

    def _record_source(
        self, location: str, name: str | None, page: Page, count: int, now: datetime, page_url: str,
        language: str | None,
    ) -> None:
        # A page that stops declaring its language (a reskin, a maintenance page)
        # keeps the one it declared: its feed and dates do not flip to English.
        self._db.execute(
            """
            INSERT INTO sources (
                location, name, page_url, last_success, item_count, etag, last_modified, body_hash, language
            )
            VALUES (
                :location, :name, :page_url, :last_success, :item_count, :etag, :last_modified, :body_hash, :language
            )
            ON CONFLICT (location) DO UPDATE SET
                name = excluded.name, page_url = excluded.page_url, last_success = excluded.last_success,
                item_count = excluded.item_count, etag = excluded.etag,
                last_modified = excluded.last_modified, body_hash = excluded.body_hash,
                language = coalesce(excluded.language, sources.language)
            """,
            {
                "location": location,
                "name": name,
                "page_url": page_url,
                "last_success": utc_text(now),
                "item_count": count,
                "etag": page.etag,
                "last_modified": page.last_modified,
                "body_hash": page.body_hash or hashlib.sha256(page.text.encode("utf-8")).hexdigest(),
                "language": language,
            },
        )

    def recent_entries(self, limit: int, *, source: str | None = None) -> list[FeedEntry]:
        """The newest ``limit`` items, newest first, as the feeds show them;
        only those last listed by the source named ``source``, if given."""
        where = "WHERE source = :source" if source is not None else ""
        query = f"SELECT * FROM items {where} ORDER BY sort_at DESC, seq DESC LIMIT :limit"
        with _translate(self.path):
            rows = self._db.execute(query, {"source": source, "limit": limit}).fetchall()
        return [_entry(row) for row in rows]

    def count(self, *, source: str | None = None) -> int:
        """Items stored, or only those last listed by the source named ``source``."""
        where, args = ("WHERE source = ?", (source,)) if source is not None else ("", ())
        with _translate(self.path):
            return int(self._db.execute(f"SELECT count(*) FROM items {where}", args).fetchone()[0])

    def get(self, item_id: str) -> StoredItem | None:
        """One item with its history, by id (the canonical URL)."""
        from .models import StoredItem

        with _translate(self.path):
            row = self._db.execute("SELECT * FROM items WHERE id = ?", (item_id,)).fetchone()
        if row is None:
            return None
        return StoredItem(
            entry=_entry(row),
            first_seen=datetime.fromisoformat(row["first_seen"]),
            last_seen=datetime.fromisoformat(row["last_seen"]),
            on_page=bool(row["on_page"]),
            content_hash=row["content_hash"],
        )

    def sources(self) -> dict[str, dict[str, Any]]:
        """What the store remembers of every source, by location."""
        with _translate(self.path):
            return {row["location"]: dict(row) for row in self._db.execute("SELECT * FROM sources")}

    def source(self, location: str) -> dict[str, Any] | None:
        """What the store remembers of a source: last success, validators, body hash."""
        with _translate(self.path):
            row = self._db.execute("SELECT * FROM sources WHERE location = ?", (location,)).fetchone()
        return dict(row) if row is not None else None

    def items_by_id(self, ids: Sequence[str]) -> dict[str, Item]:
        """The stored items among ``ids``, as last recorded."""
        found: dict[str, Item] = {}
        with _translate(self.path):
            for start in range(0, len(ids), _IDS_PER_QUERY):
                chunk = list(ids[start : start + _IDS_PER_QUERY])
                query = f"SELECT * FROM items WHERE id IN ({', '.join('?' * len(chunk))})"
                found.update((row["id"], _entry(row).item) for row in self._db.execute(query, chunk))
        return found

    def layouts(self) -> dict[str, Layout]:
        """How each source's page was read, by source name."""
        from .models import Layout

        with _translate(self.path):
            if self._db.execute("SELECT 1 FROM sqlite_master WHERE name = 'layouts'").fetchone() is None:
                return {}  # a store from before layouts were kept, opened read-only: not migrated
            return {
                row["source"]: Layout(
                    profile=row["profile"],
                    previous=row["previous"],
                    changed_at=datetime.fromisoformat(row["changed_at"]) if row["changed_at"] else None,
                    learned=row["learned"],
                    yields=tuple(json.loads(row["yields"])),
                    drop_from=row["drop_from"],
                )
                for row in self._db.execute("SELECT * FROM layouts")
            }

    def record_layout(
        self,
        source: str,
        *,
        profile: str,
        yields: Sequence[int],
        now: datetime,
        learned: str | None = None,
        drop_from: int | None = None,
    ) -> Layout:
        """Remember which profile read the page and what it found; a new
        ``learned`` profile replaces the source's old one."""
        from .models import Layout

        old = self.layouts().get(source)
        layout = Layout(profile=profile, yields=tuple(yields), drop_from=drop_from)
        if old is not None:
            # A profile learned anew keeps its name, but the layout did change.
            changed = old.profile is not None and (old.profile != profile or learned not in (None, old.learned))
            layout = replace(
                layout,
                previous=old.profile if changed else old.previous,
                changed_at=now.astimezone(UTC) if changed else old.changed_at,
                learned=learned or old.learned,
            )
        else:
            layout = replace(layout, learned=learned)
        with self._transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO layouts (source, profile, previous, changed_at, learned, yields, drop_from) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    source,
                    layout.profile,
                    layout.previous,
                    utc_text(layout.changed_at) if layout.changed_at else None,
                    layout.learned,
                    json.dumps(list(layout.yields)),
                    layout.drop_from,
                ),
            )
        return layout

    # --- Full text (fulltext.py): one row per item whose own page was fetched ---------

    @classmethod
    def read_only(cls, path: Path) -> Store | None:
        """The store opened for reading only, without touching the file (see
        ``stored_sources``), or None when there is none yet. Caller holds the lock."""
        if not Path(path).exists():
            return None
        with _translate(path):
            db = sqlite3.connect(_read_only_uri(Path(path)), uri=True)
            db.row_factory = sqlite3.Row
        return cls(db, Path(path))

    def articles(self, ids: Sequence[str]) -> dict[str, ArticleRecord]:
        """What full text recorded for the items ``ids`` (those it has seen)."""
        from .models import ArticleRecord

        found: dict[str, ArticleRecord] = {}
        if self.version < 4:
            return found  # an older store, read only: no article was ever fetched into it
        with _translate(self.path):
            for start in range(0, len(ids), _IDS_PER_QUERY):
                chunk = list(ids[start : start + _IDS_PER_QUERY])
                query = f"SELECT * FROM articles WHERE id IN ({', '.join('?' * len(chunk))})"
                for row in self._db.execute(query, chunk):
                    found[row["id"]] = ArticleRecord(**dict(row))
        return found

    def article_counts(self) -> dict[str, int]:
        """How many items' own pages are in each state ('ok', 'file', 'failed', 'given up')."""
        with _translate(self.path):
            return {row[0]: row[1] for row in self._db.execute("SELECT status, count(*) FROM articles GROUP BY status")}

    def save_articles(self, records: Sequence[ArticleRecord]) -> None:
        from .models import ArticleRecord

        columns = [f.name for f in fields(ArticleRecord)]
        statement = (
            f"INSERT OR REPLACE INTO articles ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})"
        )
        with self._transaction():
            self._db.executemany(statement, [asdict(record) for record in records])

    def on_page_items(self, source: str | None) -> list[tuple[Item, str]]:
        """The items the source's page listed at its last refresh, newest first,
        each with its listing's content hash."""
        if self.version < 2:
            return []  # an old store, read only: it knows no sources yet (the next recording migrates it)
        query = "SELECT * FROM items WHERE on_page = 1 AND source IS ? ORDER BY sort_at DESC, seq DESC"
        with _translate(self.path):
            return [(_entry(row).item, row["content_hash"]) for row in self._db.execute(query, (source,))]

    def set_published(self, item_id: str, published: When, updated: datetime | None = None) -> None:
        """A more precise date for an item (its own page's), which also places it
        in the feed; ``updated`` when what a reader sees changed with it."""
        with self._transaction():
            self._db.execute(
                "UPDATE items SET published = ?, published_end = ?, precision = ?, kind = ?, sort_at = ?"
                " WHERE id = ?",
                (
                    published.start.isoformat(),
                    published.end.isoformat() if published.end else None,
                    published.precision,
                    published.kind,
                    utc_text(published.start),
                    item_id,
                ),
            )
            if updated is not None:
                self.set_updated(item_id, updated)

    def set_updated(self, item_id: str, updated: datetime) -> None:
        """Move an item's ``updated`` to ``updated``, or the first second after it no
        other item holds (the article's own time thus wins over a day's tiebreak)."""
        with self._transaction():
            settled = self._distinct_updated([(item_id, updated)])[item_id]
            self._db.execute(
                "UPDATE items SET updated = ?, updated_key = ? WHERE id = ?",
                (settled.isoformat(), updated_key(settled), item_id),
            )


def stored_sources(path: Path) -> dict[str, dict[str, Any]]:
    """The store's record of each source (validators, page URL), or nothing
    when there is no store yet.

    Read-only and without touching the file at all (not even its header),
    so that a refresh that then fails leaves the store byte-for-byte as it
    was. The caller holds the refresh lock, so no one is writing meanwhile.
    """
    store = Store.read_only(path)
    if store is None:
        return {}
    with store:
        return store.sources()


def _read_only_uri(path: Path) -> str:
    """Where to read the store without writing to it.

    ``immutable`` reads the main file alone, without even a lock. A process
    killed between a commit and its close leaves committed rows in the WAL
    beside it, which ``immutable`` would not see (a store that looks older, or
    empty): then read it through SQLite's WAL machinery, still read-only.
    """
    if wal_left(path):
        return f"{path.resolve().as_uri()}?mode=ro"
    return f"{path.resolve().as_uri()}?mode=ro&immutable=1"


def wal_left(path: Path) -> bool:
    """Whether committed rows may wait in a WAL beside the store (a process killed
    before closing it). The connection that closes last folds them into the file."""
    wal = path.with_name(path.name + "-wal")
    return wal.exists() and wal.stat().st_size > 0


def stored_layouts(path: Path) -> dict[str, Layout]:
    """How each source's page was read, by source name (read-only, as ``stored_sources``)."""
    store = Store.read_only(path)
    if store is None:
        return {}
    with store:
        return store.layouts()


def stored_items(path: Path, ids: Sequence[str]) -> dict[str, Item]:
    """The stored items among ``ids`` (read-only, as ``stored_sources``)."""
    store = Store.read_only(path)
    if store is None:
        return {}
    with store:
        return store.items_by_id(ids)


@contextmanager
def _translate(path: Path) -> Iterator[None]:
    """Turn sqlite3's errors into one StoreError line that says what to do."""
    try:
        yield
    except sqlite3.Error as e:
        raise StoreError(str(path), _advice(e, path)) from e


def _advice(error: sqlite3.Error, path: Path) -> str:
    text = str(error)
    lowered = text.lower()
    if "not a database" in lowered or "malformed" in lowered:
        return f"{path}: the store is damaged ({text}): " + _REBUILD.format(path=path)
    if "disk is full" in lowered or "disk full" in lowered:
        return f"the disk is full ({text}): free some space and run spfeed refresh again; the store is unchanged"
    if "locked" in lowered or "busy" in lowered:
        return f"the store is busy ({text}): another spfeed is writing it; try again later"
    if "readonly" in lowered or "read-only" in lowered:
        return f"the store is read-only ({text}): spfeed needs to write it and its directory"
    if "unable to open" in lowered:
        return f"cannot open the store ({text}): check that its directory exists and is writable"
    return f"{path}: the store failed ({text}); if it keeps failing, " + _REBUILD.format(path=path)


def _statements(script: str) -> list[str]:
    """Split a script into statements, keeping their comments (``.schema`` shows them).

    Not ``executescript``: it would commit the transaction the schema is created in.
    """
    statements, pending = [], ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    return statements


def _unique(items: Sequence[Item]) -> list[Item]:
    # normalize already merges repeats; the store must not count one twice either.
    first: dict[str, Item] = {}
    for item in items:
        first.setdefault(item.id, item)
    return list(first.values())


_ITEM_COLUMNS = (
    "id", "url", "title", "summary", "image", "category", "category_slug", "published", "published_end", "precision",
    "kind",
)
"""The columns ``_item_columns`` fills, in its order."""
_HISTORY_COLUMNS = (
    "first_seen", "last_seen", "on_page", "content_hash", "updated", "updated_key", "sort_at", "seq", "source",
)
_INSERT = (
    f"INSERT INTO items ({', '.join(_ITEM_COLUMNS + _HISTORY_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(_ITEM_COLUMNS + _HISTORY_COLUMNS))})"
)
_REWRITE = """
    UPDATE items SET
        url = :url, title = :title, summary = :summary, image = :image, category = :category,
        category_slug = :category_slug, published = :published, published_end = :published_end,
        precision = :precision, kind = :kind, source = :source, last_seen = :last_seen, on_page = 1,
        content_hash = :content_hash, updated = :updated, updated_key = :updated_key,
        -- a dated item keeps its place; an undated one keeps first_seen's
        sort_at = coalesce(:sort_published, first_seen)
    WHERE id = :id
"""
_IDS_PER_QUERY = 500
"""Ids per ``IN (...)`` lookup: well under SQLite's oldest limit of 999 parameters."""


def _wished_updated(item: Item, stored: tuple[str, str] | None, now: datetime) -> datetime:
    """A new item's ``first_updated``; for an edited one, now (never earlier than before)."""
    if stored is None:
        return first_updated(item, now)
    return max(now, datetime.fromisoformat(stored[1]))


def _insert_values(
    item: Item, digest: str, updated: datetime, seen: str, seq: int, source: str | None
) -> tuple[Any, ...]:
    """The row of a new item, in ``_INSERT``'s column order; ``seen`` is ``utc_text(now)``."""
    sort_at = utc_text(item.published.start) if item.published else seen
    history = (seen, seen, 1, digest, updated.isoformat(), updated_key(updated), sort_at, seq, source)
    return (*_item_columns(item).values(), *history)


def _rewrite_values(item: Item, digest: str, seen: str, updated: datetime, source: str | None) -> dict[str, Any]:
    """The parameters of ``_REWRITE`` for an item whose content changed."""
    return {
        **_item_columns(item),
        "source": source,
        "last_seen": seen,
        "content_hash": digest,
        "updated": updated.isoformat(),
        "updated_key": updated_key(updated),
        "sort_published": utc_text(item.published.start) if item.published else None,
    }


def _item_columns(item: Item) -> dict[str, Any]:
    published = item.published
    return {
        "id": item.id,
        "url": item.url,
        "title": item.title,
        "summary": item.summary,
        "image": item.image,
        "category": item.category,
        "category_slug": item.category_slug,
        "published": published.start.isoformat() if published else None,
        "published_end": published.end.isoformat() if published and published.end else None,
        "precision": published.precision if published else None,
        "kind": published.kind if published else None,
    }


def _entry(row: sqlite3.Row) -> FeedEntry:
    from .models import FeedEntry, Item, When

    published = None
    if row["published"] is not None:
        published = When(
            start=datetime.fromisoformat(row["published"]),
            end=datetime.fromisoformat(row["published_end"]) if row["published_end"] else None,
            precision=row["precision"],
            kind=row["kind"],
        )
    item = Item(
        id=row["id"],
        title=row["title"],
        url=row["url"],
        published=published,
        category=row["category"],
        category_slug=row["category_slug"],
        summary=row["summary"],
        image=row["image"],
    )
    return FeedEntry(item=item, updated=datetime.fromisoformat(row["updated"]))


def _utc_iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()
