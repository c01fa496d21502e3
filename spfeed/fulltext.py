"""Full-text feeds: which items' own pages to fetch, fetching them politely, and
what the feeds then show.

Each item's page is fetched once: again only when its listing entry changes
(its content hash), or to retry a failure, with a growing interval, until
``MAX_ATTEMPTS`` failures in a row give it up. At most ``limit`` pages a
refresh, newest items first. A failure never costs the item: it is published
from the listing, and the refresh reports one warning for it. Items whose link
is a document (a report's PDF) are not parsed: they get an enclosure with the
type and size a HEAD request gives.

The store keeps the outcome per item (``models.ArticleRecord``, its ``data`` as
JSON written and read here), so a rebuild or a new output directory fetches
nothing.
"""

from __future__ import annotations

import json
import logging
import posixpath
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import msgspec
from msgspec.structs import asdict, replace

from .config import Source
from .errors import NotHTML, RateLimited, SpfeedError
from .fetch import Validators
from .models import Article, ArticleRecord, Enclosure, FeedEntry, Item, LeadImage, Page, When
from .store import Store, first_updated, utc_text

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 4
"""Failures in a row after which an article is given up (until its listing entry changes)."""
MAX_FAILURES_IN_A_ROW = 3
"""Failed pages in a row after which a refresh stops fetching (the rest wait, uncounted)."""
RETRY_AFTER = timedelta(hours=1)
"""The wait after the first failure; it doubles with each further one (1 h, 2 h, 4 h)."""
DOCUMENT_EXTENSIONS = frozenset(
    {"pdf", "doc", "docx", "odt", "rtf", "xls", "xlsx", "ods", "csv", "ppt", "pptx", "odp", "epub", "zip"}
)
"""Links ending so are documents: probed for an enclosure, never parsed."""
_SHOWN = ("ok", "file")


class Fetcher(Protocol):
    """What fetching needs from the pipeline: its robots.txt, delay and limits."""

    def get(self, url: str, validators: Validators | None) -> Page: ...

    def probe(self, url: str) -> Enclosure: ...


class Candidate(msgspec.Struct, frozen=True):
    """An item whose page may be fetched: as the listing gives it now."""

    item: Item
    listing_hash: str
    """``store.content_hash`` of the listing entry: a different one fetches again."""
    timezone: tzinfo
    """The source's zone, for times the article gives without an offset."""


class Outcome(msgspec.Struct, frozen=True):
    """One page fetched (or tried): what to record and what it gave."""

    candidate: Candidate
    record: ArticleRecord
    article: Article | None = None
    """What the page says (also after a 304, from the store); None for a document or a failure."""
    changed: bool = False
    """What a reader sees of it differs from what was recorded before."""

    @property
    def warning(self) -> str | None:
        if self.record.status not in ("failed", "given up"):
            return None
        if self.record.status == "given up":
            then = f"given up after {self.record.attempts} tries"
        else:
            when = datetime.fromisoformat(self.record.retry_at or "").isoformat(timespec="seconds")
            then = f"tried again after {when}"
        return (
            f"{self.record.url}: full text not fetched ({_reason(self.record.error)}); "
            f"the item is published from the listing, {then}"
        )


class FullTextReport(msgspec.Struct, frozen=True):
    """What full text did in one refresh."""

    outcomes: tuple[Outcome, ...] = ()
    waiting: int = 0
    """Items due but left for later refreshes (over the limit, or after failures in a row)."""

    @property
    def warnings(self) -> list[str]:
        return [warning for outcome in self.outcomes if (warning := outcome.warning)]

    @property
    def to_record(self) -> bool:
        """Whether the store has something to record (and so the feeds maybe something new)."""
        return bool(self.outcomes)


# --- Which items --------------------------------------------------------------------


def due(
    candidates: Iterable[Candidate], known: Mapping[str, ArticleRecord], now: datetime
) -> list[Candidate]:
    """The candidates to fetch now, newest first: new ones, those whose listing
    entry changed, and failures whose retry time has come."""
    chosen: list[Candidate] = []
    seen: set[str] = set()
    for candidate in candidates:
        if candidate.item.id in seen or not candidate.item.url.startswith(("http://", "https://")):
            continue  # two sources listing one article fetch it once
        seen.add(candidate.item.id)
        record = known.get(candidate.item.id)
        if (
            record is None
            or record.listing_hash != candidate.listing_hash
            or (record.status == "failed" and (record.retry_at or "") <= utc_text(now))
        ):
            chosen.append(candidate)
    # sorted() is stable: the same date keeps the listing's order (newest first).
    return sorted(chosen, key=_newest_first)


def _newest_first(candidate: Candidate) -> float:
    published = candidate.item.published
    return -published.start.timestamp() if published else float("inf")


def is_document(url: str) -> bool:
    name = posixpath.basename(urlsplit(url).path)
    return "." in name and name.rpartition(".")[2].lower() in DOCUMENT_EXTENSIONS


# --- Fetching -----------------------------------------------------------------------


