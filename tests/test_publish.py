from __future__ import annotations

import json
import os
from datetime import datetime, timedelta, timezone

import feedparser
import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree, html
from msgspec.structs import replace

from spfeed import publish
from spfeed.categories import default_taxonomy
from spfeed.config import Source
from spfeed.errors import PublishError
from spfeed.models import FeedEntry, FeedMeta, Item, RawItem, When
from spfeed.normalize import Context, normalize_items
from spfeed.pipeline import scrape
from spfeed.publish import (
    RENDERED_FILE,
    SourceFeed,
    address_only,
    image_type,
    plain_text,
    publish_sources,
    render_atom,
    render_json,
    render_rss,
    sanitize_html,
    write_feeds,
    write_if_changed,
)

from .conftest import LEGACY_PAGE, LEGACY_URL, ROOT
from .feedcheck import (
    ATOM,
    DANGEROUS,
    MEDIA,
    XML_LANG,
    check_atom,
    check_json_feed,
    check_rss,
    feed_files,
    is_absolute,
    shared_updated,
    shared_updated_under,
    stylesheet_href,
)

PUBLIC = "https://feeds.example.org/spfeed/"
META = FeedMeta(
    title="ILO Universal Social Protection Department: news",
    subtitle="News, events and press releases",
    page_url=LEGACY_URL,
    public_url=PUBLIC,
    category_names=default_taxonomy().names("en"),
)
CTX = Context.for_page(LEGACY_URL)
UTC = timezone.utc
CATEGORY_SLUGS = ["event", "multilateralism", "news", "press-release"]


def fixture_entries() -> list[FeedEntry]:
    items = scrape(Source(location=str(LEGACY_PAGE))).items
    return [FeedEntry(item=i, updated=i.published.start) for i in items if i.published]


def entry(slug: str, *, day: int = 1, lang: str | None = None, **fields) -> FeedEntry:
    url = f"https://www.ilo.org/{lang or 'en'}/{slug}"
    when = datetime(2024, 5, day, 9, 30, tzinfo=UTC)
    fields.setdefault("title", f"Title {slug}")
    item = Item(id=url, url=url, published=When(start=when), **fields)
    return FeedEntry(item=item, updated=when, language=lang)


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    out = tmp_path_factory.mktemp("feeds")
    write_feeds(fixture_entries(), META, out)
    return out


# --- Golden files ---------------------------------------------------------


def test_atom_matches_golden(golden):
    golden.check_bytes(LEGACY_PAGE.with_suffix(".atom.xml"), render_atom(fixture_entries(), META))


def test_rss_matches_golden(golden):
    golden.check_bytes(LEGACY_PAGE.with_suffix(".rss.xml"), render_rss(fixture_entries(), META))


def test_json_feed_matches_golden(golden):
    golden.check_bytes(LEGACY_PAGE.with_suffix(".feed.json"), render_json(fixture_entries(), META))


# --- Every feed written passes every check ---------------------------------


def test_publish_writes_main_category_and_discovery_files(published):
    names = sorted(str(p.relative_to(published)) for p in published.rglob("*") if p.is_file())
    expected = {"atom.xml", "rss.xml", "feed.json", "feed.html", "index.html", "feeds.opml", "feed.css"}
    expected |= {f"category/{slug}.{ext}" for slug in CATEGORY_SLUGS for ext in ("atom", "rss", "json", "html")}
    assert set(names) == expected | {RENDERED_FILE}


def test_every_atom_feed_validates_and_links_to_itself(published, atom_schema):
    atoms = feed_files(published)["atom"]
    assert len(atoms) == 1 + len(CATEGORY_SLUGS)
    for path in atoms:
        check_atom(path.read_bytes(), PUBLIC + str(path.relative_to(published)), atom_schema)


def test_every_rss_feed_has_its_self_link_the_page_as_link_and_rfc822_dates(published):
    rsses = feed_files(published)["rss"]
    assert len(rsses) == 1 + len(CATEGORY_SLUGS)
    for path in rsses:
        check_rss(path.read_bytes(), PUBLIC + str(path.relative_to(published)), LEGACY_URL)


def test_every_json_feed_is_json_feed_1_1_and_links_to_itself(published):
    for path in feed_files(published)["json"]:
        feed = check_json_feed(path.read_bytes())
        assert feed["feed_url"] == PUBLIC + str(path.relative_to(published))


@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_feedparser_reads_every_feed_cleanly_with_ids_titles_links_dates(published, kind):
    # (feedparser 6.0 has no JSON Feed parser: check_json_feed covers feed.json)
    for path in feed_files(published)[kind]:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.entries
        for e in parsed.entries:
            assert e.id and e.title and is_absolute(e.link)
            assert e.get("published_parsed") or e.get("updated_parsed")


def test_the_three_formats_carry_the_same_items(published):
    atom = [e.id for e in feedparser.parse((published / "atom.xml").read_bytes()).entries]
    rss = [e.id for e in feedparser.parse((published / "rss.xml").read_bytes()).entries]
    items = [i["id"] for i in json.loads((published / "feed.json").read_bytes())["items"]]
    assert atom == rss == items and len(items) == 7


