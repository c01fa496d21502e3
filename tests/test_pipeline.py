"""End to end: a page served over (mocked) HTTP becomes valid feeds."""

from __future__ import annotations

import feedparser
import pytest
import responses
from lxml import etree

from spfeed.config import Config, Source
from spfeed.errors import FetchError, ParseError
from spfeed.pipeline import run

from .conftest import LEGACY_PAGE

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
