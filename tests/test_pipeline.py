"""End to end: a page served over (mocked) HTTP becomes valid feeds."""

from __future__ import annotations

from dataclasses import replace

import feedparser
import pytest
import responses
from lxml import etree

from spfeed.config import Config, Source
from spfeed.errors import ConfigError, FetchError, ParseError
from spfeed.parse import load_profiles
from spfeed.pipeline import backfill, run, scrape

from .conftest import ARCHIVE_PAGE, ARCHIVE_PAGE_2, ARCHIVE_URL, ARCHIVE_URL_2, LEGACY_PAGE, TABLE_PAGE, TABLE_PROFILES

URL = "https://www.ilo.org/secsoc/lang--en/index.htm"


def output_files(out_dir):
    return sorted(p for p in out_dir.rglob("*") if p.is_file())


def config_for(out_dir, location=URL) -> Config:
    return Config(sources=(Source(location=location),), out_dir=out_dir, public_url="https://feeds.example.org/")


@responses.activate
def test_refresh_from_http_writes_valid_atom_and_rss(tmp_path, atom_schema):
    responses.get(URL, body=LEGACY_PAGE.read_bytes(), content_type="text/html; charset=utf-8")
    report = run(config_for(tmp_path))
    assert report.items == 7 and report.profile == "ilo-legacy"
    for name in ("atom.xml", "rss.xml"):
        parsed = feedparser.parse(str(tmp_path / name))
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert len(parsed.entries) == 7
        assert parsed.feed.link == URL
    assert atom_schema.validate(etree.parse(str(tmp_path / "atom.xml"))), atom_schema.error_log


@responses.activate
def test_second_refresh_of_the_same_page_rewrites_nothing(tmp_path):
    responses.get(URL, body=LEGACY_PAGE.read_bytes(), content_type="text/html")
    run(config_for(tmp_path))
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in output_files(tmp_path)}
    report = run(config_for(tmp_path))
    assert report.written.changed == []
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in output_files(tmp_path)}
    assert after == before


@responses.activate
def test_a_page_with_no_items_leaves_the_existing_feeds_alone(tmp_path):
    responses.get(URL, body=LEGACY_PAGE.read_bytes(), content_type="text/html")
    run(config_for(tmp_path))
    before = {p: p.read_bytes() for p in output_files(tmp_path)}
    responses.replace(
        responses.GET, URL, body='<div class="whatsNew"><ol class="itemList"></ol></div>', content_type="text/html"
    )
    with pytest.raises(ParseError, match="no items found"):
        run(config_for(tmp_path))
    assert {p: p.read_bytes() for p in output_files(tmp_path)} == before


@responses.activate
def test_a_failed_fetch_leaves_the_existing_feeds_alone(tmp_path):
    responses.get(URL, body=LEGACY_PAGE.read_bytes(), content_type="text/html")
    run(config_for(tmp_path))
    before = {p: p.read_bytes() for p in output_files(tmp_path)}
    responses.replace(responses.GET, URL, status=503)
    with pytest.raises(FetchError, match="HTTP 503"):
        run(config_for(tmp_path))
    assert {p: p.read_bytes() for p in output_files(tmp_path)} == before


def test_refresh_from_a_local_file_links_to_the_canonical_page(tmp_path):
    run(config_for(tmp_path, location=str(LEGACY_PAGE)))
    parsed = feedparser.parse(str(tmp_path / "rss.xml"))
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
        '<li class="previous">', '<li class="next"><a href="/secsoc/information-resources/news/lang--en/index.htm">Next</a></li><li class="previous">'
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
    report = run(config_for(tmp_path, location=str(TABLE_PAGE)), profiles=profiles)
    assert (report.profile, report.items, report.skipped) == ("platform-news", 3, 0)


def test_refresh_reads_the_config_files_profile_tables(tmp_path):
    import tomllib

    tables = tomllib.loads(TABLE_PROFILES.read_text("utf-8"))["profile"]
    config = replace(config_for(tmp_path, location=str(TABLE_PAGE)), profiles=tuple(tables))
    report = run(config)
    assert (report.profile, report.items) == ("platform-news", 3)


def test_a_bad_profile_table_in_the_config_is_a_config_error(tmp_path):
    config = replace(config_for(tmp_path, location=str(TABLE_PAGE)), profiles=({"name": "x", "detect": "table"},))
    with pytest.raises(ConfigError, match=r"config \[\[profile\]\] #1 \('x'\): 'item' is required"):
        run(config)
