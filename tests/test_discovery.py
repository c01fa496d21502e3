from __future__ import annotations

import html as stdlib_html
from datetime import date, datetime, timedelta, timezone

import pytest
from babel.dates import format_date, format_skeleton
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree, html

from spfeed.discovery import Headline, Listing, escape, render_index, render_opml, shown_date
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
    assert page.xpath("//ol[@class='latest']/li/span[@class='when']/time/text()")[0] == "17 September 2023"


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


# --- Dates as people read them ----------------------------------------------

ZURICH_SUMMER, ZURICH_WINTER = timezone(timedelta(hours=2)), timezone(timedelta(hours=1))


def dated(when: datetime, precision: str = "day", end: datetime | None = None) -> Headline:
    return Headline(title="t", url="https://www.ilo.org/a", when=when, end=end, precision=precision)


def shown(headline: Headline, language: str | None) -> tuple[str, list[str]]:
    """The text a person reads, and the machine dates of its <time> elements."""
    fragment = html.fragment_fromstring(shown_date(headline, language))
    return fragment.text_content(), [time.get("datetime") for time in fragment.iter("time")]


@pytest.mark.parametrize(
    ("headline", "language", "text", "machine"),
    [
        # a day alone: its date, never midnight
        (dated(datetime(2023, 9, 17, tzinfo=ZURICH_SUMMER)), "en", "17 September 2023", ["2023-09-17"]),
        (dated(datetime(2023, 9, 17, tzinfo=ZURICH_SUMMER)), "fr", "17 septembre 2023", ["2023-09-17"]),
        (dated(datetime(2023, 9, 17, tzinfo=ZURICH_SUMMER)), "es", "17 de septiembre de 2023", ["2023-09-17"]),
        # a range: within a month, across months, across years
        (dated(datetime(2023, 6, 27, tzinfo=ZURICH_SUMMER), end=datetime(2023, 6, 28, tzinfo=ZURICH_SUMMER)), "en",
         "27–28 June 2023", ["2023-06-27", "2023-06-28"]),
        (dated(datetime(2023, 6, 27, tzinfo=ZURICH_SUMMER), end=datetime(2023, 6, 28, tzinfo=ZURICH_SUMMER)), "es",
         "27–28 de junio de 2023", ["2023-06-27", "2023-06-28"]),
        (dated(datetime(2023, 6, 27, tzinfo=ZURICH_SUMMER), end=datetime(2023, 7, 2, tzinfo=ZURICH_SUMMER)), "fr",
         "27 juin – 2 juillet 2023", ["2023-06-27", "2023-07-02"]),
        (dated(datetime(2023, 12, 30, tzinfo=ZURICH_WINTER), end=datetime(2024, 1, 3, tzinfo=ZURICH_WINTER)), "en",
         "30 December 2023 – 3 January 2024", ["2023-12-30", "2024-01-03"]),
        # a month alone (an archive heading)
        (dated(datetime(2022, 7, 1, tzinfo=ZURICH_SUMMER), "month"), "en", "July 2022", ["2022-07"]),
        (dated(datetime(2022, 7, 1, tzinfo=ZURICH_SUMMER), "month"), "es", "julio de 2022", ["2022-07"]),
        # a time of day, with the offset the page gave it, midnight included
        (dated(datetime(2023, 3, 24, 9, 0, tzinfo=ZURICH_WINTER), "minute"), "en",
         "24 March 2023, 09:00 UTC+01:00", ["2023-03-24T09:00:00+01:00"]),
        (dated(datetime(2023, 3, 24, 9, 0, tzinfo=ZURICH_WINTER), "minute"), "es",
         "24 de marzo de 2023, 9:00 UTC+01:00", ["2023-03-24T09:00:00+01:00"]),
        (dated(datetime(2023, 3, 24, 0, 0, tzinfo=timezone(timedelta(hours=-4, minutes=-30))), "minute"), "fr",
         "24 mars 2023, 00:00 UTC-04:30", ["2023-03-24T00:00:00-04:30"]),
        (dated(datetime(2026, 11, 27, 11, 57, tzinfo=timezone.utc), "minute"), "en",
         "27 November 2026, 11:57 UTC", ["2026-11-27T11:57:00+00:00"]),
        # a language without words of its own: English, as the rest of its page
        (dated(datetime(2023, 9, 17, tzinfo=ZURICH_SUMMER)), "de", "17 September 2023", ["2023-09-17"]),
        (dated(datetime(2023, 9, 17, tzinfo=ZURICH_SUMMER)), None, "17 September 2023", ["2023-09-17"]),
    ],
)  # fmt: skip
def test_a_date_is_shown_as_the_page_knows_it_in_the_pages_language(headline, language, text, machine):
    assert shown(headline, language) == (text, machine)


LOCALES = {"en": "en_GB", "fr": "fr", "es": "es"}


@settings(max_examples=200)
@given(
    day=st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31)),
    language=st.sampled_from(sorted(LOCALES)),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
)
def test_dates_and_times_are_cldrs_as_babel_formats_them(day, language, hour, minute):
    """Babel (CLDR) is the reference: the long date, the month and year, the time of day."""
    locale = LOCALES[language]
    moment = datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZURICH_SUMMER)
    assert shown(dated(moment), language)[0] == format_date(day, "long", locale=locale)
    assert shown(dated(moment, "month"), language)[0] == format_skeleton("yMMMM", day, locale=locale)
    long_date, clock = format_date(day, "long", locale=locale), format_skeleton("Hm", moment.time(), locale=locale)
    assert shown(dated(moment, "minute"), language)[0] == f"{long_date}, {clock} UTC+02:00"


def test_a_feed_page_shows_each_items_date_as_its_page_gave_it(tmp_path):
    write_feeds(fixture_entries(), META, tmp_path)
    page = html.parse(str(tmp_path / "feed.html")).getroot()
    whens = [span.text_content() for span in page.find_class("when")]
    assert whens == [
        "17 September 2023",
        "27–28 June 2023",
        "24 March 2023, 09:00 UTC+01:00",
        "1 March 2023",
        "26 January 2023",
        "30 November 2022",
        "17 October 2022",
    ]
    assert "T00:00" not in page.text_content()
    assert [t.get("datetime") for t in page.iter("time")][:4] == [
        "2023-09-17", "2023-06-27", "2023-06-28", "2023-03-24T09:00:00+01:00"
    ]  # fmt: skip
@given(st.text(), st.booleans())
def test_escape_is_html_escape(text, quote):
    assert escape(text, quote) == stdlib_html.escape(text, quote)