def test_the_duplicate_updated_rule_finds_two_entries_sharing_one_even_across_offsets(tmp_path):
    # conftest runs the rule on every feed a test writes; here, that it can fail.
    a = entry("a")
    b = replace(entry("b"), updated=a.updated.astimezone(timezone(timedelta(hours=2))))
    c = replace(entry("c"), updated=a.updated + timedelta(seconds=1))
    for name, render in (("atom.xml", render_atom), ("feed.json", render_json)):
        (tmp_path / name).write_bytes(render([a, b, c], META))
    try:
        assert [len(shared_updated(tmp_path / name)) for name in ("atom.xml", "feed.json")] == [1, 1]
        assert shared_updated_under(tmp_path)[0] == 2
        (tmp_path / "atom.xml").write_bytes(render_atom([a, c], META))
        assert shared_updated(tmp_path / "atom.xml") == []
    finally:  # a feed that breaks the rule on purpose is not left for conftest's check
        for path in tmp_path.iterdir():
            path.unlink()


def test_feed_updated_is_the_newest_entry_not_now():
    entries = fixture_entries()
    assert feedparser.parse(render_atom(entries, META)).feed.updated == "2023-09-17T00:00:00+02:00"
    assert feedparser.parse(render_rss(entries, META)).feed.updated == "Sun, 17 Sep 2023 00:00:00 +0200"


def test_rendering_twice_gives_the_same_bytes():
    for render in (render_atom, render_rss, render_json):
        assert render(fixture_entries(), META) == render(fixture_entries(), META)


def test_language_is_declared_in_every_format():
    assert etree.fromstring(render_atom(fixture_entries(), META)).get(XML_LANG) == "en"
    assert etree.fromstring(render_rss(fixture_entries(), META)).findtext("channel/language") == "en"
    assert json.loads(render_json(fixture_entries(), META))["language"] == "en"


# --- One test per validator complaint --------------------------------------


def test_guid_is_a_permalink_only_when_the_id_is_a_web_url():
    web = entry("a")
    tag = FeedEntry(
        item=Item(id="tag:ilo.org,2024:item-7", url="https://www.ilo.org/b", title="B"), updated=web.updated
    )
    doc = etree.fromstring(render_rss([web, tag], META))
    guids = {g.text: g.get("isPermaLink") for g in doc.iter("guid")}
    assert guids == {web.item.id: "true", "tag:ilo.org,2024:item-7": "false"}


def test_duplicate_ids_are_published_once_newest_first():
    newest = entry("same", day=9, title="Newest")
    older = FeedEntry(item=Item(id=newest.item.id, url=newest.item.url, title="Older"), updated=newest.updated)
    entries = [newest, older, entry("other")]
    assert [e.title for e in feedparser.parse(render_atom(entries, META)).entries] == ["Newest", "Title other"]
    assert len(feedparser.parse(render_rss(entries, META)).entries) == 2
    assert [i["title"] for i in json.loads(render_json(entries, META))["items"]] == ["Newest", "Title other"]


def test_xml_forbidden_characters_never_reach_the_feeds():
    raw = RawItem(title="Bad\x00 \x1btitle\ud800", url="/a", summary="x\x0cy", date_text="1 May 2023")
    normalized = [FeedEntry(item=i, updated=i.published.start) for i in normalize_items([raw], CTX)]
    unnormalized = [entry("raw", title="Raw\x00 \x1btitle\ud800", summary="p\x0bq\ufffe", category="L\x07abel")]
    for entries in (normalized, unnormalized):
        for render in (render_atom, render_rss):
            text = etree.tostring(etree.fromstring(render(entries, META)), encoding="unicode")
            assert "title" in text and "\x00" not in text
        json.loads(render_json(entries, META))


def test_publish_and_normalize_spell_the_xml_forbidden_characters_alike():
    from spfeed import normalize

    # Spelled the same, so that re compiles it once a process (the second compile finds it in re's cache).
    assert (publish._XML_FORBIDDEN.pattern, publish._XML_FORBIDDEN.flags) == (
        normalize._XML_FORBIDDEN.pattern,
        normalize._XML_FORBIDDEN.flags,
    )


def test_markup_in_titles_and_summaries_becomes_plain_text(atom_schema):
    e = entry("html", title="<b>Bold</b> move & more", summary="<p>First</p><p>second &amp; <i>last</i></p> 1 < 2")
    atom = check_atom(render_atom([e], META), PUBLIC + "atom.xml", atom_schema)
    assert atom.findtext(f"{ATOM}entry/{ATOM}title") == "Bold move & more"
    assert atom.findtext(f"{ATOM}entry/{ATOM}summary") == "First second &amp; last 1 < 2"
    rss = check_rss(render_rss([e], META), PUBLIC + "rss.xml")
    # RSS descriptions are HTML: the text is escaped once more so "1 < 2" shows as text
    assert rss.findtext("channel/item/description") == "First second &amp;amp; last 1 &lt; 2"
    assert feedparser.parse(render_rss([e], META)).entries[0].title == "Bold move & more"


