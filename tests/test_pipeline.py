"""End to end: a page becomes valid feeds, rendered from the history store."""

from __future__ import annotations

import html
import json
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser
import pytest
import responses
from click.testing import CliRunner
from lxml import etree
from lxml import html as lxml_html
from msgspec.structs import replace

from spfeed import publish
from spfeed.cli import main
from spfeed.config import Config, Source
from spfeed.config import load as load_config
from spfeed.errors import ConfigError, FetchError, ParseError, PublishError, StoreError
from spfeed.lock import refresh_lock
from spfeed.parse import load_profiles
from spfeed.pipeline import backfill, run, scrape
from spfeed.store import Store

from .conftest import (
    ARCHIVE_PAGE,
    ARCHIVE_PAGE_2,
    ARCHIVE_URL,
    ARCHIVE_URL_2,
    FIXTURES,
    LEGACY_PAGE,
    TABLE_PAGE,
    TABLE_PROFILES,
)
from .feedcheck import ATOM, shared_updated_under

URL = "https://www.ilo.org/secsoc/lang--en/index.htm"
BASE = "https://www.ilo.org/secsoc/"
T0 = datetime(2024, 5, 1, 6, 0, tzinfo=UTC)


def config_for(tmp_path: Path, location: str = URL, **changes: object) -> Config:
    config = Config(
        sources=(Source(location=location, base_url=None if location.startswith("http") else BASE),),
        out_dir=tmp_path / "feeds",
        public_url="https://feeds.example.org/",
        store=tmp_path / "spfeed.sqlite",
        lock_timeout=5,
        delay=0,
    )
    return replace(config, **changes)


def article(slug: str, title: str | None = None, date: str = "1 May 2023", **fields: str) -> dict[str, str]:
    return {"href": f"news/{slug}.htm", "title": title or slug.title(), "date": date, **fields}


def page_html(*articles: dict[str, str]) -> str:
    """A legacy-layout department page listing ``articles`` in order."""
    rows = []
    for a in articles:
        kicker = f'<p class="kicker">{html.escape(a["kicker"])}</p>' if "kicker" in a else ""
        date = f'<p class="date">{a["date"]}</p>' if a["date"] else ""
        teaser = f'<p class="teaser">{html.escape(a["summary"])}</p>' if "summary" in a else ""
        rows.append(
            f'<li class="item">{kicker}<h3 class="title"><a href="{html.escape(a["href"])}">'
            f"{html.escape(a['title'])}</a></h3>{date}{teaser}</li>"
        )
    return f'<html><body><div class="whatsNew"><ol class="itemList">{"".join(rows)}</ol></div></body></html>'


def refresh(tmp_path: Path, *articles: dict[str, str], now: datetime = T0, **changes: object):
    tmp_path.mkdir(exist_ok=True)
    page = tmp_path / "page.html"
    page.write_text(page_html(*articles), encoding="utf-8")
    return run(config_for(tmp_path, str(page), **changes), now=now)


def atom_entries(tmp_path: Path) -> list:
    parsed = feedparser.parse(str(tmp_path / "feeds" / "atom.xml"))
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed.entries


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``folder``, bytes and mtime: the store and the feeds.

    The page itself, the lock file and the run state (which records each
    attempt, failed or not, for ``spfeed status``) are left out.
    """
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "page.html" and not p.name.endswith((".lock", ".state.json"))
    }


def feed_bytes(tmp_path: Path) -> dict[str, bytes]:
    """Every file the refresh published (feeds, category feeds, index, ...)."""
    out = tmp_path / "feeds"
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def store_bytes(tmp_path: Path) -> dict[str, bytes]:
    """The store's file and its WAL, if one is left."""
    return {p.name: p.read_bytes() for p in sorted(tmp_path.glob("spfeed.sqlite*")) if p.is_file()}


