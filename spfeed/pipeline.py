"""Wire the stages: fetch -> parse -> normalize -> store -> publish.

The only module that calls more than one stage.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec
from msgspec.structs import replace

from .config import DEFAULT_DELAY, DEFAULT_LANGUAGE, DEFAULT_TITLE, Config, Source
from .drift import Drift, hold_vanished_fields, recent_yields, sharp_drop
from .errors import ConfigError, ParseError, RateLimited, SpfeedError
from .fetch import (
    CONNECT_TIMEOUT,
    FetchOptions,
    RobotsCache,
    Throttle,
    Validators,
    check_robots,
    check_url,
    get_page,
    probe_file,
    read_file,
)
from .lock import refresh_lock
from .page import ATOM_FILE, Changes, Page, Written
from .state import State, state_path, store_stamp

# The stages a page that has not changed never reaches (parse, normalize,
# categories, the store, publish), and the item types of models.py, are imported
# where they are used: an unchanged refresh, the common case, then imports none
# of them (tests/test_cli.py checks it). Its validators come from the run state.
if TYPE_CHECKING:
    import requests

    from .categories import Taxonomy
    from .fulltext import FullTextReport
    from .learn import Learned
    from .models import Enclosure, FeedEntry, FeedMeta, Item, Layout
    from .parse import ParsedPage, Profile
    from .publish import SourceFeed
    from .store import Store

log = logging.getLogger(__name__)

_clock = time.perf_counter
"""What durations are measured with (the tests replace it)."""

DEFAULT_BACKFILL_DELAY = DEFAULT_DELAY
"""Seconds to wait between archive pages: a person paging, not a crawler."""


class Scrape(msgspec.Struct, frozen=True):
    """One page, read and understood."""

    page: Page
    parsed: ParsedPage
    items: list[Item]
    taxonomy: Taxonomy
    """The categories the items were filed under; the feeds name them from it."""
    learned: Learned | None = None
    """A profile learned from the store's items at this reading (see learn.py)."""


class SourceReport(msgspec.Struct, frozen=True):
    """What a refresh did with one source."""

    name: str
    location: str
    outcome: str
    """'changed' (the store changed), 'unchanged' (read, nothing new), 'not modified'
    (304, or the same bytes as last time: not parsed), 'waiting' (the server's
    Retry-After has not passed: not asked) or 'failed'."""
    found: int = 0
    """Items found on the page (0 when it was not parsed)."""
    profile: str | None = None
    skipped: int = 0
    """Listing blocks left out for lack of a title or link."""
    changes: Changes = msgspec.field(default_factory=Changes)
    error: SpfeedError | None = None
    retry_after: float | None = None
    duration_ms: float = 0.0
    """Fetching, reading and recording this source, in milliseconds."""
    drift: Drift = msgspec.field(default_factory=Drift)
    """A changed layout, a sharp drop in items, fields kept from the store."""


class RunReport(msgspec.Struct, frozen=True):
    """What a refresh did, for the CLI to tell."""

    sources: tuple[SourceReport, ...]
    out_dir: Path
    store: Path
    written: Written
    """Files rewritten and files already right; both empty when nothing was published."""
    shown: int = 0
    """Items in the main feed (the newest ``max_items``), when it was published."""
    stored: int = 0
    duration_ms: float = 0.0
    """The whole refresh, lock to last write, in milliseconds."""
    full_text: FullTextReport | None = None
    """What fetching the items' own pages did, when a source asks for full text."""
    warnings: tuple[str, ...] = ()
    """Problems that did not fail the refresh (a WebSub hub that did not answer)."""

    @property
    def failures(self) -> tuple[SourceReport, ...]:
        return tuple(s for s in self.sources if s.outcome == "failed")

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def changes(self) -> Changes:
        return sum((s.changes for s in self.sources), Changes())

    @property
    def found(self) -> int:
        return sum(s.found for s in self.sources)

    @property
    def retry_after(self) -> float | None:
        waits = [s.retry_after for s in self.sources if s.retry_after]
        return max(waits) if waits else None


def load_page(source: Source, options: FetchOptions, session: requests.Session | None = None) -> Page:
    if source.is_url:
        return get_page(source.location, session=session, options=options)
    return read_file(source.location)