def test_all_urls_in_the_feeds_are_absolute(published):
    for kind, paths in feed_files(published).items():
        for path in paths:
            if kind == "json":
                feed = json.loads(path.read_bytes())
                urls = [feed["home_page_url"], feed["feed_url"]]
                urls += [i.get(k) for i in feed["items"] for k in ("url", "image") if i.get(k)]
            else:
                doc = etree.fromstring(path.read_bytes())
                attributes = (item for el in doc.iter() for item in el.attrib.items())
                urls = [v for k, v in attributes if k in ("href", "url", "domain", "scheme")]
                urls += [el.text for el in doc.iter("link", f"{ATOM}id", f"{ATOM}uri", "docs")]
            assert urls and all(is_absolute(u) for u in urls), (path, [u for u in urls if not is_absolute(u)])


def test_an_entry_without_a_teaser_has_no_summary_and_atom_gets_the_address_as_content(tmp_path, atom_schema):
    bare, full = entry("bare", day=2), entry("full", summary="Words")
    doc = check_atom(render_atom([bare, full], META), PUBLIC + "atom.xml", atom_schema)
    entries = list(doc.iter(f"{ATOM}entry"))
    assert [e.findtext(f"{ATOM}summary") for e in entries] == [None, "Words"]
    # Not the title again: the validator wants textual content, and the address is what is known
    content = entries[0].find(f"{ATOM}content")
    assert content.get("type") == "html" and content.text == address_only(bare.item.url)
    assert html.fromstring(content.text).xpath("//a/@href") == [bare.item.url]
    assert entries[1].find(f"{ATOM}content") is None
    assert etree.fromstring(render_rss([bare], META)).find("channel/item/description") is None
    # JSON Feed requires a content field: the title may stand in there
    assert json.loads(render_json([bare], META))["items"][0]["content_text"] == "Title bare"
    write_feeds([bare, full], META, tmp_path)
    for name in ("feed.html", "index.html"):
        assert "Title bare" in (tmp_path / name).read_text("utf-8")
    page = html.fromstring((tmp_path / "feed.html").read_bytes())
    assert [article.xpath("count(p)") for article in page.xpath("//article")] == [1, 2]  # date line; + summary


def test_a_feed_without_entries_is_still_valid(tmp_path, atom_schema):
    check_atom(render_atom([], META), PUBLIC + "atom.xml", atom_schema)
    check_rss(render_rss([], META), PUBLIC + "rss.xml", LEGACY_URL)
    assert check_json_feed(render_json([], META))["items"] == []


# --- Sanitizing ------------------------------------------------------------

HOSTILE_TEASER = (
    '<p class="teaser">Read <script>alert("s")</script>this<iframe src="javascript:alert(1)"></iframe>'
    '<img src="x.png" onerror="alert(2)"><a href="javascript:alert(3)" onclick="alert(4)">now</a>'
    "<style>p{color:red}</style></p>"
)


def test_script_iframe_onerror_javascript_in_a_page_summary_never_reach_any_output(tmp_path):
    page = LEGACY_PAGE.read_text(encoding="utf-8")
    start = page.index('<p class="teaser">')
    end = page.index("</p>", start) + len("</p>")
    hostile = tmp_path / "hostile.html"
    hostile.write_text(page[:start] + HOSTILE_TEASER + page[end:], encoding="utf-8")
    entries = [FeedEntry(item=i, updated=i.published.start) for i in scrape(Source(location=str(hostile))).items]
    assert entries[0].item.summary.startswith("Read")
    out = tmp_path / "out"
    write_feeds(entries, META, out)
    assert_nothing_dangerous(out)


def test_hostile_markup_in_summary_and_content_is_removed_from_every_output(tmp_path):
    markup = '<script>alert(1)</script><IFRAME src="https://evil.example/"></IFRAME><img src=x onerror="alert(2)">'
    e = FeedEntry(
        item=Item(id="https://www.ilo.org/x", url="https://www.ilo.org/x", title=f"T{markup}", summary=f"S {markup}",
                  category=f"C{markup}", category_slug="c"),
        updated=datetime(2024, 1, 1, tzinfo=UTC),
        content_html=f'<p>Body <a href="javascript:alert(3)">j</a> <a href="/rel" onclick="x()">r</a></p>{markup}'
        "<style>body{}</style>",
    )  # fmt: skip
    write_feeds([e], META, tmp_path)
    assert_nothing_dangerous(tmp_path)
    content = json.loads((tmp_path / "feed.json").read_bytes())["items"][0]["content_html"]
    assert '<a href="https://www.ilo.org/rel"' in content and "Body" in content


def assert_nothing_dangerous(out_dir):
    written = [p for p in out_dir.rglob("*") if p.is_file() and p.name != "feed.css"]
    assert len(written) > 6
    for path in written:
        text = path.read_text(encoding="utf-8").lower()
        if path.suffix == ".html":
            text = text[text.index("<body>") :]  # the <head> holds our own stylesheet
        found = [marker for marker in DANGEROUS if marker in text]
        assert not found, (path.name, found)