def fetch(
    candidates: Sequence[Candidate],
    known: Mapping[str, ArticleRecord],
    fetcher: Fetcher,
    *,
    limit: int,
    now: datetime,
) -> FullTextReport:
    """Fetch the due candidates' pages, at most ``limit`` of them; never raises
    for one page (its failure is in its Outcome)."""
    chosen = due(candidates, known, now)
    outcomes: list[Outcome] = []
    failures_in_a_row = 0
    for candidate in chosen[:limit]:
        if failures_in_a_row == MAX_FAILURES_IN_A_ROW:
            # A host that is down costs three timeouts, not ten: the rest wait.
            log.info("full text: %d failures in a row; the other pages wait for the next refresh", failures_in_a_row)
            break
        outcome = fetch_one(candidate, known.get(candidate.item.id), fetcher, now)
        failures_in_a_row = failures_in_a_row + 1 if outcome.warning else 0
        outcomes.append(outcome)
    report = FullTextReport(outcomes=tuple(outcomes), waiting=len(chosen) - len(outcomes))
    if outcomes or report.waiting:
        statuses = [o.record.status for o in outcomes]
        log.info(
            "full text: %d fetched, %d documents, %d failed, %d left for later refreshes",
            statuses.count("ok"),
            statuses.count("file"),
            len(statuses) - statuses.count("ok") - statuses.count("file"),
            report.waiting,
        )
    return report


def fetch_one(candidate: Candidate, known: ArticleRecord | None, fetcher: Fetcher, now: datetime) -> Outcome:
    from .article import extract_article

    item = candidate.item
    base = ArticleRecord(
        id=item.id, listing_hash=candidate.listing_hash, url=item.url, status="ok", fetched_at=utc_text(now)
    )
    try:
        if is_document(item.url):
            return _document(candidate, base, known, fetcher.probe(item.url))
        try:
            page = fetcher.get(item.url, _validators(known, item.url))
        except NotHTML:
            return _document(candidate, base, known, fetcher.probe(item.url))
        if page.not_modified and known is not None and known.data:
            article = decode(known.data).article
            record = replace(base, etag=page.etag, last_modified=page.last_modified, data=known.data)
            return Outcome(candidate, record, article, changed=False)
        article = extract_article(page.text, page.url, expected_title=item.title, timezone=candidate.timezone)
        data = encode(Stored(article=article))
        record = replace(base, etag=page.etag, last_modified=page.last_modified, data=data)
        return Outcome(candidate, record, article, changed=data != (known.data if known else None))
    except SpfeedError as e:
        return Outcome(candidate, _failure(candidate, known, e, now))


def _document(candidate: Candidate, base: ArticleRecord, known: ArticleRecord | None, found: Enclosure) -> Outcome:
    data = encode(Stored(enclosure=found))
    record = replace(base, status="file", data=data)
    return Outcome(candidate, record, changed=data != (known.data if known else None))


def _validators(known: ArticleRecord | None, url: str) -> Validators | None:
    # Only with what that URL's last answer gave, and only if it is still stored.
    if known is None or known.url != url or not known.data or not (known.etag or known.last_modified):
        return None
    return Validators(etag=known.etag, last_modified=known.last_modified)


def _failure(candidate: Candidate, known: ArticleRecord | None, error: SpfeedError, now: datetime) -> ArticleRecord:
    same_entry = known is not None and known.listing_hash == candidate.listing_hash
    attempts = (known.attempts if same_entry and known is not None else 0) + 1
    wait = RETRY_AFTER * 2 ** (attempts - 1)
    if isinstance(error, RateLimited):
        wait = max(wait, timedelta(seconds=error.retry_after))
    gave_up = attempts >= MAX_ATTEMPTS
    # What an earlier fetch gave stays shown until a new one succeeds.
    kept = known if known is not None and known.url == candidate.item.url else None
    return ArticleRecord(
        id=candidate.item.id,
        listing_hash=candidate.listing_hash,
        url=candidate.item.url,
        status="given up" if gave_up else "failed",
        attempts=attempts,
        retry_at=None if gave_up else utc_text(now + wait),
        error=str(error),
        fetched_at=kept.fetched_at if kept else None,
        etag=kept.etag if kept else None,
        last_modified=kept.last_modified if kept else None,
        data=kept.data if kept else None,
    )


def _reason(error: str | None) -> str:
    """The error without the URL it starts with (the warning names the URL once)."""
    text = error or "unknown error"
    head, _, rest = text.partition(": ")
    return rest if rest and head.startswith(("http://", "https://")) else text


# --- Recording ----------------------------------------------------------------------


def record(store: Store, report: FullTextReport, now: datetime) -> None:
    """Record what the fetches gave, after the refresh recorded the listing: the
    articles, and the items' more precise dates and their ``updated`` times."""
    store.save_articles([outcome.record for outcome in report.outcomes])
    for outcome in report.outcomes:
        stored = store.get(outcome.candidate.item.id)
        if stored is None:  # pruned by retention in this very refresh
            continue
        item = stored.entry.item
        first_seen_now = stored.first_seen == now
        # After a failure, what an earlier fetch gave (still shown) still dates the item.
        article = outcome.article or (decode(outcome.record.data).article if outcome.record.data else None)
        published = precise_date(outcome.candidate.item, article.published if article else None)
        updated = None
        if first_seen_now and published != item.published and published is not None:
            updated = first_updated(replace(item, published=published), now)
        elif outcome.changed and not first_seen_now:
            # The reader sees content they did not have: the entry is updated.
            updated = max(now, stored.entry.updated)
        if published != item.published and published is not None:
            store.set_published(item.id, published, updated)
        elif updated is not None:
            store.set_updated(item.id, updated)