def scrape(
    source: Source,
    *,
    options: FetchOptions = FetchOptions(),  # frozen, so sharing one default is safe
    session: requests.Session | None = None,
    taxonomy: Taxonomy | None = None,
    profiles: tuple[Profile, ...] = (),
) -> Scrape:
    """Read the source and return its items; ParseError when it has none."""
    page = load_page(source, options, session)
    return read_page(source, page, taxonomy=taxonomy, profiles=profiles)


def read_page(
    source: Source,
    page: Page,
    *,
    taxonomy: Taxonomy | None = None,
    profiles: tuple[Profile, ...] = (),
    last_language: str | None = None,
) -> Scrape:
    """Find and normalize the items of a page already fetched; ParseError when none.

    ``profiles`` are a user's layout profiles, tried before the built-in ones.
    ``last_language`` is the one the page declared before (the store's), for a
    source configured without a language whose page no longer declares one.
    """
    from .categories import default_taxonomy
    from .normalize import Context, normalize_items
    from .parse import parse_page

    taxonomy = taxonomy if taxonomy is not None else default_taxonomy()
    languages, page_first = _reading_languages(source, last_language)
    parsed = parse_page(
        page.text, page.url, base_url=source.base_url, profile=source.profile, profiles=profiles,
        languages=languages, page_first=page_first,
    )
    context = Context.for_page(parsed.base_url, source.timezone, parsed.languages, taxonomy)
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
    options: FetchOptions = FetchOptions(),  # frozen, so sharing one default is safe
    session: requests.Session | None = None,
    profiles: tuple[Profile, ...] = (),
    sleep: Callable[[float], None] = time.sleep,
    taxonomy: Taxonomy | None = None,
) -> Iterator[Scrape]:
    """Scrape ``source`` and the archive pages after it, one Scrape per page.

    Follows each page's next-page link, waiting ``delay`` seconds before each
    request after the first, and stops after ``pages`` pages, at a page with
    no next link, at a link back to a page already read (archives that wrap
    around), or at a later page with no items (the archive ran out). The
    first page failing is an error, as for ``scrape``.
    """
    from .normalize import canonical_url

    if pages < 1:
        raise ConfigError(f"backfill needs at least one page (got {pages})")
    seen: set[str] = set()
    current = source
    for number in range(1, pages + 1):
        if number > 1:
            sleep(delay)
        try:
            result = scrape(current, options=options, session=session, profiles=profiles, taxonomy=taxonomy)
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


class BackfillReport(msgspec.Struct, frozen=True):
    """What a backfill did: the pages it read, the items it found, the store changes and files written."""

    pages: int
    found: int
    changes: Changes
    written: Written
    error: SpfeedError | None = None
    """Why it stopped early, after storing what the earlier pages gave."""