def test_sanitize_html_keeps_structure_and_makes_links_absolute():
    cleaned = sanitize_html('<p>A <a href="../b">link</a> <img src="c.png" onload="x()"></p>', "https://www.ilo.org/a/")
    assert cleaned == '<p>A <a href="https://www.ilo.org/b" rel="noopener noreferrer">link</a> <img src="https://www.ilo.org/a/c.png"></p>'


@pytest.mark.parametrize(
    ("text", "plain"),
    [("<b>x</b> y", "x y"), ("a < b > c", "a < b > c"), ("x<!-- c -->y", "x y"), ("\x00 a\n\tb ", "a b"), (None, "")],
)
def test_plain_text(text, plain):
    assert plain_text(text) == plain


# --- Images ----------------------------------------------------------------


def test_images_are_media_content_in_rss_enclosure_links_in_atom_and_image_in_json():
    jpg = entry("img", image="https://www.ilo.org/pics/photo.JPG")
    odd = entry("odd", image="https://www.ilo.org/pics/render?id=3")
    local = entry("local", image="file:///etc/passwd")
    entries = [jpg, odd, local]
    rss = etree.fromstring(render_rss(entries, META))
    items = rss.findall("channel/item")
    content = items[0].find(f"{MEDIA}content")
    assert (content.get("url"), content.get("type"), content.get("medium")) == (jpg.item.image, "image/jpeg", "image")
    assert items[0].find(f"{MEDIA}thumbnail").get("url") == jpg.item.image
    assert items[1].find(f"{MEDIA}content") is None and items[1].find(f"{MEDIA}thumbnail") is not None
    assert not items[2].findall(f"{MEDIA}*")
    atom = etree.fromstring(render_atom(entries, META))
    enclosures = [e.findall(f"{ATOM}link[@rel='enclosure']") for e in atom.iter(f"{ATOM}entry")]
    assert [[(x.get("href"), x.get("type")) for x in links] for links in enclosures] == [
        [(jpg.item.image, "image/jpeg")], [], []
    ]
    parsed = feedparser.parse(render_atom(entries, META))
    assert parsed.entries[0].enclosures[0]["type"] == "image/jpeg"
    images = [i.get("image") for i in json.loads(render_json(entries, META))["items"]]
    assert images == [jpg.item.image, odd.item.image, None]


def test_image_type_comes_from_the_extension():
    assert image_type("https://x.org/a/b.png?v=2") == "image/png"
    assert image_type("https://x.org/a/b.webp") == "image/webp"
    assert image_type("https://x.org/a/b.pdf") is None
    assert image_type("https://x.org/a/b") is None
    assert image_type("https://x.org/a.jpg/b") is None
    assert image_type("https://x.org/a/B.JPG") == "image/jpeg"
    assert image_type("https://x.org/a/b.svg#frag") == "image/svg+xml"


# --- Per-category feeds ----------------------------------------------------


def test_each_category_feed_lists_only_its_entries(published):
    main = {e.id: e for e in feedparser.parse((published / "atom.xml").read_bytes()).entries}
    for slug in CATEGORY_SLUGS:
        for ext in ("atom", "rss"):
            parsed = feedparser.parse((published / "category" / f"{slug}.{ext}").read_bytes())
            assert parsed.entries and not parsed.bozo
            for e in parsed.entries:
                assert main[e.id].tags[0].term == slug
        items = check_json_feed((published / "category" / f"{slug}.json").read_bytes())["items"]
        assert items and all(main[i["id"]].tags[0].term == slug for i in items)
        title = feedparser.parse((published / "category" / f"{slug}.atom").read_bytes()).feed.title
        assert title.startswith(META.title + " (")
    events = feedparser.parse((published / "category" / "event.atom").read_bytes())
    assert len(events.entries) == 3 and events.feed.title == f"{META.title} (Event)"


def test_a_category_slug_that_is_not_a_slug_gets_no_file(tmp_path):
    entries = [
        entry("a", category="Evil", category_slug="../../evil"),
        entry("b", day=2, category="Good", category_slug="good"),
    ]
    write_feeds(entries, META, tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out" / "category").iterdir()) == [
        "good.atom", "good.html", "good.json", "good.rss"
    ]  # fmt: skip
    assert not list(tmp_path.glob("evil*"))
    assert len(feedparser.parse((tmp_path / "out" / "atom.xml").read_bytes()).entries) == 2


# --- Several sources -------------------------------------------------------


def source(name: str, lang: str, *entries: FeedEntry) -> SourceFeed:
    meta = FeedMeta(title=f"News ({lang})", subtitle=f"Subtitle {lang}", page_url=f"https://www.ilo.org/{lang}/",
                    public_url=PUBLIC, language=lang)  # fmt: skip
    return SourceFeed(name=name, meta=meta, entries=list(entries))


SITE = FeedMeta(title="All news", subtitle="Every language", page_url="https://www.ilo.org/", public_url=PUBLIC)