@responses.activate
def test_refresh_from_http_writes_valid_atom_and_rss(tmp_path, atom_schema):
    responses.get(URL, body=LEGACY_PAGE.read_bytes(), content_type="text/html; charset=utf-8")
    report = run(config_for(tmp_path))
    assert report.found == 7 and report.sources[0].profile == "ilo-legacy"
    assert report.changes.new == 7 and report.shown == 7
    for name in ("atom.xml", "rss.xml"):
        parsed = feedparser.parse(str(tmp_path / "feeds" / name))
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert len(parsed.entries) == 7
        assert parsed.feed.link == URL
    assert atom_schema.validate(etree.parse(str(tmp_path / "feeds" / "atom.xml"))), atom_schema.error_log


@responses.activate
def test_second_refresh_of_the_same_page_changes_no_byte_and_no_mtime(tmp_path):
    responses.get(URL, body=LEGACY_PAGE.read_bytes(), content_type="text/html")
    run(config_for(tmp_path), now=T0)
    before = snapshot(tmp_path / "feeds")
    report = run(config_for(tmp_path), now=T0 + timedelta(hours=1))
    assert report.written.changed == []
    # the same bytes as last time: not even parsed
    assert report.sources[0].outcome == "not modified"
    assert report.changes.new == report.changes.updated == 0
    assert snapshot(tmp_path / "feeds") == before


def test_title_edit_keeps_the_id_moves_updated_and_edits_in_place(tmp_path):
    first = [article("c", date="3 May 2023"), article("b", "Old title", "2 May 2023"), article("a")]
    refresh(tmp_path, *first, now=T0)
    before = atom_entries(tmp_path)
    later = T0 + timedelta(days=1)
    edited = [first[0], article("b", "New title", "2 May 2023"), first[2]]
    report = refresh(tmp_path, *edited, now=later)
    after = atom_entries(tmp_path)
    assert report.changes.updated == 1
    assert [e.id for e in after] == [e.id for e in before]  # same ids, same places
    assert (before[1].title, after[1].title) == ("Old title", "New title")
    assert after[1].updated == later.isoformat()
    assert [e.updated for e in after[::2]] == [e.updated for e in before[::2]]
    assert feedparser.parse(str(tmp_path / "feeds" / "atom.xml")).feed.updated == later.isoformat()


def test_no_visible_change_does_not_move_updated(tmp_path):
    item = article("a", summary="Social protection for all.")
    refresh(tmp_path, item, now=T0)
    before = feed_bytes(tmp_path)
    # Spacing the page adds and tracking parameters are not a change a reader sees.
    respaced = {**item, "summary": "  Social   protection\n for all. ", "href": "news/a.htm?utm_source=x"}
    report = refresh(tmp_path, respaced, now=T0 + timedelta(days=1))
    assert report.changes.unchanged == 1 and report.written.changed == []
    assert feed_bytes(tmp_path) == before


def test_item_removed_from_the_page_stays_and_an_added_one_goes_on_top(tmp_path):
    refresh(tmp_path, article("b", date="2 May 2023"), article("a"), now=T0)
    report = refresh(tmp_path, article("c", date="3 May 2023"), article("b", date="2 May 2023"), now=T0)
    assert report.changes.new == 1 and report.changes.gone == 1
    titles = [e.title for e in atom_entries(tmp_path)]
    assert titles == ["C", "B", "A"]
    with Store.open(tmp_path / "spfeed.sqlite") as store:
        assert store.get("https://www.ilo.org/secsoc/news/a.htm").on_page is False


def test_url_variants_collapse_to_one_item(tmp_path):
    variants = [
        "http://WWW.ILO.org/secsoc/news/a.htm",
        "https://www.ilo.org/secsoc/news/a.htm?utm_source=newsletter&utm_medium=email",
        "https://www.ilo.org/secsoc/news/a.htm#top",
        "https://www.ilo.org/secsoc/news/a.htm/",
    ]
    for hour, href in enumerate(variants):
        refresh(tmp_path, {**article("a"), "href": href}, now=T0 + timedelta(hours=hour))
    entries = atom_entries(tmp_path)
    assert [e.id for e in entries] == ["https://www.ilo.org/secsoc/news/a.htm"]
    assert entries[0].updated == "2023-05-01T00:00:00+02:00"  # never moved