def backfill_into_store(
    config: Config,
    pages: int,
    *,
    delay: float = DEFAULT_BACKFILL_DELAY,
    profiles: tuple[Profile, ...] = (),
    session: requests.Session | None = None,
    sleep: Callable[[float], None] = time.sleep,
    now: datetime | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> BackfillReport:
    """Backfill the store from ``config``'s (single) source and its archive pages,
    then publish. Each page is stored as it comes, so a failure on page 5 keeps
    pages 1 to 4; an archive page never marks items as gone."""
    from .store import Store

    now = now or datetime.now(UTC).replace(microsecond=0)
    check_store_location(config)
    source = config.sources[0]
    profiles = (*profiles, *_config_profiles(config))
    options = fetch_options(config)
    taxonomy = config_taxonomy(config)
    changes, found, number, error = Changes(), 0, 0, None
    with refresh_lock(config.store, config.lock_timeout):
        try:
            for number, result in enumerate(
                backfill(
                    source, pages, delay=delay, options=options, session=session, profiles=profiles, sleep=sleep,
                    taxonomy=taxonomy,
                ),
                start=1,
            ):
                with Store.open(config.store, timeout=config.lock_timeout) as store:
                    changes = changes + store.record_refresh(
                        result.items,
                        location=result.page.url if number > 1 else source.location,
                        source_name=source.name,
                        page=result.page,
                        page_url=page_url(source, result) if number == 1 else result.page.url,
                        now=now,
                        complete=False,
                        language=result.parsed.language,
                    )
                found += len(result.items)
                if progress:
                    progress(number, len(result.items), result.page.url)
        except SpfeedError as e:
            if number == 0:
                raise
            error = e
        with _RunStore(config) as history:
            _, written, _, _ = _record_and_publish(config, {}, [], now, history=history)
    return BackfillReport(pages=number, found=found, changes=changes, written=written, error=error)


def _page_identities(source: Source, result: Scrape) -> set[str]:
    """Every URL the page just read is known by, so a link back to it is seen."""
    from .normalize import canonical_url

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
    sleep: Callable[[float], None] = time.sleep,
) -> RunReport:
    """Refresh every configured source, record what changed, publish the feeds.

    Each source is fetched conditionally (ETag / Last-Modified, then a hash of
    the bytes): an unchanged page is not parsed, and when no source changed
    nothing is written. One source failing does not stop the others; the
    report says which failed, and when every source failed, the error is
    raised instead. A failed or empty scrape never touches the store
    or the feeds. The store's writes and the publish are one transaction: when
    the feeds cannot be written (full disk, no permission) the store is rolled
    back, so both stay as they were. If a refresh dies between the renames and
    the commit, the next one publishes even when the pages are unchanged.

    ``profiles`` (from ``--profiles FILE``) come first, then the config
    file's ``[[profile]]`` tables, then the built-in layouts. ``sleep`` is
    used for the delay between two requests to the same host.
    """
    started = _clock()
    if now is None:
        # Whole seconds: feeds show them, and a reader gains nothing from microseconds.
        now = datetime.now(UTC).replace(microsecond=0)
    check_store_location(config)
    profiles = (*profiles, *_config_profiles(config))
    with refresh_lock(config.store, config.lock_timeout), _RunStore(config) as history:
        state = State.load(state_path(config.store))
        remembered = _remembered_validators(history, state)
        reports: list[SourceReport] = []
        scrapes: dict[str, Scrape] = {}
        with _Fetcher(config, session, sleep, state) as fetcher:
            for source in config.sources:
                source_started = _clock()
                report, result = _refresh_source(
                    source, fetcher, remembered.get(source.location), profiles, state, now, config, history
                )
                reports.append(replace(report, duration_ms=_ms_since(source_started)))
                if result is not None:
                    scrapes[source.name] = result
            if all(report.outcome == "failed" for report in reports):
                _remember_durations(state, reports, _ms_since(started))
                state.save()
                raise _all_failed(reports)
            full_text = _fetch_full_text(config, fetcher, reports, scrapes, now)
        written, shown, stored = Written(changed=[], unchanged=[]), 0, 0
        fetched = full_text is not None and full_text.to_record
        if scrapes or fetched or state.publish_pending or not _main_feed_exists(config):
            if scrapes or fetched:
                state.publish_pending = True
                state.save()
            reports, written, shown, stored = _record_and_publish(
                config, scrapes, reports, now, full_text, history=history
            )
            _copy_validators(history, state)  # the store's, as this refresh left them
            state.publish_pending = False
            _remember_successes(state, reports, now)
        warnings = (*(full_text.warnings if full_text else ()), *_notify_hub(config, state, written, session))
        duration_ms = _ms_since(started)
        _remember_durations(state, reports, duration_ms)
        state.save()
    return RunReport(
        sources=tuple(reports),
        out_dir=config.out_dir,
        store=config.store,
        written=written,
        shown=shown,
        stored=stored,
        warnings=warnings,
        full_text=full_text,
        duration_ms=duration_ms,
    )


def _ms_since(started: float) -> float:
    return round((_clock() - started) * 1000, 1)


def _remember_durations(state: State, reports: list[SourceReport], total_ms: float) -> None:
    """For ``spfeed status``: how long the refresh and each source took."""
    state.last_refresh_ms = total_ms
    for report in reports:
        state.source(report.name, report.location).duration_ms = report.duration_ms


def _fetch_full_text(
    config: Config, fetcher: _Fetcher, reports: list[SourceReport], scrapes: dict[str, Scrape], now: datetime
) -> FullTextReport | None:
    """Fetch the pages of the items of the sources that want full text and were
    read (or found unchanged) in this refresh; None when none wants it."""
    read = {report.name for report in reports if report.outcome not in ("failed", "waiting")}
    sources = [s for s in config.sources if config.wants_full_text(s) and s.name in read]
    if not sources:
        return None
    from . import fulltext

    listed = {name: result.items for name, result in scrapes.items()}
    candidates, known = fulltext.gather(config.store, sources, listed)
    return fulltext.fetch(candidates, known, fetcher, limit=config.full_text_max, now=now)