def test_several_sources_give_per_source_feeds_and_a_combined_one_with_languages(tmp_path, atom_schema):
    en = source("en", "en", entry("jobs", day=3, category="Press release", category_slug="press-release"))
    fr = source(
        "fr",
        "fr",
        entry("emplois", day=5, lang=None, category="Communiqué de presse", category_slug="press-release"),
        entry("vieux", day=1),
    )
    publish_sources([en, fr], SITE, tmp_path)

    for name, src in (("en", en), ("fr", fr)):
        atom = check_atom((tmp_path / f"source/{name}.atom").read_bytes(), f"{PUBLIC}source/{name}.atom", atom_schema)
        assert atom.get(XML_LANG) == name and atom.find(f"{ATOM}entry").get(XML_LANG) is None
        rss = check_rss((tmp_path / f"source/{name}.rss").read_bytes(), f"{PUBLIC}source/{name}.rss", src.meta.page_url)
        assert rss.findtext("channel/language") == name
        assert check_json_feed((tmp_path / f"source/{name}.json").read_bytes())["language"] == name

    combined = check_atom((tmp_path / "atom.xml").read_bytes(), PUBLIC + "atom.xml", atom_schema)
    assert combined.get(XML_LANG) == "mul"
    entries = combined.findall(f"{ATOM}entry")
    assert [(e.findtext(f"{ATOM}title"), e.get(XML_LANG)) for e in entries] == [
        ("Title emplois", "fr"), ("Title jobs", "en"), ("Title vieux", "fr")
    ]
    rss = check_rss((tmp_path / "rss.xml").read_bytes(), PUBLIC + "rss.xml", SITE.page_url)
    assert rss.findtext("channel/language") == "mul"
    feed = check_json_feed((tmp_path / "feed.json").read_bytes())
    assert feed["language"] == "mul" and [i["language"] for i in feed["items"]] == ["fr", "en", "fr"]
    category = check_json_feed((tmp_path / "category/press-release.json").read_bytes())
    assert [i["title"] for i in category["items"]] == ["Title emplois", "Title jobs"]


def test_sources_sharing_a_language_give_a_combined_feed_in_that_language(tmp_path):
    publish_sources([source("news", "en", entry("a")), source("events", "en", entry("b", day=2))], SITE, tmp_path)
    assert etree.parse(str(tmp_path / "atom.xml")).getroot().get(XML_LANG) == "en"
    assert json.loads((tmp_path / "feed.json").read_bytes())["language"] == "en"


@pytest.mark.parametrize("name", ["../x", ".hidden", "a/b", "UPPER", ""])
def test_a_source_name_unsafe_as_a_file_name_is_an_error(tmp_path, name):
    with pytest.raises(PublishError, match="source name must be"):
        publish_sources([source(name, "en", entry("a")), source("b", "en")], SITE, tmp_path)
    assert not list(tmp_path.iterdir())


def test_source_names_as_config_allows_them_name_the_files(tmp_path):
    publish_sources([source("en_main", "en", entry("a")), source("fr-2", "fr", entry("b", day=2))], SITE, tmp_path)
    assert sorted(p.name for p in (tmp_path / "source").iterdir()) == [
        "en_main.atom", "en_main.html", "en_main.json", "en_main.rss",
        "fr-2.atom", "fr-2.html", "fr-2.json", "fr-2.rss",
    ]  # fmt: skip


# --- Browser view: a page per feed, and the XML feeds styled by CSS (no XSLT) ---


def test_each_xml_feed_points_to_the_bundled_css_and_no_xslt(published):
    assert (published / "feed.css").read_bytes() == (ROOT / "spfeed" / "static" / "feed.css").read_bytes()
    for kind in ("atom", "rss"):
        for path in feed_files(published)[kind]:
            data = path.read_bytes()
            href = stylesheet_href(data)
            assert (path.parent / href).resolve() == (published / "feed.css").resolve()
            assert b'type="text/css"' in data and b"text/xsl" not in data and b".xsl" not in data


def feed_pages(out_dir):
    """Each feed's page, by the Atom feed it shows."""
    return {atom: atom.with_suffix(".html") if atom.name != "atom.xml" else atom.parent / "feed.html"
            for atom in feed_files(out_dir)["atom"]}  # fmt: skip


def test_each_feed_has_a_page_with_its_entries_its_address_to_copy_and_autodiscovery(published):
    pages = feed_pages(published)
    assert len(pages) == 1 + len(CATEGORY_SLUGS)
    for atom, page_path in pages.items():
        parsed = feedparser.parse(atom.read_bytes())
        page = html.fromstring(page_path.read_bytes())
        self_url = PUBLIC + str(atom.relative_to(published))
        assert page.xpath("string(//h1)") == parsed.feed.title == page.xpath("string(//head/title)")
        assert page.xpath("//input[@class='subscribe']/@value") == [self_url]
        alternates = {(link.get("type"), link.get("href")) for link in page.xpath("//head/link[@rel='alternate']")}
        assert ("application/atom+xml", self_url) in alternates and len(alternates) == 3
        articles = page.xpath("//article")
        assert len(articles) == len(parsed.entries) > 0
        for article, e in zip(articles, parsed.entries, strict=True):
            assert article.xpath("h2/a/@href") == [e.link] and article.xpath("string(h2/a)") == e.title
            # the machine date of the first <time> starts with the entry's day (a day alone is only that)
            assert article.xpath("p/span[@class='when']/time/@datetime")[0][:10] == e.get("published", e.updated)[:10]
            assert article.xpath("string(p[2])") == e.get("summary", "") or "summary" not in e
        index = page.xpath("//a[text()='All feeds']/@href")
        assert (page_path.parent / index[0]).resolve() == (published / "index.html").resolve()