def precise_date(item: Item, article: When | None) -> When | None:
    """The item's date, made precise by its article's when they agree.

    A listing that gives a day (or a month) takes the article's time on that
    day (month); a listing without a date takes the article's. When they
    disagree by more than a day the listing's stays, and ``-v`` says so.
    """
    listing = item.published
    if article is None:
        return listing
    if listing is None:
        return article
    if abs(article.start - listing.start) > timedelta(days=1) and listing.precision != "month":
        log.info(
            "%s: the article is dated %s, the listing %s: the listing's date is kept",
            item.url,
            article.start.isoformat(),
            listing.start.date().isoformat(),
        )
        return listing
    local = article.start.astimezone(listing.start.tzinfo)
    if listing.precision == "day" and article.precision == "minute" and local.date() == listing.start.date():
        return replace(listing, start=article.start, precision="minute")
    if listing.precision == "month" and (local.year, local.month) == (listing.start.year, listing.start.month):
        return replace(listing, start=article.start, precision=article.precision)
    return listing


# --- What the feeds show ------------------------------------------------------------


def with_articles(store: Store, entries: Sequence[FeedEntry]) -> list[FeedEntry]:
    """The entries with what their pages gave: content, authors, lead image, enclosure."""
    records = store.articles([entry.item.id for entry in entries])
    shown = []
    for entry in entries:
        found = records.get(entry.item.id)
        shown.append(decode(found.data).applied_to(entry) if found is not None and found.data else entry)
    return shown


class Stored(msgspec.Struct, frozen=True):
    """What an ``articles`` row's ``data`` holds: an article or a document."""

    article: Article | None = None
    enclosure: Enclosure | None = None

    def applied_to(self, entry: FeedEntry) -> FeedEntry:
        if self.enclosure is not None:
            return replace(entry, enclosure=self.enclosure)
        if self.article is None:
            return entry
        return replace(
            entry, content_html=self.article.content_html, authors=self.article.authors, image=self.article.image
        )


def encode(stored: Stored) -> str:
    out: dict[str, Any] = {}
    if stored.enclosure is not None:
        out["enclosure"] = asdict(stored.enclosure)
    article = stored.article
    if article is not None:
        out["article"] = {
            "url": article.url,
            "content_html": article.content_html,
            "published": article.published.start.isoformat() if article.published else None,
            "precision": article.published.precision if article.published else None,
            "modified": article.modified.isoformat() if article.modified else None,
            "authors": list(article.authors),
            "image": asdict(article.image) if article.image else None,
            "language": article.language,
            "tags": list(article.tags),
        }
    return json.dumps(out, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def decode(data: str) -> Stored:
    raw = json.loads(data)
    enclosure = Enclosure(**raw["enclosure"]) if raw.get("enclosure") else None
    found = raw.get("article")
    if not found:
        return Stored(enclosure=enclosure)
    published = None
    if found["published"]:
        published = When(start=datetime.fromisoformat(found["published"]), precision=found["precision"])
    article = Article(
        url=found["url"],
        content_html=found["content_html"],
        published=published,
        modified=datetime.fromisoformat(found["modified"]) if found["modified"] else None,
        authors=tuple(found["authors"]),
        image=LeadImage(**found["image"]) if found["image"] else None,
        language=found["language"],
        tags=tuple(found["tags"]),
    )
    return Stored(article=article, enclosure=enclosure)


def zone(name: str) -> tzinfo:
    from zoneinfo import ZoneInfo

    try:
        return ZoneInfo(name)
    except (KeyError, ValueError, OSError):  # OSError: a folder of zones ("Europe")
        return UTC


# --- For the pipeline ---------------------------------------------------------------


def gather(
    store_path: Path, sources: Sequence[Source], listed: Mapping[str, Sequence[Item]]
) -> tuple[list[Candidate], dict[str, ArticleRecord]]:
    """The candidates of ``sources`` and what the store knows of them.

    A source read in this refresh offers the items ``listed`` for it; one whose
    page did not change offers those its page listed last time (so failures
    are retried and the rest of a long backlog fetched). Read only: the store
    is written once the whole refresh is known to have worked.
    """
    from .store import content_hash

    store = Store.read_only(store_path)
    try:
        candidates = []
        for source in sources:
            if source.name in listed:
                pairs = [(item, content_hash(item)) for item in listed[source.name]]
            else:
                pairs = store.on_page_items(source.name) if store is not None else []
            here = zone(source.timezone)
            candidates += [Candidate(item, digest, here) for item, digest in pairs]
        known = store.articles([c.item.id for c in candidates]) if store is not None else {}
    finally:
        if store is not None:
            store.close()
    return candidates, known