def config_taxonomy(config: Config) -> Taxonomy:
    """The shipped taxonomy with the config file's ``[categories]``."""
    from .categories import load_taxonomy

    return load_taxonomy(config.categories)


def _config_profiles(config: Config) -> tuple[Profile, ...]:
    """The config file's ``[[profile]]`` tables, checked on every run (not only
    when a page is parsed), so a mistake in them shows at once."""
    if not config.profiles:
        return ()  # without importing the parser
    from .parse import profiles_from_tables

    return profiles_from_tables(config.profiles, "config")


def _remember_successes(state: State, reports: list[SourceReport], now: datetime) -> None:
    for report in reports:
        if report.outcome in ("changed", "unchanged"):
            status = state.source(report.name, report.location)
            status.outcome, status.error, status.last_success = report.outcome, None, now.isoformat()


def _notify_hub(
    config: Config, state: State, written: Written, session: requests.Session | None
) -> tuple[str, ...]:
    """Tell the WebSub hub of the feeds this refresh changed and of those an
    earlier one could not; what it did not take waits in the run state. The
    warnings to show (a hub's failure never fails the refresh)."""
    pending = list(dict.fromkeys([*state.websub_pending, *written.changed_feeds]))
    if not config.websub_hub or not pending:
        state.websub_pending = []
        return ()
    from .websub import notify

    result = notify(config.websub_hub, pending, options=fetch_options(config), session=session)
    state.websub_pending = list(result.pending)
    if result.error is None:
        return ()
    count = len(result.pending)
    again = f"{count} notification{'s' if count != 1 else ''} will be sent again on the next refresh"
    return (f"WebSub hub {config.websub_hub}: {result.error}; {again}",)


def _all_failed(reports: list[SourceReport]) -> SpfeedError:
    """One error for a run in which no source worked: the source's own if there is one."""
    errors = [report.error for report in reports if report.error is not None]
    if len(errors) == 1:
        return errors[0]
    return SpfeedError("every source failed: " + "; ".join(str(error) for error in errors))


def fetch_options(config: Config) -> FetchOptions:
    """The fetch settings a config asks for (refresh and backfill alike)."""
    return FetchOptions(
        timeout=(CONNECT_TIMEOUT, config.timeout),
        max_bytes=config.max_bytes,
        contact=config.contact,
        allowed_hosts=frozenset(config.allowed_hosts),
    )


class _Fetcher:
    """Fetches for one run: conditional requests, robots.txt, a delay per host.

    One HTTP session for the run (unless the caller gives one), so robots.txt
    and the pages after it share a connection: one TLS handshake, not two.
    """

    def __init__(
        self, config: Config, session: requests.Session | None, sleep: Callable[[float], None], state: State
    ) -> None:
        self.options = fetch_options(config)
        self.session = session
        self._own_session: requests.Session | None = None
        self.respect_robots = config.respect_robots
        self.robots = RobotsCache(entries=state.robots)
        self.throttle = Throttle(config.delay, sleep=sleep)

    def __enter__(self) -> _Fetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._own_session is not None:
            self._own_session.close()

    def _session(self) -> requests.Session:
        if self.session is None:
            import requests  # here: a refresh of saved files needs no HTTP client

            self.session = self._own_session = requests.Session()
        return self.session

    def _wait_before_robots(self, robots_url: str) -> None:
        # robots.txt and the page it allows are one visit: the page does not wait for it.
        self.throttle.wait(robots_url, counts=False)

    def load(self, source: Source, validators: Validators | None) -> Page:
        if not source.is_url:
            return read_file(source.location)
        return self.get(source.location, validators)

    def get(self, url: str, validators: Validators | None = None) -> Page:
        self._before_request(url)
        return get_page(url, session=self._session(), options=self.options, validators=validators)

    def probe(self, url: str) -> Enclosure:
        """A document's type and size (HEAD), for an item that is a file."""
        self._before_request(url)
        return probe_file(url, session=self._session(), options=self.options)

    def _before_request(self, url: str) -> None:
        check_url(url)
        if self.respect_robots:
            check_robots(
                url,
                cache=self.robots,
                session=self._session(),
                options=self.options,
                before_request=self._wait_before_robots,
            )
        self.throttle.wait(url)