def test_a_label_equal_to_the_category_is_shown_once(tmp_path):
    same = entry("same", category="News", category_slug="news")
    other = entry("other", day=2, category="ILO Live", category_slug="event")
    write_feeds([other, same], META, tmp_path)
    page = html.fromstring((tmp_path / "feed.html").read_bytes())
    labels = [article.xpath(".//span[@class='label']/text()") for article in page.xpath("//article")]
    assert labels == [["Event", "ILO Live"], ["News"]]
    index = html.fromstring((tmp_path / "index.html").read_bytes())
    assert [li.xpath("span[@class='label']/text()") for li in index.xpath("//ol[@class='latest']/li")] == labels
    atom = feedparser.parse((tmp_path / "atom.xml").read_bytes())
    assert [[t.label or t.term for t in e.tags] for e in atom.entries] == labels
    assert [i["tags"] for i in json.loads((tmp_path / "feed.json").read_bytes())["items"]] == labels


def test_a_feed_page_shows_escaped_text_as_text_not_markup(tmp_path):
    e = entry("amp", title="Jobs & <skills> a < b", summary="Pay & conditions: 1 < 2 > 0")
    write_feeds([e], META, tmp_path)
    page = html.fromstring((tmp_path / "feed.html").read_bytes())
    assert page.xpath("string(//article/p[2])") == "Pay & conditions: 1 < 2 > 0"
    # markup is taken out of titles (plain_text), and what is left is escaped
    assert page.xpath("string(//article/h2)") == "Jobs & a < b" and page.xpath("//skills") == []


# --- Writing ---------------------------------------------------------------


def test_write_feeds_leaves_unchanged_files_alone(tmp_path):
    entries = fixture_entries()
    first = write_feeds(entries, META, tmp_path)
    assert len(first.changed) == 7 + 4 * len(CATEGORY_SLUGS) and first.unchanged == []
    for path in first.changed:
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    second = write_feeds(entries, META, tmp_path)
    assert second.changed == [] and sorted(second.unchanged) == sorted(first.changed)
    assert all(p.stat().st_mtime_ns == 1_000_000_000 for p in first.changed)


def _no_rendering(*args: object) -> dict[str, bytes]:
    raise AssertionError("rendered although the inputs and the files are as last written")


def test_a_publish_with_the_last_inputs_renders_nothing(tmp_path, monkeypatch):
    entries = fixture_entries()
    first = write_feeds(entries, META, tmp_path)
    monkeypatch.setattr(publish, "render_files", _no_rendering)
    second = write_feeds(entries, META, tmp_path)
    assert second.changed == [] and sorted(second.unchanged) == sorted(first.changed)


@pytest.mark.parametrize("damage", ["delete", "edit", "corrupt the record"])
def test_a_damaged_output_is_rendered_again(tmp_path, damage):
    entries = fixture_entries()
    write_feeds(entries, META, tmp_path)
    atom = tmp_path / "atom.xml"
    good = atom.read_bytes()
    if damage == "delete":
        atom.unlink()
    elif damage == "edit":
        atom.write_bytes(b"<feed/>")
    else:
        (tmp_path / RENDERED_FILE).write_text("{not json", "utf-8")
    written = write_feeds(entries, META, tmp_path)
    assert atom.read_bytes() == good
    assert (atom in written.changed) == (damage != "corrupt the record")


def test_other_metadata_renders_again(tmp_path):
    entries = fixture_entries()
    write_feeds(entries, META, tmp_path)
    written = write_feeds(entries, replace(META, title="Another title"), tmp_path)
    assert tmp_path / "atom.xml" in written.changed


def test_a_new_item_rewrites_only_the_files_it_appears_in(tmp_path):
    entries = fixture_entries()
    write_feeds(entries, META, tmp_path)
    newer = entry("brand-new", day=2, category="News", category_slug="news")
    newer = FeedEntry(item=newer.item, updated=datetime.now(UTC) + timedelta(days=1))
    written = write_feeds([newer, *entries], META, tmp_path)
    changed = sorted(str(p.relative_to(tmp_path)) for p in written.changed)
    assert changed == ["atom.xml", "category/news.atom", "category/news.html", "category/news.json",
                       "category/news.rss", "feed.html", "feed.json", "index.html", "rss.xml"]  # fmt: skip


def test_write_if_changed_replaces_atomically_without_leftovers(tmp_path):
    path = tmp_path / "atom.xml"
    assert write_if_changed(path, b"one")
    assert write_if_changed(path, b"two")
    assert not write_if_changed(path, b"two")
    assert path.read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["atom.xml"]