def test_same_article_twice_on_a_page_is_one_item_and_same_title_twice_is_two(tmp_path):
    report = refresh(
        tmp_path,
        article("a", "Same title"),
        {**article("a", "Same title"), "href": "news/a.htm#again"},
        article("b", "Same title"),
    )
    assert report.changes.new == 2
    assert sorted(e.id for e in atom_entries(tmp_path)) == [
        "https://www.ilo.org/secsoc/news/a.htm",
        "https://www.ilo.org/secsoc/news/b.htm",
    ]


def test_an_undated_item_is_updated_when_first_seen_and_then_stays(tmp_path):
    refresh(tmp_path, article("a", date=""), now=T0)
    refresh(tmp_path, article("a", date=""), now=T0 + timedelta(days=3))
    (entry,) = atom_entries(tmp_path)
    assert "published" not in entry
    assert entry.updated == T0.isoformat()


def test_an_upcoming_event_is_not_updated_in_the_future(tmp_path):
    refresh(tmp_path, article("a", date="1 June 2030"), now=T0)
    (entry,) = atom_entries(tmp_path)
    assert entry.published == "2030-06-01T00:00:00+02:00"
    assert entry.updated == T0.isoformat()


def test_the_feed_shows_the_newest_max_items_and_the_store_keeps_all(tmp_path):
    articles = [article(f"n{day:02d}", date=f"{day} May 2023") for day in range(28, 0, -1)]
    report = refresh(tmp_path, *articles, max_items=5)
    assert report.shown == 5 and report.changes.stored == 28
    assert [e.title for e in atom_entries(tmp_path)] == ["N28", "N27", "N26", "N25", "N24"]


def test_same_day_items_keep_the_page_order(tmp_path):
    refresh(tmp_path, article("x"), article("y"), article("z"))
    refresh(tmp_path, article("w"), article("x"), article("y"), article("z"))
    assert [e.title for e in atom_entries(tmp_path)] == ["W", "X", "Y", "Z"]


def test_retention_forgets_items_long_gone_but_never_those_on_the_page(tmp_path):
    refresh(tmp_path, article("b", date="2 May 2023"), article("a"), now=T0)
    refresh(tmp_path, article("b", date="2 May 2023"), now=T0 + timedelta(days=1))
    # retention is applied when the store is written, i.e. when a page changed
    later = [article("c", date="3 May 2023"), article("b", date="2 May 2023")]
    report = refresh(tmp_path, *later, now=T0 + timedelta(days=40), retain_days=30)
    assert report.changes.pruned == 1 and report.changes.stored == 2
    assert [e.title for e in atom_entries(tmp_path)] == ["C", "B"]


def test_a_failed_publish_rolls_the_store_back_and_the_next_refresh_writes_both(tmp_path, monkeypatch):
    old, new = [article("a")], [article("b", date="2 May 2023"), article("a", "A edited")]
    clean = tmp_path / "clean"
    refresh(clean, *old, now=T0)
    refresh(clean, *new, now=T0 + timedelta(hours=2))  # when the crashed one will record it

    crashed = tmp_path / "crashed"
    refresh(crashed, *old, now=T0)
    stale, stale_store = feed_bytes(crashed), store_bytes(crashed)

    def crash(*args: object, **kwargs: object) -> None:
        raise PublishError("atom.xml", "disk full (injected)")

    monkeypatch.setattr(publish, "publish_sources", crash)
    with pytest.raises(PublishError):
        refresh(crashed, *new, now=T0 + timedelta(hours=1))
    monkeypatch.undo()
    assert feed_bytes(crashed) == stale
    assert store_bytes(crashed) == stale_store  # rolled back with the publish

    report = refresh(crashed, *new, now=T0 + timedelta(hours=2))
    assert report.sources[0].outcome == "changed"  # the store was rolled back: recorded now, not lost
    assert (report.sources[0].changes.new, report.sources[0].changes.updated) == (1, 1)
    assert feed_bytes(crashed) == feed_bytes(clean)