def _refresh_source(
    source: Source,
    fetcher: _Fetcher,
    remembered: dict[str, Any] | None,
    profiles: tuple[Profile, ...],
    state: State,
    now: datetime,
    config: Config,
    history: _RunStore,
) -> tuple[SourceReport, Scrape | None]:
    """Fetch and read one source; the Scrape is None when there is nothing to record.

    The store tells how the page was read before (see ``_read_with_history``).
    """
    status = state.source(source.name, source.location)
    status.last_attempt = now.isoformat()
    wait = status.retry_wait(now)
    if wait > 0:
        status.outcome = "waiting"
        report = SourceReport(source.name, source.location, "waiting", retry_after=wait)
        return report, None
    try:
        page = fetcher.load(source, _validators(remembered))
        same_bytes = bool(remembered and page.body_hash and page.body_hash == remembered.get("body_hash"))
        if page.not_modified or same_bytes:
            why = "304 Not Modified" if page.not_modified else "the same bytes as last time"
            log.info("%s: %s: not parsed", source.name, why)
            status.outcome, status.error, status.last_success = "not modified", None, now.isoformat()
            return SourceReport(source.name, source.location, "not modified"), None
        result = _read_with_history(source, page, profiles, history, config_taxonomy(config))
    except SpfeedError as e:
        status.outcome, status.error = "failed", str(e)
        retry_after = e.retry_after if isinstance(e, RateLimited) else None
        if retry_after:
            status.retry_not_before = (now + timedelta(seconds=retry_after)).isoformat()
        log.info("%s failed: %s", source.name, e)
        return SourceReport(source.name, source.location, "failed", error=e, retry_after=retry_after), None
    status.retry_not_before = None
    status.items = len(result.items)
    report = SourceReport(
        source.name,
        source.location,
        "changed",
        found=len(result.items),
        profile=result.parsed.profile,
        skipped=result.parsed.skipped,
    )
    return report, result


def _remembered_validators(history: _RunStore, state: State) -> dict[str, dict[str, str | None]]:
    """Each source's validators and body hash, by location: the run state's copy
    while the store is as it was when that was taken, else read from the store."""
    if store_stamp(history.path) != state.store_stamp:
        _copy_validators(history, state)
    return state.validators


def _copy_validators(history: _RunStore, state: State) -> None:
    stamp = store_stamp(history.path)  # before reading: a write in between makes the copy stale, not wrong
    store = history.reading() if stamp else None
    state.copy_validators(store.sources() if store else {}, stamp)


class _RunStore:
    """The history store of one refresh: one connection, opened when first needed.

    ``reading()`` is the store as it is (None when there is none yet): reading
    writes nothing, not even an older version's migration, so a refresh that
    then fails leaves the file byte-for-byte as it was. ``writing()`` readies
    the same connection to write (or creates the store), and checkpoints
    after: the file then keeps its ``store_stamp`` until the next write. A
    refresh answered 304 opens none (nor imports sqlite3). When a killed
    refresh left commits in the WAL, the store is read read-only and written
    through a second connection: one that could write would fold them into
    the file when it closed, even after a failure.
    """

    def __init__(self, config: Config) -> None:
        self.path = config.store
        self.timeout = config.lock_timeout
        self._store: Store | None = None
        self._read_only = False
        self._prepared = False

    def reading(self) -> Store | None:
        if self._store is None and self.path.exists():
            from .store import Store, wal_left

            self._read_only = wal_left(self.path)
            if self._read_only:
                self._store = Store.read_only(self.path)
            else:
                self._store = Store.connect(self.path, timeout=self.timeout)
        return self._store

    @contextmanager
    def writing(self) -> Iterator[Store]:
        """The store, in one transaction; checkpointed when it commits."""
        store = self.reading()
        if store is None or self._read_only:
            from .store import Store

            self.close()
            store = self._store = Store.open(self.path, timeout=self.timeout)
        elif not self._prepared:
            store.prepare_to_write()
        self._prepared = True
        with store.transaction():
            yield store
        store.checkpoint()

    def __enter__(self) -> _RunStore:
        return self

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
        self._store, self._read_only, self._prepared = None, False, False

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _validators(remembered: dict[str, Any] | None) -> Validators | None:
    if not remembered or not (remembered.get("etag") or remembered.get("last_modified")):
        return None
    return Validators(etag=remembered.get("etag"), last_modified=remembered.get("last_modified"))