def test_an_unwritable_output_directory_is_a_publish_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(PublishError, match="cannot create the output directory"):
        write_feeds(fixture_entries(), META, blocker / "out")


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
        RawItem(title="e", url="/e", label="Multilateralism", date_text="5 mars 2023"),
    ]
    entries = [FeedEntry(item=i, updated=i.published.start) for i in normalize_items(raws, CTX)]
    meta = replace(META, language="fr", category_names=default_taxonomy().names("fr"))
    parsed = feedparser.parse(render_atom(entries, meta))
    tags = [[(t.term, t.label) for t in e.tags] for e in parsed.entries]
    # a page label that says what the category's name says is not repeated
    assert tags == [
        [("press-release", "Communiqué de presse")],
        [("multilateralism", "Multilatéralisme")],
        [("press-release", "Communiqué de presse")],
        [("note-de-synthese", "Note de synthèse")],
        # an English label in a French feed: the category's French name, then the label
        [("multilateralism", "Multilatéralisme"), ("Multilateralism", None)],
    ]


def test_what_keys_a_publish_spells_every_field_and_each_times_offset():
    a = entry("a", day=1, category="News", category_slug="news")
    assert publish.spelled([a, META]) == publish.spelled([entry("a", day=1, category="News", category_slug="news"),
                                                          META])
    for changed in (replace(a, language="fr"), replace(a, item=replace(a.item, category_slug="events")),
                    replace(a, authors=("Someone",))):
        assert publish.spelled([changed, META]) != publish.spelled([a, META])
    assert publish.spelled(replace(META, category_names={"news": "Actualités"})) != publish.spelled(META)
    # The same instant at another offset is written differently (isoformat, RFC 822): a new key.
    shifted = replace(a, updated=a.updated.astimezone(timezone(timedelta(hours=2))))
    assert shifted.updated == a.updated and publish.spelled(shifted) != publish.spelled(a)
    # A value JSON has no form for is spelled by its repr, not refused.
    assert publish.spelled({"n": 1j}) == b'{"n":"1j"}'


# What a JSON Feed holds: text of any character a str can encode, whole numbers,
# booleans, null, nested in objects and arrays.
_TEXT = st.text(st.characters(exclude_categories=("Cs",)))
_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | _TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=25,
)


