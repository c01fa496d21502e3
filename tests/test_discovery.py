from __future__ import annotations

import html as stdlib_html
from datetime import datetime, timezone

from hypothesis import given
from hypothesis import strategies as st
from lxml import etree, html

from spfeed.discovery import Headline, Listing, escape, render_index, render_opml
from spfeed.publish import write_feeds

from .feedcheck import feed_files, is_absolute
from .test_publish import META, PUBLIC, fixture_entries

EVIL = '<script>alert("x")</script>"&'


def listing(title: str = "Main", group: str = "Main feed", stem: str = "atom") -> Listing:
    return Listing(
        title=title,
        group=group,
        atom_url=f"{PUBLIC}{stem}.atom",
        rss_url=f"{PUBLIC}{stem}.rss",
        json_url=f"{PUBLIC}{stem}.json",
        page_url="https://www.ilo.org/",
        language="en",
        entries=1,
    )


def test_index_lists_every_feed_with_subscribe_links(tmp_path):
    write_feeds(fixture_entries(), META, tmp_path)
    page = html.fromstring((tmp_path / "index.html").read_bytes())
    hrefs = set(page.xpath("//body//a/@href"))
    for kind, paths in feed_files(tmp_path).items():
        for path in paths:
            assert PUBLIC + str(path.relative_to(tmp_path)) in hrefs, (kind, path)
    assert "feeds.opml" in hrefs


def test_index_has_autodiscovery_links_for_the_main_feed(tmp_path):
    write_feeds(fixture_entries(), META, tmp_path)
    page = html.fromstring((tmp_path / "index.html").read_bytes())
    found = {(link.get("type"), link.get("href")) for link in page.xpath("//head/link[@rel='alternate']")}
    assert found == {
        ("application/atom+xml", PUBLIC + "atom.xml"),
        ("application/rss+xml", PUBLIC + "rss.xml"),
        ("application/feed+json", PUBLIC + "feed.json"),
    }
    assert page.xpath("string(//head/title)") == f"{META.title}: feeds"


def test_index_shows_the_latest_items_newest_first(tmp_path):
    entries = fixture_entries()
    write_feeds(entries, META, tmp_path)
    page = html.fromstring((tmp_path / "index.html").read_bytes())
    links = page.xpath("//ol[@class='latest']/li/a")
    assert [(a.text, a.get("href")) for a in links] == [(e.item.title, e.item.url) for e in entries]
    assert page.xpath("//ol[@class='latest']/li/time/text()")[0] == "2023-09-17"


def test_index_escapes_every_text():
    when = datetime(2024, 1, 2, tzinfo=timezone.utc)
    site = type(META)(title=EVIL, subtitle=EVIL, page_url="https://x.org/?a=1&b=2", public_url=PUBLIC)
    headline = Headline(title=EVIL, url="https://x.org/?a=1&b=2", when=when, labels=(EVIL,), summary=EVIL)
    body = render_index(site, [listing(EVIL)], [headline])
    text = body.decode()
    assert "<script>" not in text and "&lt;script&gt;" in text and "?a=1&amp;b=2" in text
    page = html.fromstring(body)
    assert page.xpath("string(//h1)") == EVIL
    assert page.xpath("//ol/li/a/@href") == ["https://x.org/?a=1&b=2"]


def test_opml_lists_every_feed_once_in_groups(tmp_path):
    write_feeds(fixture_entries(), META, tmp_path)
    doc = etree.parse(str(tmp_path / "feeds.opml")).getroot()
    assert doc.get("version") == "2.0" and doc.findtext("head/title") == META.title
    groups = [g.get("text") for g in doc.findall("body/outline")]
    assert groups == ["Main feed", "By category"]
    urls = [o.get("xmlUrl") for o in doc.iter("outline") if o.get("xmlUrl")]
    atoms = [PUBLIC + str(p.relative_to(tmp_path)) for p in feed_files(tmp_path)["atom"]]
    assert sorted(urls) == sorted(atoms) and len(urls) == len(set(urls))
    for outline in doc.iter("outline"):
        if outline.get("xmlUrl"):
            assert outline.get("type") == "rss" and outline.get("text") and is_absolute(outline.get("htmlUrl"))


def test_opml_escapes_titles():
    meta = type(META)(title=EVIL, subtitle="", page_url="https://x.org/", public_url=PUBLIC)
    body = render_opml(meta, [listing(EVIL)])
    doc = etree.fromstring(body)
    assert doc.findtext("head/title") == EVIL
    assert [o.get("title") for o in doc.iter("outline")] == ["Main feed", EVIL]


@given(st.text(), st.booleans())
def test_escape_is_html_escape(text, quote):
    assert escape(text, quote) == stdlib_html.escape(text, quote)