def test_two_refreshes_at_once_are_serialized_and_both_leave_valid_feeds(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(page_html(article("b", date="2 May 2023"), article("a")), encoding="utf-8")
    config = config_for(tmp_path, str(page))
    errors: list[BaseException] = []

    def one_refresh(hour: int) -> None:
        try:
            run(config, now=T0 + timedelta(hours=hour))
        except BaseException as e:  # noqa: BLE001 - reported by the assertion below
            errors.append(e)

    threads = [threading.Thread(target=one_refresh, args=(hour,)) for hour in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert [e.title for e in atom_entries(tmp_path)] == ["B", "A"]
    assert not feedparser.parse(str(tmp_path / "feeds" / "rss.xml")).bozo


def test_a_refresh_that_cannot_get_the_lock_gives_up_and_changes_nothing(tmp_path):
    refresh(tmp_path, article("a"), now=T0)
    before = snapshot(tmp_path)
    with refresh_lock(tmp_path / "spfeed.sqlite", timeout=0):
        with pytest.raises(StoreError, match="another refresh is using this store"):
            refresh(tmp_path, article("b"), lock_timeout=0.2)
    assert snapshot(tmp_path) == before


@responses.activate
def test_a_page_with_no_items_leaves_the_store_and_feeds_exactly_as_they_were(tmp_path):
    responses.get(URL, body=LEGACY_PAGE.read_bytes(), content_type="text/html")
    run(config_for(tmp_path))
    before = snapshot(tmp_path)
    responses.replace(
        responses.GET, URL, body='<div class="whatsNew"><ol class="itemList"></ol></div>', content_type="text/html"
    )
    with pytest.raises(ParseError, match="no items found"):
        run(config_for(tmp_path))
    assert snapshot(tmp_path) == before


@responses.activate
def test_a_failed_fetch_leaves_the_store_and_feeds_exactly_as_they_were(tmp_path):
    responses.get(URL, body=LEGACY_PAGE.read_bytes(), content_type="text/html")
    run(config_for(tmp_path))
    before = snapshot(tmp_path)
    responses.replace(responses.GET, URL, status=503)
    with pytest.raises(FetchError, match="HTTP 503"):
        run(config_for(tmp_path))
    assert snapshot(tmp_path) == before


@responses.activate
def test_a_failed_first_fetch_creates_no_store(tmp_path):
    responses.get(URL, status=503)
    with pytest.raises(FetchError):
        run(config_for(tmp_path))
    assert not (tmp_path / "spfeed.sqlite").exists() and not (tmp_path / "feeds").exists()


def test_a_store_inside_the_served_directory_is_refused(tmp_path):
    config = config_for(tmp_path, store=tmp_path / "feeds" / "spfeed.sqlite")
    with pytest.raises(ConfigError, match="inside the output directory"):
        run(config)
    assert list(tmp_path.iterdir()) == []


def test_refresh_from_a_local_file_links_to_the_canonical_page(tmp_path):
    run(replace(config_for(tmp_path, str(LEGACY_PAGE)), sources=(Source(location=str(LEGACY_PAGE)),)))
    parsed = feedparser.parse(str(tmp_path / "feeds" / "rss.xml"))
    assert parsed.feed.link == URL
    assert parsed.entries[0].link.startswith("https://www.ilo.org/global/")


# --- backfill ---------------------------------------------------------------


class Sleeps(list):
    """A sleep() that records how long it was asked to wait, and waits not at all."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def serve_archive(page_2_body=None):
    responses.get(ARCHIVE_URL, body=ARCHIVE_PAGE.read_bytes(), content_type="text/html")
    body = page_2_body if page_2_body is not None else ARCHIVE_PAGE_2.read_bytes()
    responses.get(ARCHIVE_URL_2, body=body, content_type="text/html")


@responses.activate
def test_backfill_follows_next_links_politely_until_the_last_page():
    serve_archive()
    sleeps = Sleeps()
    pages = list(backfill(Source(location=ARCHIVE_URL), 5, delay=1.5, sleep=sleeps))
    assert [p.page.url for p in pages] == [ARCHIVE_URL, ARCHIVE_URL_2]
    assert [len(p.items) for p in pages] == [20, 12]
    assert sleeps == [1.5]  # once, between the two requests
    assert len(responses.calls) == 2


@responses.activate
def test_backfill_stops_after_the_number_of_pages_asked_for():
    serve_archive()
    sleeps = Sleeps()
    pages = list(backfill(Source(location=ARCHIVE_URL), 1, sleep=sleeps))
    assert len(pages) == 1 and sleeps == []
    assert [c.request.url for c in responses.calls] == [ARCHIVE_URL]


@responses.activate
def test_backfill_never_loops_on_a_link_back_to_a_page_already_read():
    # Page 2's "next" leads back to page 1 (an archive that wraps around).
    looping = ARCHIVE_PAGE_2.read_text("utf-8").replace(
        '<li class="previous">',
        '<li class="next"><a href="/secsoc/information-resources/news/lang--en/index.htm">Next</a></li>'
        '<li class="previous">'
    )
    serve_archive(looping.encode("utf-8"))
    pages = list(backfill(Source(location=ARCHIVE_URL), 10, sleep=Sleeps()))
    assert len(pages) == 2 and len(responses.calls) == 2


@responses.activate
def test_backfill_stops_quietly_when_a_later_page_is_empty():
    serve_archive(b"<html><body><p>No more results</p></body></html>")
    pages = list(backfill(Source(location=ARCHIVE_URL), 3, sleep=Sleeps()))
    assert len(pages) == 1


@responses.activate
def test_backfill_first_page_without_items_is_an_error():
    responses.get(ARCHIVE_URL, body=b"<html><body><p>Maintenance</p></body></html>", content_type="text/html")
    with pytest.raises(ParseError, match="layout changed or the page is under maintenance"):
        list(backfill(Source(location=ARCHIVE_URL), 3, sleep=Sleeps()))


@responses.activate
def test_backfill_from_a_saved_page_continues_at_its_canonical_next_link():
    responses.get(ARCHIVE_URL_2, body=ARCHIVE_PAGE_2.read_bytes(), content_type="text/html")
    pages = list(backfill(Source(location=str(ARCHIVE_PAGE)), 2, sleep=Sleeps()))
    assert [p.page.url for p in pages] == [ARCHIVE_PAGE.resolve().as_uri(), ARCHIVE_URL_2]


def test_scrape_and_refresh_take_user_profiles(tmp_path):
    profiles = load_profiles(TABLE_PROFILES)
    assert scrape(Source(location=str(TABLE_PAGE)), profiles=profiles).parsed.profile == "platform-news"
    report = run(config_for(tmp_path, str(TABLE_PAGE)), profiles=profiles)
    assert (report.sources[0].profile, report.found, report.sources[0].skipped) == ("platform-news", 3, 0)


def test_refresh_reads_the_config_files_profile_tables(tmp_path):
    import tomllib

    tables = tomllib.loads(TABLE_PROFILES.read_text("utf-8"))["profile"]
    config = replace(config_for(tmp_path, str(TABLE_PAGE)), profiles=tuple(tables))
    report = run(config)
    assert (report.sources[0].profile, report.found) == ("platform-news", 3)


def test_a_bad_profile_table_in_the_config_is_a_config_error(tmp_path):
    config = replace(config_for(tmp_path, str(TABLE_PAGE)), profiles=({"name": "x", "detect": "table"},))
    with pytest.raises(ConfigError, match=r"config \[\[profile\]\] #1 \('x'\): 'item' is required"):
        run(config)


# --- no churn when a layout drifts (drift.py) ---------------------------------------------

SEVEN = [
    article(f"n{n}", date=f"{n} May 2023", kicker="News" if n % 2 else "Press release", summary=f"Teaser {n}.")
    for n in range(7, 0, -1)
]


def stored(tmp_path: Path, slug: str):
    with Store.open(tmp_path / "spfeed.sqlite") as store:
        return store.get(f"https://www.ilo.org/secsoc/news/{slug}.htm")


def test_a_field_the_page_stopped_showing_for_every_item_keeps_its_stored_value_and_updated(tmp_path):
    refresh(tmp_path, *SEVEN, now=T0)
    before = feed_bytes(tmp_path)
    without_summaries = [{k: v for k, v in a.items() if k != "summary"} for a in SEVEN]

    report = refresh(tmp_path, *without_summaries, now=T0 + timedelta(days=1))

    assert report.sources[0].drift.held == ("summary",)
    assert report.changes.updated == 0 and report.changes.unchanged == 7
    kept = stored(tmp_path, "n3")
    assert kept.entry.item.summary == "Teaser 3." and kept.entry.updated == datetime(2023, 5, 2, 22, 0, tzinfo=UTC)
    assert feed_bytes(tmp_path) == before


def test_labels_gone_from_every_item_keep_the_categories(tmp_path):
    refresh(tmp_path, *SEVEN, now=T0)
    without_labels = [{k: v for k, v in a.items() if k != "kicker"} for a in SEVEN]
    report = refresh(tmp_path, *without_labels, now=T0 + timedelta(days=1))
    assert report.sources[0].drift.held == ("category",) and report.changes.updated == 0
    assert [stored(tmp_path, f"n{n}").entry.item.category for n in (2, 1)] == ["Press release", "News"]


def test_one_item_losing_its_summary_is_an_edit_and_moves_updated(tmp_path):
    refresh(tmp_path, *SEVEN, now=T0)
    later = T0 + timedelta(days=1)
    edited = [{k: v for k, v in a.items() if not (k == "summary" and a["href"] == "news/n3.htm")} for a in SEVEN]
    report = refresh(tmp_path, *edited, now=later)
    assert report.sources[0].drift.held == () and report.changes.updated == 1
    assert stored(tmp_path, "n3").entry.item.summary is None and stored(tmp_path, "n3").entry.updated == later


def test_a_new_item_without_the_field_gets_no_stored_value(tmp_path):
    refresh(tmp_path, *SEVEN, now=T0)
    fresh = article("n8", date="8 May 2023")
    refresh(tmp_path, fresh, *[{k: v for k, v in a.items() if k != "summary"} for a in SEVEN], now=T0)
    assert stored(tmp_path, "n8").entry.item.summary is None and stored(tmp_path, "n7").entry.item.summary


def test_a_sharp_drop_in_items_is_reported_and_marks_none_gone(tmp_path):
    refresh(tmp_path, *SEVEN, now=T0)

    report = refresh(tmp_path, SEVEN[0], now=T0 + timedelta(hours=1))

    source = report.sources[0]
    assert source.drift.drop_from == 7 and source.drift.found == 1
    assert report.changes.gone == 0
    assert stored(tmp_path, "n1").on_page is True
    with Store.open(tmp_path / "spfeed.sqlite") as store:
        assert store.layouts()["main"].drop_from == 7


def test_a_page_that_really_shrank_is_taken_at_its_word_after_a_few_refreshes(tmp_path):
    refresh(tmp_path, *SEVEN, now=T0)
    drops = [refresh(tmp_path, article(f"m{n}"), SEVEN[0], now=T0 + timedelta(hours=n)) for n in range(1, 5)]
    # Yields 7, 2, 2: the third small page in a row is the page's new size. Then the
    # six old items and the two small pages' earlier items (m1, m2) have left it.
    assert [r.sources[0].drift.drop_from for r in drops] == [7, 7, None, None]
    assert drops[2].changes.gone == 8 and stored(tmp_path, "n1").on_page is False


def test_a_small_change_in_yield_is_no_drop(tmp_path):
    refresh(tmp_path, *SEVEN, now=T0)
    report = refresh(tmp_path, *SEVEN[:4], now=T0 + timedelta(hours=1))
    assert report.sources[0].drift.drop_from is None and report.changes.gone == 3

# --- No two entries of a feed share `updated` (the W3C validator's DuplicateUpdated) ---


def reread(page: Path) -> None:
    """The same page again, but not byte for byte: the next refresh parses it (a
    page whose bytes are unchanged is not even read) and must find nothing new."""
    page.write_bytes(page.read_bytes() + b"\n<!-- read again -->\n")


def assert_no_shared_updated(out: Path) -> None:
    """Explicitly, though conftest checks every feed a test writes: these are the cases that must show it."""
    found, problems = shared_updated_under(out)
    atom_and_json = [*out.rglob("*.atom"), out / "atom.xml", *out.rglob("*.json")]
    assert found == len(atom_and_json) > 2 and not problems, problems


def test_the_archive_page_gives_distinct_updated_and_a_second_refresh_the_same_bytes(tmp_path):
    page = tmp_path / "archive.html"
    page.write_bytes(ARCHIVE_PAGE.read_bytes())
    config = config_for(tmp_path, str(page), sources=(Source(location=str(page), base_url=ARCHIVE_URL),))
    run(config, now=T0)
    atom = etree.parse(str(tmp_path / "feeds" / "atom.xml")).getroot()
    entries = [
        (e.findtext(f"{ATOM}title"), e.findtext(f"{ATOM}published"), e.findtext(f"{ATOM}updated"))
        for e in atom.iter(f"{ATOM}entry")
    ]
    assert len(entries) == len({updated for _, _, updated in entries}) == 20
    # "March 2022" dates "Building a social protection floor in Mozambique" to the month, i.e.
    # the 1st at midnight, the day of "USP2030: Together…": the one higher on the page is a second later
    march = [entry for entry in entries if entry[1] == "2022-03-01T00:00:00+01:00"]
    assert [(title[:18], updated) for title, _, updated in march] == [
        ("Building a social ", "2022-03-01T00:00:01+01:00"),
        ("USP2030: Together ", "2022-03-01T00:00:00+01:00"),
    ]
    before = feed_bytes(tmp_path)
    assert_no_shared_updated(tmp_path / "feeds")

    reread(page)
    report = run(config, now=T0 + timedelta(hours=1))
    assert report.sources[0].outcome == "unchanged"
    assert feed_bytes(tmp_path) == before


def test_three_items_of_one_day_are_a_second_apart_in_page_order_and_stay_put(tmp_path):
    refresh(tmp_path, article("x"), article("y"), article("z"), now=T0)
    entries = atom_entries(tmp_path)
    assert [e.title for e in entries] == ["X", "Y", "Z"]
    # published is the page's day, untouched; updated tells them apart, the top one newest
    assert [e.published for e in entries] == ["2023-05-01T00:00:00+02:00"] * 3
    assert [e.updated for e in entries] == [f"2023-05-01T00:00:0{n}+02:00" for n in (2, 1, 0)]
    json_feed = json.loads((tmp_path / "feeds" / "feed.json").read_bytes())
    assert [i["date_published"] for i in json_feed["items"]] == ["2023-05-01T00:00:00+02:00"] * 3
    scraped = CliRunner().invoke(main, ["scrape", str(tmp_path / "page.html"), "--base-url", BASE, "--json"])
    assert [i["published"] for i in json.loads(scraped.stdout)] == ["2023-05-01"] * 3
    before = feed_bytes(tmp_path)

    reread(tmp_path / "page.html")
    assert run(config_for(tmp_path, str(tmp_path / "page.html")), now=T0 + timedelta(hours=1)).written.changed == []
    assert feed_bytes(tmp_path) == before
    # A fourth that day, on top: the next second; the others keep theirs
    refresh(tmp_path, article("w"), article("x"), article("y"), article("z"), now=T0 + timedelta(hours=2))
    assert [(e.title, e.updated[17:19]) for e in atom_entries(tmp_path)] == [
        ("W", "03"), ("X", "02"), ("Y", "01"), ("Z", "00")
    ]  # fmt: skip


def test_a_three_language_config_gives_distinct_updated_in_every_feed_and_the_same_bytes_again(tmp_path):
    pages = {}
    for lang in ("en", "fr", "es"):
        pages[lang] = tmp_path / f"{lang}.html"
        pages[lang].write_bytes(FIXTURES.joinpath(f"ilo-legacy-department.{lang}.html").read_bytes())
    (tmp_path / "spfeed.toml").write_text(
        f'out_dir = "{tmp_path / "feeds"}"\nstore = "{tmp_path / "spfeed.sqlite"}"\n'
        'public_url = "https://feeds.example.org/"\n'
        + "".join(f'[[source]]\nurl = "{page}"\nlanguage = "{lang}"\n' for lang, page in pages.items()),
        encoding="utf-8",
    )
    config = load_config(tmp_path / "spfeed.toml")
    assert [s.name for s in config.sources] == ["en", "fr", "es"]
    run(config, now=T0)
    out = tmp_path / "feeds"
    combined = feedparser.parse(str(out / "atom.xml"))
    # the three versions of each story share its date: 21 entries, 21 instants
    assert len(combined.entries) == 21
    assert len({e.updated_parsed for e in combined.entries}) == len({e.updated for e in combined.entries}) == 21
    assert_no_shared_updated(out)
    before = feed_bytes(tmp_path)

    for page in pages.values():
        reread(page)
    report = run(config, now=T0 + timedelta(hours=1))
    assert [s.outcome for s in report.sources] == ["unchanged"] * 3
    assert feed_bytes(tmp_path) == before


# --- Feeds that can be told apart ---------------------------------------------


def three_language_config(tmp_path: Path, **titles: str) -> Config:
    sources = []
    for lang in ("en", "fr", "es"):
        page = tmp_path / f"{lang}.html"
        page.write_bytes(FIXTURES.joinpath(f"ilo-legacy-department.{lang}.html").read_bytes())
        sources.append(Source(location=str(page), name=lang, language=lang, title=titles.get(lang)))
    return config_for(tmp_path, sources=tuple(sources))


def test_three_languages_give_three_feeds_named_in_their_language_everywhere(tmp_path):
    run(three_language_config(tmp_path), now=T0)
    out = tmp_path / "feeds"
    opml = etree.parse(str(out / "feeds.opml")).getroot()
    by_language = opml.find("body/outline[@text='By language']")
    assert [(o.get("language"), o.get("title")) for o in by_language] == [
        ("en", "ILO Universal Social Protection Department: news (English)"),
        ("fr", "OIT, Département de la protection sociale universelle : actualités (français)"),
        ("es", "OIT, Departamento de Protección Social Universal: noticias (español)"),
    ]
    french = feedparser.parse(str(out / "source" / "fr.atom")).feed
    assert french.title == by_language[1].get("title") and french.subtitle.startswith("Actualités, événements")
    index = lxml_html.fromstring((out / "index.html").read_bytes())
    names = index.xpath("//h2[text()='By language']/following-sibling::ul[1]/li/strong/a")
    assert [(a.text, a.get("href")) for a in names] == [
        (label, f"https://feeds.example.org/source/{lang}.html")
        for lang, label in (("en", "English"), ("fr", "français"), ("es", "español"))
    ]
    # the three versions of a story share a day: the combined feed gives them in the sources' order
    combined = etree.parse(str(out / "atom.xml")).getroot()
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert [e.get(xml_lang) for e in combined.iter(f"{ATOM}entry")][:6] == ["en", "fr", "es"] * 2
    french_page = lxml_html.fromstring((out / "source" / "fr.html").read_bytes())
    assert french_page.get("lang") == "fr" and french_page.xpath("//a/text()").count("Tous les flux") == 1
    # A category feed of several languages names the category in each, in the sources' order
    assert feedparser.parse(str(out / "category" / "press-release.atom")).feed.title.endswith(
        "(Press release / Communiqué de presse / Comunicado de prensa)"
    )


def test_a_configured_title_wins_and_two_sources_of_one_language_are_told_apart_by_name(tmp_path):
    config = three_language_config(tmp_path, fr="Protection sociale : les nouvelles")
    english = replace(config.sources[0], location=str(tmp_path / "es.html"), name="events", language="en")
    run(replace(config, sources=(*config.sources[:2], english)), now=T0)
    opml = etree.parse(str(tmp_path / "feeds" / "feeds.opml")).getroot()
    assert [o.get("title") for o in opml.find("body/outline[@text='By source']")] == [
        "ILO Universal Social Protection Department: news (English: en)",
        "Protection sociale : les nouvelles",
        "ILO Universal Social Protection Department: news (English: events)",
    ]


def test_one_source_keeps_the_plain_title(tmp_path):
    refresh(tmp_path, article("a"))
    assert feedparser.parse(str(tmp_path / "feeds" / "atom.xml")).feed.title == (
        "ILO Universal Social Protection Department: news"
    )