@given(_JSON_VALUES)
def test_the_json_feed_is_written_byte_for_byte_as_json_dumps_would(value):
    assert publish.indented_json(value) == (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def test_a_new_item_re_renders_only_the_feeds_that_list_it(monkeypatch):
    rendered: list[str] = []
    pages: list[str] = []
    real, real_page = publish.render_channel, publish.feed_page

    def counting(channel):  # type: ignore[no-untyped-def]
        rendered.append(channel.atom)
        return real(channel)

    def counting_pages(channel, described):  # type: ignore[no-untyped-def]
        pages.append(channel.html)
        return real_page(channel, described)

    monkeypatch.setattr(publish, "render_channel", counting)
    monkeypatch.setattr(publish, "feed_page", counting_pages)
    monkeypatch.setattr(publish, "_LAST_RENDERED", {})
    news = [entry("a", day=1, category="News", category_slug="news"),
            entry("b", day=2, category="Press release", category_slug="press-release")]
    first = publish.render_files([SourceFeed(name="en", meta=META, entries=news)], META)
    assert sorted(rendered) == ["atom.xml", "category/news.atom", "category/press-release.atom"]

    rendered.clear()
    again = publish.render_files([SourceFeed(name="en", meta=META, entries=news)], META)
    assert rendered == [] and again == first  # the same channels: the same bytes, nothing rendered

    newer = [entry("c", day=3, category="News", category_slug="news"), *news]
    pages.clear()
    third = publish.render_files([SourceFeed(name="en", meta=META, entries=newer)], META)
    assert sorted(rendered) == ["atom.xml", "category/news.atom"]
    assert sorted(pages) == ["category/news.html", "feed.html"]  # the HTML pages of those feeds alone
    assert b"Title c" in third["feed.html"] and b"Title c" in third["category/news.html"]
    publish._LAST_RENDERED.clear()
    assert third == publish.render_files([SourceFeed(name="en", meta=META, entries=newer)], META)  # as if fresh


# --- One topic in three languages: one category, and the former feeds go on ---


def topic_sources(taxonomy=None) -> list[SourceFeed]:
    """The three legacy pages' Multilateralism item, each filed by the taxonomy as publish gets it."""
    taxonomy = taxonomy or default_taxonomy()
    feeds = []
    for day, (lang, label) in enumerate(
        [("en", "Multilateralism"), ("fr", "Multilatéralisme"), ("es", "Multilateralismo")], start=1
    ):
        meta = replace(
            source("x", lang).meta,
            category_names=taxonomy.names(lang),
            former_categories=taxonomy.formerly,
        )
        item = entry(f"wcms-862342-{lang}", day=day, lang=lang, category=label, category_slug=taxonomy.classify(label))
        feeds.append(SourceFeed(name=lang, meta=meta, entries=[item]))
    return feeds


# What the pipeline gives the combined feed: the first source's metadata, retitled.
TOPIC_SITE = replace(topic_sources()[0].meta, title=SITE.title, subtitle=SITE.subtitle, page_url=SITE.page_url)


def test_one_topic_in_three_languages_is_one_category_feed_and_the_former_ones_go_on(tmp_path, atom_schema):
    publish_sources(topic_sources(), TOPIC_SITE, tmp_path)

    merged = check_atom((tmp_path / "category/multilateralism.atom").read_bytes(),
                        f"{PUBLIC}category/multilateralism.atom", atom_schema)  # fmt: skip
    assert [e.findtext(f"{ATOM}title") for e in merged.findall(f"{ATOM}entry")] == [
        "Title wcms-862342-es", "Title wcms-862342-fr", "Title wcms-862342-en"
    ]
    assert merged.findtext(f"{ATOM}title") == "All news (Multilateralism / Multilatéralisme / Multilateralismo)"
    # the feeds the French and Spanish labels had of their own: at the same address, with their items
    formers = [("multilateralisme", "fr", "Multilatéralisme"), ("multilateralismo", "es", "Multilateralismo")]
    for slug, lang, name in formers:
        former = check_atom((tmp_path / f"category/{slug}.atom").read_bytes(), f"{PUBLIC}category/{slug}.atom",
                            atom_schema)  # fmt: skip
        assert former.get(XML_LANG) == lang and former.findtext(f"{ATOM}title") == f"All news ({name})"
        assert [e.findtext(f"{ATOM}title") for e in former.findall(f"{ATOM}entry")] == [f"Title wcms-862342-{lang}"]
        assert {c.get("term") for c in former.iter(f"{ATOM}category")} == {"multilateralism", name}
        check_rss((tmp_path / f"category/{slug}.rss").read_bytes(), f"{PUBLIC}category/{slug}.rss", SITE.page_url)
        check_json_feed((tmp_path / f"category/{slug}.json").read_bytes())
        assert (tmp_path / f"category/{slug}.html").exists()
    # the index and the OPML file list the category once; the English label never had another slug
    index, opml = (tmp_path / "index.html").read_text("utf-8"), (tmp_path / "feeds.opml").read_text("utf-8")
    assert "category/multilateralism.atom" in index and "category/multilateralism.atom" in opml
    assert "multilateralisme" not in index + opml and "multilateralismo" not in index + opml
    assert sorted(p.name for p in (tmp_path / "category").glob("*.atom")) == [
        "multilateralism.atom", "multilateralisme.atom", "multilateralismo.atom"
    ]


def test_an_item_stored_under_a_former_slug_is_filed_under_its_category(tmp_path):
    """Stored before the taxonomy took its label in, an item that left the page keeps its old slug."""
    sources = topic_sources()
    fr = sources[1]
    stale = replace(fr.entries[0], item=replace(fr.entries[0].item, category_slug="multilateralisme"))
    publish_sources([sources[0], replace(fr, entries=[stale]), sources[2]], TOPIC_SITE, tmp_path)
    assert sorted(p.name for p in (tmp_path / "category").glob("*.atom")) == [
        "multilateralism.atom", "multilateralisme.atom", "multilateralismo.atom"
    ]
    merged = feedparser.parse((tmp_path / "category/multilateralism.atom").read_bytes())
    assert len(merged.entries) == 3
    assert [t.term for t in feedparser.parse((tmp_path / "source/fr.atom").read_bytes()).entries[0].tags] == [
        "multilateralism"
    ]


def test_a_french_page_alone_keeps_its_former_feed_an_english_one_never_had_another(tmp_path):
    publish_sources(topic_sources()[1:2], TOPIC_SITE, tmp_path)
    assert sorted(p.name for p in (tmp_path / "category").glob("*.atom")) == [
        "multilateralism.atom", "multilateralisme.atom"
    ]
    publish_sources(topic_sources()[:1], TOPIC_SITE, tmp_path / "en")
    assert sorted(p.name for p in (tmp_path / "en/category").glob("*.atom")) == ["multilateralism.atom"]


SLUGS_BEFORE = json.loads((ROOT / "fixtures/category-slugs.json").read_text("utf-8"))


def test_every_fixture_labels_category_feed_is_still_written_with_its_item(tmp_path):
    """Each label of the fixtures' goldens, on an item of its own: the category feed its
    label had before the topics is written and lists that item."""
    taxonomy = default_taxonomy()
    meta = replace(META, category_names=taxonomy.names("en"), former_categories=taxonomy.formerly)
    entries = []
    for number, label in enumerate(sorted(SLUGS_BEFORE)):
        one = entry(f"label-{number}", category=label, category_slug=taxonomy.classify(label))
        when = one.updated + timedelta(minutes=number)
        entries.append(replace(one, updated=when, item=replace(one.item, published=When(start=when))))
    write_feeds(entries, meta, tmp_path)
    for number, (label, before) in enumerate(sorted(SLUGS_BEFORE.items())):
        feed = feedparser.parse((tmp_path / f"category/{before}.atom").read_bytes())
        assert f"https://www.ilo.org/en/label-{number}" in [e.id for e in feed.entries], (label, before)