def _main_feed_exists(config: Config) -> bool:
    return (config.out_dir / ATOM_FILE).exists()


def _record_and_publish(
    config: Config,
    scrapes: dict[str, Scrape],
    reports: list[SourceReport],
    now: datetime,
    full_text: FullTextReport | None = None,
    *,
    history: _RunStore,
) -> tuple[list[SourceReport], Written, int, int]:
    from .names import source_label
    from .publish import SourceFeed, publish_sources

    taxonomy = config_taxonomy(config)
    # One transaction for recording and publishing: a failed publish rolls the store back.
    with history.writing() as store:
        updated_reports: list[SourceReport] = []
        # Of items wishing for one `updated`, the one recorded later gets the later
        # second (store.first_free) and comes first in the combined feed: record the
        # first configured source last, so that it leads on a day the sources share.
        for report in reversed(reports):
            result = scrapes.get(report.name)
            if result is not None:
                recording_started = _clock()
                source = _source_named(config, report.name)
                changes, drift = _record_source(store, source, result, now, config.retain_days)
                outcome = "changed" if (changes.new or changes.updated or changes.gone) else "unchanged"
                duration_ms = round(report.duration_ms + _ms_since(recording_started), 1)
                report = replace(report, changes=changes, outcome=outcome, drift=drift, duration_ms=duration_ms)
            updated_reports.insert(0, report)
        if full_text is not None:
            from .fulltext import record

            record(store, full_text, now)
        remembered = store.sources()
        sources = _in_their_languages(config.sources, remembered)
        feeds = [
            SourceFeed(
                name=source.name,
                meta=feed_meta(config, source, remembered.get(source.location, {}).get("page_url"), taxonomy, sources),
                entries=_entries(store, config, source),
                label=source_label(source, sources),
            )
            for source in sources
        ]
        feeds = [feed for feed in feeds if feed.entries]
        if not feeds:
            return updated_reports, Written(changed=[], unchanged=[]), 0, store.count()
        written = publish_sources(feeds, _site_meta(config, feeds), config.out_dir)
        shown = len({entry.item.id for feed in feeds for entry in feed.entries})
        return updated_reports, written, shown, store.count()


def _read_with_history(
    source: Source, page: Page, profiles: tuple[Profile, ...], history: _RunStore, taxonomy: Taxonomy
) -> Scrape:
    """Read the page, with the profile once learned for this source if it has one.

    When no profile reads the page (or only the generic fallback does, or far
    fewer items come than usual) and the store knows items linked from it, a
    profile is learned from them and used if it reads them back as stored.
    A source whose profile is named in the config is read with that one only.
    """
    from .parse import FALLBACK

    store = history.reading()  # a failed refresh writes nothing
    layout = store.layouts().get(source.name) if store else None
    # What the page declared before (store.py keeps it), for a source configured without a language.
    last_language = (store.source(source.location) or {}).get("language") if store else None
    try:
        result = read_page(
            source,
            page,
            taxonomy=taxonomy,
            profiles=(*profiles, *_learned_profiles(layout)),
            last_language=last_language,
        )
    except ParseError:
        fresh = _learn(source, page, history, last_language)
        if fresh is None:
            raise
        return _read_learned(source, page, profiles, fresh, taxonomy, last_language)
    dropped = sharp_drop(len(result.items), layout.yields if layout else ()) is not None
    if result.parsed.profile != FALLBACK and not dropped:
        return result
    fresh = _learn(source, page, history, last_language)
    if fresh is None or (result.parsed.profile != FALLBACK and len(result.items) >= fresh.known):
        return result
    return _read_learned(source, page, profiles, fresh, taxonomy, last_language)


