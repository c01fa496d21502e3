"""Property-based fuzzing (hypothesis): arbitrary HTML fragments and strings
thrown at the parser, the date functions and the publisher. Nothing raises but
the documented ParseError, and every feed published stays well-formed.

A longer run: ``pytest tests/test_fuzz_properties.py --hypothesis-profile=long
--hypothesis-show-statistics`` (see docs/reliability.md)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from spfeed.dates import parse_date, parse_machine_date
from spfeed.errors import ParseError
from spfeed.models import FeedEntry, FeedMeta, Item, When
from spfeed.normalize import Context, absolute_url, canonical_url, normalize_items
from spfeed.parse import parse_page
from spfeed.publish import SourceFeed, plan_channels, render_atom, render_channel, render_json, render_rss

PAGE_URL = "https://www.ilo.org/secsoc/lang--en/index.htm"
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# --- Strategies ----------------------------------------------------------------

NASTY = [
    "\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\ud800", "\udfff", "\ufffe", "\uffff",
    "\u202e", "\u200b", "]]>", "<![CDATA[", "-->", "<!--", "&", "&amp;", "&#0;", "&#xD800;", "&#x1F;", "&nbsp;",
    "&bogus;", "<", ">", "\"", "'", "javascript:alert(1)", "data:text/html,<script>", "\r\n", "\t", "\\",
    "1 May 2023", "31 February 2024", "Press release | 01 March 2023", "12 - 14 juin 2024", "2024-05-01T10:00Z",
    "1700000000", "99999999999999", "Monday, 1 May 2023 10:00 CET", "mai 2023", "9999-12-31",
]
"""Fragments that have broken parsers, XML writers or date code before."""

text = st.lists(st.one_of(st.text(st.characters(codec=None, exclude_categories=()), max_size=20),
                          st.sampled_from(NASTY)), max_size=6).map("".join)
"""Any text, lone surrogates and XML-forbidden characters included."""

TAGS = ["div", "li", "ol", "ul", "a", "h2", "h3", "p", "span", "time", "img", "article", "section", "b",
        "script", "iframe", "svg", "table", "tr", "td", "br", "base", "link", "meta", "nav", "header"]
CLASSES = ["item", "title", "date", "teaser", "kicker", "whatsNew", "itemList", "image", "card", "news",
           "views-row", "pager", "next", "field--name-title", "event"]
ATTRS = ["href", "src", "datetime", "class", "onclick", "rel", "content", "property", "srcset", "data-src"]
urls = st.one_of(st.sampled_from(["/news/a", "https://www.ilo.org/x", "javascript:alert(1)", "//evil.example/",
                                  "data:image/png;base64,AA", "http://[::1", "https://a b", "#top", ""]), text)
attribute = st.tuples(st.sampled_from(ATTRS), st.one_of(urls, st.sampled_from(CLASSES), text))


def _render(tag: str, attrs: list[tuple[str, str]], children: list[str]) -> str:
    quoted = "".join(f' {name}="{value.replace(chr(34), "&quot;")}"' for name, value in attrs)
    return f"<{tag}{quoted}>{''.join(children)}</{tag}>"


html_fragments = st.recursive(
    text,
    lambda inner: st.builds(_render, st.sampled_from(TAGS), st.lists(attribute, max_size=3),
                            st.lists(inner, max_size=4)),
    max_leaves=30,
)
"""Nested tags with attributes and text; some unclosed or stray through the text parts."""

LEGACY_SHELL = '<html><body><div class="whatsNew"><ol class="itemList">{}</ol></div></body></html>'


# --- Parser, normalizer ----------------------------------------------------------


def _items_or_parse_error(html: str) -> list[Item]:
    try:
        parsed = parse_page(html, PAGE_URL)
    except ParseError:
        return []  # documented: a page with no items
    for raw in parsed.items:
        assert isinstance(raw.title, str) and isinstance(raw.url, str)
    return normalize_items(parsed.items, Context.for_page(parsed.base_url))


@FUZZ
@given(st.lists(html_fragments, max_size=5).map("".join), st.booleans())
def test_parse_and_normalize_any_html(fragment, in_legacy_shell):
    html = LEGACY_SHELL.format(fragment) if in_legacy_shell else fragment
    for item in _items_or_parse_error(html):
        assert item.url.startswith(("http://", "https://"))
        assert item.title and item.title == item.title.strip()
        assert all(ch not in item.title for ch in "\x00\x01\x1b\ud800")
        if item.published is not None:
            assert item.published.start.tzinfo is not None


@FUZZ
@given(text)
def test_parse_any_string(html):
    _items_or_parse_error(html)


# --- Dates ------------------------------------------------------------------------

zones = st.sampled_from([None, UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-12)),
                         ZoneInfo("Europe/Zurich"), ZoneInfo("America/Santiago"), ZoneInfo("Pacific/Apia")])
languages = st.lists(st.sampled_from(["en", "fr", "es", "de"]), max_size=3)  # others: a documented ConfigError


@FUZZ
@given(text, zones, languages)
def test_parse_date_never_raises(value, zone, langs):
    when = parse_date(value, zone, tuple(langs) or ("en",))
    if when is not None:
        assert when.start.tzinfo is not None
        assert when.end is None or when.end >= when.start


@FUZZ
@given(st.one_of(text, st.integers().map(str), st.datetimes().map(datetime.isoformat)), zones)
def test_parse_machine_date_never_raises(value, zone):
    when = parse_machine_date(value, zone)
    if when is not None:
        assert when.start.tzinfo is not None and 1900 <= when.start.year <= 2199


# --- Publisher --------------------------------------------------------------------

aware = st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(2199, 12, 30),
                     timezones=st.sampled_from([UTC, timezone(timedelta(hours=5, minutes=30)),
                                                ZoneInfo("Europe/Zurich")]))
web_urls = st.builds(lambda scheme, path: absolute_url(path, f"{scheme}://www.ilo.org/"),
                     st.sampled_from(["http", "https"]), text).filter(bool)
"""Links as normalize makes them from any href: the only way an item gets one."""
whens = st.builds(When, start=aware, end=st.one_of(st.none(), aware),
                  precision=st.sampled_from(["month", "day", "minute"]), kind=st.one_of(st.none(), text))
items = st.builds(Item, id=web_urls.map(canonical_url), title=text.filter(str.strip), url=web_urls,
                  published=st.one_of(st.none(), whens), category=st.one_of(st.none(), text),
                  category_slug=st.one_of(st.none(), st.from_regex(r"[a-z][a-z0-9-]{0,20}", fullmatch=True), text),
                  summary=st.one_of(st.none(), text, html_fragments), image=st.one_of(st.none(), urls))
entries = st.builds(FeedEntry, item=items, updated=aware, language=st.one_of(st.none(), st.sampled_from(["en", "fr"])),
                    content_html=st.one_of(st.none(), html_fragments))
META = FeedMeta(title="ILO news", subtitle="News", page_url=PAGE_URL, public_url="https://feeds.example.org/")
titles = st.text(st.characters(categories=["L", "N", "P", "Zs"]), min_size=1).filter(str.strip)
metas = st.builds(FeedMeta, title=titles,
                  subtitle=text, page_url=st.just(PAGE_URL),
                  public_url=st.just("https://feeds.example.org/"),
                  category_names=st.dictionaries(text, text, max_size=3))

XML = etree.XMLParser(resolve_entities=False, no_network=True)


def _assert_inert_xml(data: bytes) -> None:
    doc = etree.fromstring(data, XML)  # well-formed XML 1.0, or this raises
    for element in doc.iter():
        if isinstance(element.tag, str):
            assert etree.QName(element).localname.lower() not in ("script", "iframe")
            for name in ("href", "src", "url"):
                assert not (element.get(name) or "").strip().lower().startswith(("javascript:", "data:text"))


@FUZZ
@given(st.lists(entries, max_size=6), metas)
def test_every_published_feed_is_well_formed(feed_entries, meta):
    for data in (render_atom(feed_entries, meta), render_rss(feed_entries, meta)):
        _assert_inert_xml(data)
    document = json.loads(render_json(feed_entries, meta))
    for entry in document["items"]:
        assert entry["url"].startswith(("http://", "https://"))
        assert "<script" not in entry.get("content_html", "").lower()


@FUZZ
@given(st.lists(entries, max_size=6))
def test_every_file_of_a_publish_parses(feed_entries):
    channels = plan_channels([SourceFeed(name="main", meta=META, entries=feed_entries)], META)
    for channel in channels:
        for name, data in render_channel(channel).items():
            if name.endswith(".json"):
                json.loads(data)
            else:
                _assert_inert_xml(data)
