from __future__ import annotations

import os
from dataclasses import replace

import feedparser
import pytest
from lxml import etree

from spfeed.categories import default_taxonomy
from spfeed.config import Source
from spfeed.models import FeedEntry, FeedMeta, RawItem
from spfeed.normalize import Context, normalize_items
from spfeed.pipeline import scrape
from spfeed.publish import render_atom, render_rss, write_feeds, write_if_changed

from .conftest import LEGACY_PAGE, LEGACY_URL

ATOM = "{http://www.w3.org/2005/Atom}"
META = FeedMeta(
    title="ILO Universal Social Protection Department: news",
    subtitle="News, events and press releases",
    page_url=LEGACY_URL,
    public_url="https://feeds.example.org/spfeed/",
    category_names=default_taxonomy().names("en"),
)
CTX = Context.for_page(LEGACY_URL)


def fixture_entries() -> list[FeedEntry]:
    items = scrape(Source(location=str(LEGACY_PAGE))).items
    return [FeedEntry(item=i, updated=i.published.start) for i in items if i.published]


def test_atom_matches_golden(golden):
    golden.check_bytes(LEGACY_PAGE.with_suffix(".atom.xml"), render_atom(fixture_entries(), META))


def test_rss_matches_golden(golden):
    golden.check_bytes(LEGACY_PAGE.with_suffix(".rss.xml"), render_rss(fixture_entries(), META))


def test_atom_validates_against_rfc4287_schema(atom_schema):
    doc = etree.fromstring(render_atom(fixture_entries(), META))
    assert atom_schema.validate(doc), atom_schema.error_log


def test_atom_has_feed_author_self_and_alternate_links():
    doc = etree.fromstring(render_atom(fixture_entries(), META))
    assert doc.find(f"{ATOM}author/{ATOM}name").text == "International Labour Organization"
    links = {link.get("rel"): link.get("href") for link in doc.findall(f"{ATOM}link")}
    assert links == {"self": "https://feeds.example.org/spfeed/atom.xml", "alternate": LEGACY_URL}
    for entry in doc.findall(f"{ATOM}entry"):
        # RFC 4287: an entry without content needs an alternate link
        assert entry.find(f"{ATOM}link").get("href").startswith("https://")


def test_rss_channel_link_is_the_page_and_self_link_is_the_rss_feed():
    doc = etree.fromstring(render_rss(fixture_entries(), META))
    channel = doc.find("channel")
    assert channel.findtext("link") == LEGACY_URL
    self_link = channel.find(f"{ATOM}link")
    assert self_link.get("rel") == "self"
    assert self_link.get("href") == "https://feeds.example.org/spfeed/rss.xml"


def test_feed_updated_is_the_newest_entry_not_now():
    entries = fixture_entries()
    parsed = feedparser.parse(render_atom(entries, META))
    assert parsed.feed.updated == "2023-09-17T00:00:00+02:00"
    rss = feedparser.parse(render_rss(entries, META))
    assert rss.feed.updated == "Sun, 17 Sep 2023 00:00:00 +0200"


def test_rendering_twice_gives_the_same_bytes():
    assert render_atom(fixture_entries(), META) == render_atom(fixture_entries(), META)
    assert render_rss(fixture_entries(), META) == render_rss(fixture_entries(), META)


@pytest.mark.parametrize("render", [render_atom, render_rss])
def test_entries_have_unique_ids_titles_links_and_dates(render):
    parsed = feedparser.parse(render(fixture_entries(), META))
    assert not parsed.bozo
    assert len(parsed.entries) == 7
    ids = [e.id for e in parsed.entries]
    assert len(set(ids)) == 7
    for entry in parsed.entries:
        assert entry.title and entry.link.startswith("https://www.ilo.org/")
        assert entry.get("published_parsed") or entry.get("updated_parsed")


def test_rss_guid_is_a_permalink_that_is_the_canonical_link():
    doc = etree.fromstring(render_rss(fixture_entries(), META))
    for item in doc.iter("item"):
        guid = item.find("guid")
        assert guid.get("isPermaLink") == "true"
        assert guid.text.startswith("https://")


def test_xml_forbidden_characters_from_the_page_do_not_break_the_feeds():
    raw = RawItem(title="Bad\x00 \x1btitle\ud800", url="/a", summary="x\x0cy", date_text="1 May 2023")
    entries = [FeedEntry(item=i, updated=i.published.start) for i in normalize_items([raw], CTX)]
    for render in (render_atom, render_rss):
        doc = etree.fromstring(render(entries, META))
        assert "Bad title" in etree.tostring(doc, encoding="unicode")


def test_write_feeds_leaves_unchanged_files_alone(tmp_path):
    entries = fixture_entries()
    first = write_feeds(entries, META, tmp_path)
    assert sorted(p.name for p in first.changed) == ["atom.xml", "rss.xml"]
    stamps = {p: p.stat().st_mtime_ns for p in first.changed}
    for path in stamps:
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    second = write_feeds(entries, META, tmp_path)
    assert second.changed == []
    assert all(p.stat().st_mtime_ns == 1_000_000_000 for p in stamps)


def test_write_if_changed_replaces_atomically_without_leftovers(tmp_path):
    path = tmp_path / "atom.xml"
    assert write_if_changed(path, b"one")
    assert write_if_changed(path, b"two")
    assert not write_if_changed(path, b"two")
    assert path.read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["atom.xml"]


def test_atom_entry_has_the_canonical_category_and_the_pages_label():
    doc = etree.fromstring(render_atom(fixture_entries(), META))
    entry = next(e for e in doc.findall(f"{ATOM}entry") if "WCMS_869577" in e.findtext(f"{ATOM}id"))
    categories = [dict(c.attrib) for c in entry.findall(f"{ATOM}category")]
    assert categories == [
        {"term": "press-release", "scheme": "https://feeds.example.org/spfeed/category/", "label": "Press release"},
        {"term": "Joint ILO-UNICEF report", "scheme": LEGACY_URL},
    ]


def test_rss_item_has_the_canonical_slug_and_the_pages_label_with_their_domains():
    doc = etree.fromstring(render_rss(fixture_entries(), META))
    item = next(i for i in doc.iter("item") if "WCMS_893590" in i.findtext("guid"))
    categories = [(c.get("domain"), c.text) for c in item.findall("category")]
    assert categories == [("https://feeds.example.org/spfeed/category/", "event"), (LEGACY_URL, "ILO Live")]


def test_category_names_follow_the_feed_language_and_unknown_slugs_use_the_label():
    raws = [
        RawItem(title="a", url="/a", label="Communiqué de presse", date_text="1er mars 2023"),
        RawItem(title="b", url="/b", label="Multilatéralisme", date_text="2 mars 2023"),
        RawItem(title="c", url="/c", date_text="Communiqué de presse | 3 mars 2023"),
        RawItem(title="d", url="/d", date_text="Note de synthèse | 4 mars 2023"),
    ]
    entries = [FeedEntry(item=i, updated=i.published.start) for i in normalize_items(raws, CTX)]
    meta = replace(META, language="fr", category_names=default_taxonomy().names("fr"))
    parsed = feedparser.parse(render_atom(entries, meta))
    tags = [[(t.term, t.label) for t in e.tags] for e in parsed.entries]
    assert tags == [
        [("press-release", "Communiqué de presse"), ("Communiqué de presse", None)],
        [("multilateralisme", "Multilatéralisme"), ("Multilatéralisme", None)],
        [("press-release", "Communiqué de presse")],
        [("note-de-synthese", "Note de synthèse")],
    ]