def _learn(source: Source, page: Page, history: _RunStore, last_language: str | None) -> Learned | None:
    """A profile learned from the items the store knows on the page (see learn.py)."""
    store = None if source.profile else history.reading()
    if store is None:
        return None  # without importing learn.py: a first refresh has nothing to learn from
    from .learn import learn_profile, linked_ids

    known = store.items_by_id(linked_ids(page.text, page.url, base_url=source.base_url))
    languages, page_first = _reading_languages(source, last_language)
    return learn_profile(
        page.text,
        page.url,
        list(known.values()),
        name=f"learned-{source.name}",
        base_url=source.base_url,
        timezone=source.timezone,
        languages=languages,
        page_first=page_first,
    )


def _read_learned(
    source: Source,
    page: Page,
    profiles: tuple[Profile, ...],
    learned: Learned,
    taxonomy: Taxonomy,
    last_language: str | None,
) -> Scrape:
    result = read_page(
        replace(source, profile=learned.profile.name),
        page,
        taxonomy=taxonomy,
        profiles=(*profiles, learned.profile),
        last_language=last_language,
    )
    log.warning(
        "%s: no layout profile read the page as before; learned '%s' from %d stored items (%s)",
        source.name, learned.profile.name, learned.known, ", ".join(("title", "link", *learned.fields)),
    )
    return replace(result, learned=learned)


def suggest_profile(source: Source, store: Path, *, name: str) -> str:
    """A ``[[profile]]`` table (TOML, with comments saying where it came from)
    that reads the page at ``source``: derived from the items ``store`` knows
    of it, else from what spfeed finds on the page alone. SpfeedError when
    neither gives a profile that reads its items back."""
    from .learn import MIN_KNOWN, learn_profile, linked_ids, profile_toml
    from .store import stored_items

    page = load_page(source, FetchOptions())
    known = list(stored_items(store, linked_ids(page.text, page.url, base_url=source.base_url)).values())
    origin = f"{len(known)} items that {store} knows"
    if len(known) < MIN_KNOWN:
        result = read_page(source, page)
        known, origin = result.items, f"the {len(result.items)} items found on the page by '{result.parsed.profile}'"
    languages, page_first = _reading_languages(source)
    learned = learn_profile(
        page.text,
        page.url,
        known,
        name=name,
        base_url=source.base_url,
        timezone=source.timezone,
        languages=languages,
        page_first=page_first,
    )
    if learned is None:
        raise ParseError(
            source.location,
            f"no profile found that reads {origin} back: the items have no common markup spfeed can name",
        )
    comments = [
        f"Derived by spfeed from {origin}; it reads them back as they are.",
        "Review it, then add it to spfeed.toml.",
    ]
    if learned.missing:
        comments.append(f"The page does not show: {', '.join(learned.missing)}.")
    return profile_toml(learned.profile, comments)


def _learned_profiles(layout: Layout | None) -> tuple[Profile, ...]:
    """The source's learned profile, if it has one that loads (else it is learned again)."""
    if layout is None or not layout.learned:
        return ()
    import tomllib  # here: only a source with a learned layout needs it

    from .parse import profiles_from_tables

    try:
        return profiles_from_tables(tomllib.loads(layout.learned)["profile"], "the store's learned profile")
    except (tomllib.TOMLDecodeError, KeyError, SpfeedError) as e:
        log.warning("the store's learned profile cannot be used (%s): learning again if needed", e)
        return ()


def _record_source(
    store: Store, source: Source, result: Scrape, now: datetime, retain_days: int | None
) -> tuple[Changes, Drift]:
    """Record one source's refresh without letting a worse reading rewrite history
    (drift.py): fields the page lost keep their stored values, and a sharp drop
    in items marks none gone."""
    layout = store.layouts().get(source.name)
    found = len(result.items)
    usual = layout.yields if layout else _last_yield(store, source)
    drop_from = sharp_drop(found, usual)
    items, held = hold_vanished_fields(result.items, store.items_by_id([item.id for item in result.items]))
    changes = store.record_refresh(
        items,
        location=source.location,
        source_name=source.name,
        page=result.page,
        page_url=page_url(source, result),
        now=now,
        retain_days=retain_days,
        complete=drop_from is None,
        language=result.parsed.language,
    )
    learned = result.learned
    remembered = store.record_layout(
        source.name,
        profile=result.parsed.profile,
        yields=recent_yields(usual, found),
        now=now,
        learned=_learned_toml(learned, now) if learned else None,
        drop_from=drop_from,
    )
    drift = Drift(
        held=held,
        found=found,
        drop_from=drop_from,
        learned=learned.profile.name if learned else None,
        replaced=remembered.previous if learned else None,
    )
    for note in drift.notes():
        log.warning("%s: %s", source.name, note)
    return changes, drift


def _last_yield(store: Store, source: Source) -> tuple[int, ...]:
    """A store from before yields were kept knows the last one."""
    count = (store.source(source.location) or {}).get("item_count")
    return (count,) if count else ()


def _learned_toml(learned: Learned, now: datetime) -> str:
    from .learn import profile_toml  # here: only a refresh that learned a profile needs learn.py

    return profile_toml(learned.profile, _learned_comments(learned, now))


def _learned_comments(learned: Learned, now: datetime) -> list[str]:
    when = now.astimezone(UTC).isoformat(timespec="seconds")
    comments = [f"Learned by spfeed on {when} from {learned.known} items the store knows; it read them back as stored."]
    if learned.missing:
        comments.append(f"The page no longer shows: {', '.join(learned.missing)} (the stored values are kept).")
    return comments


def _entries(store: Store, config: Config, source: Source) -> list[FeedEntry]:
    entries = store.recent_entries(config.max_items, source=source.name)
    if not config.wants_full_text(source):
        return entries
    from .fulltext import with_articles

    return with_articles(store, entries)


def _source_named(config: Config, name: str) -> Source:
    return next(source for source in config.sources if source.name == name)


def page_url(source: Source, result: Scrape) -> str:
    """The department page a feed links to: the URL read, or a saved file's canonical URL."""
    return source.location if source.is_url else result.parsed.base_url


def check_store_location(config: Config) -> None:
    """The output directory is served to the world; the store must not be in it."""
    out_dir = config.out_dir.resolve()
    store = config.store.resolve()
    if store == out_dir or out_dir in store.parents:
        raise ConfigError(
            f"the store {config.store} is inside the output directory {config.out_dir}, "
            "which is served: put it elsewhere with --store"
        )


def feed_meta(
    config: Config, source: Source, page: str | None, taxonomy: Taxonomy, sources: Sequence[Source]
) -> FeedMeta:
    """What ``source``'s feed says of itself; ``sources`` (every source, ``source``
    among them) are in their languages (``_in_their_languages``)."""
    from .models import FeedMeta
    from .names import source_title, subtitle

    page = page or (source.location if source.is_url else config.public_url)
    language = source.language or DEFAULT_LANGUAGE
    return FeedMeta(
        title=source_title(source, sources),
        subtitle=subtitle(language, page),
        page_url=page,
        public_url=config.public_url,
        language=language,
        category_names=taxonomy.names(language),
        former_categories=taxonomy.formerly,
        hub=config.websub_hub,
    )


def _site_meta(config: Config, feeds: list[SourceFeed]) -> FeedMeta:
    """What the combined feed says of itself: the first source's page, the shared title."""
    first = feeds[0].meta
    if len(feeds) == 1:
        return first
    languages = ", ".join(feed.label for feed in feeds if feed.label)
    return replace(first, title=DEFAULT_TITLE, subtitle=f"News from {len(feeds)} pages of the ILO ({languages})")


def _languages(language: str) -> tuple[str, ...]:
    """The page's language first, then the others spfeed knows."""
    others = [lang for lang in ("en", "fr", "es") if lang != language]
    return (language, *others)


def _reading_languages(source: Source, last_language: str | None = None) -> tuple[tuple[str, ...], bool]:
    """The languages to read the source's page in (``parse.reading_order``), and whether
    the language the page declares goes first: the configured language leads; without
    one, the page's (``page_first``), else the one it declared before, else English."""
    if source.language:
        return _languages(source.language), False
    return _languages(last_language or DEFAULT_LANGUAGE), True


def _in_their_languages(sources: Sequence[Source], remembered: dict[str, dict[str, Any]]) -> list[Source]:
    """The sources with the language their feeds are in: the configured one, else the
    one their page last declared (the store's: a page not read in this refresh, say
    answered 304, keeps it), else English."""
    return [
        source
        if source.language
        else replace(source, language=remembered.get(source.location, {}).get("language") or DEFAULT_LANGUAGE)
        for source in sources
    ]
