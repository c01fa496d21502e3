from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from spfeed.categories import load_taxonomy
from spfeed.errors import ConfigError
from spfeed.models import RawItem
from spfeed.normalize import (
    _PLAIN_URL,
    _XML_FORBIDDEN,
    Context,
    _canonical_of_parts,
    _is_plain_path,
    _resolved,
    absolute_url,
    canonical_url,
    clean_text,
    normalize_items,
)

BASE = "https://www.ilo.org/secsoc/lang--en/index.htm"
CTX = Context.for_page(BASE)


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("/global/x/index.htm", "https://www.ilo.org/global/x/index.htm"),
        ("news/a.htm", "https://www.ilo.org/secsoc/lang--en/news/a.htm"),
        ("https://other.example/p", "https://other.example/p"),
        ("//cdn.example/i.jpg", "https://cdn.example/i.jpg"),
        ("javascript:alert(1)", None),
        ("mailto:socpro@ilo.org", None),
        ("data:text/html,hi", None),
        ("", None),
    ],
)
def test_absolute_url(href, expected):
    assert absolute_url(href, BASE) == expected


@pytest.mark.parametrize(
    "variant",
    [
        "https://www.ilo.org/resource/news/item",
        "http://www.ilo.org/resource/news/item",
        "https://WWW.ILO.ORG/resource/news/item/",
        "https://www.ilo.org/resource/news/item#top",
        "https://www.ilo.org/resource/news/item?utm_source=x&utm_medium=email",
        "https://www.ilo.org:443/resource/news/item?fbclid=abc",
    ],
)
def test_canonical_url_collapses_variants(variant):
    assert canonical_url(variant) == "https://www.ilo.org/resource/news/item"


def test_canonical_url_keeps_meaningful_query():
    assert canonical_url("https://x.org/p?id=2&utm_source=a&b=1") == "https://x.org/p?b=1&id=2"


def test_clean_text_collapses_space_and_strips_xml_forbidden_characters():
    assert clean_text("  A\u0000 title\x0b with\n\t space \ud800 ") == "A title with space"
    assert clean_text(" \n ") is None
    assert clean_text(None) is None


def test_clean_text_limits_length():
    text = clean_text("x" * 10_000, limit=500)
    assert text is not None and len(text) == 500 and text.endswith("…")


def test_same_article_twice_is_one_item_and_different_urls_stay_two():
    raws = [
        RawItem(title="Same", url="/news/a?utm_source=hero"),
        RawItem(title="Same", url="/news/a", summary="from the list", date_text="1 May 2023"),
        RawItem(title="Same", url="/news/b"),
    ]
    items = normalize_items(raws, CTX)
    assert [i.id for i in items] == ["https://www.ilo.org/news/a", "https://www.ilo.org/news/b"]
    assert items[0].summary == "from the list"
    assert items[0].published is not None
    assert items[0].url == "https://www.ilo.org/news/a"  # the plain link, not the promoted one


def test_merged_duplicate_prefers_https_to_http():
    raws = [RawItem(title="A", url="http://www.ilo.org/news/a"), RawItem(title="A", url="https://www.ilo.org/news/a?utm_source=x")]
    (item,) = normalize_items(raws, CTX)
    assert item.url == "https://www.ilo.org/news/a?utm_source=x"


def test_item_with_javascript_link_is_dropped():
    assert normalize_items([RawItem(title="x", url="javascript:void(0)")], CTX) == []


def test_machine_date_is_preferred_and_visible_range_keeps_its_end():
    raw = RawItem(title="t", url="/e", date_text="27-28 June 2023", datetime_attr="1687816800")
    (item,) = normalize_items([raw], CTX)
    assert item.published is not None
    assert item.published.start.isoformat() == "2023-06-27T00:00:00+02:00"
    assert item.published.end is not None and item.published.end.day == 28


def test_group_heading_dates_an_item_without_its_own_date_to_the_month():
    (item,) = normalize_items([RawItem(title="t", url="/e", group_date="July 2022")], CTX)
    assert item.published is not None and item.published.precision == "month"


@pytest.mark.parametrize(
    ("label", "date_text", "category", "slug"),
    [
        ("ILO Live", "17 September 2023", "ILO Live", "event"),
        ("Joint ILO-UNICEF report", "Press release | 01 March 2023", "Joint ILO-UNICEF report", "press-release"),
        (" Communiqué  de presse ", "1er mars 2023", "Communiqué de presse", "press-release"),
        ("Comunicado de prensa", "1 de marzo de 2023", "Comunicado de prensa", "press-release"),
        # No label of its own: the date line's type is the label, as the generic fallback reads it.
        (None, "Media advisory | 24 February 2023", "Media advisory", "press-release"),
        (None, "By Jane Doe | 24 February 2023", None, None),
        (None, "Feature — 3 March 2023", "Feature", "feature"),
        ("Multilateralism", "30 November 2022", "Multilateralism", "multilateralism"),
        (None, "26 January 2023", None, None),
    ],
)
def test_item_keeps_the_label_as_shown_and_gets_the_canonical_slug(label, date_text, category, slug):
    (item,) = normalize_items([RawItem(title="t", url="/e", label=label, date_text=date_text)], CTX)
    assert (item.category, item.category_slug) == (category, slug)


def test_context_takes_a_taxonomy_with_overrides():
    taxonomy = load_taxonomy({"categories": {"social-protection": {"labels": ["Multilateralism"]}}})
    context = Context.for_page(BASE, taxonomy=taxonomy)
    (item,) = normalize_items([RawItem(title="t", url="/e", label="Multilateralism")], context)
    assert item.category_slug == "social-protection"


def test_context_rejects_a_language_cldr_does_not_know():
    with pytest.raises(ConfigError, match="unknown date language"):
        Context.for_page(BASE, languages=("en", "klingon-xx"))


def test_context_rejects_an_unknown_time_zone_rather_than_guessing_one():
    with pytest.raises(ConfigError, match="unknown time zone 'Europe/Geneva'"):
        Context.for_page(BASE, timezone="Europe/Geneva")
    assert str(Context.for_page(BASE, timezone="America/New_York").tz) == "America/New_York"
    assert str(Context.for_page(BASE).tz) == "Europe/Zurich"


@pytest.mark.parametrize("href", ["http://www.ilo.org: Paraguay</a", "https://www.ilo.org:99999/x", "http://[::1/x"])
def test_a_link_with_a_broken_port_or_host_is_no_link(href):
    # found by fuzz/fuzz_parse.py: canonical_url raised on the port
    assert absolute_url(href, "https://www.ilo.org/") is None


def test_a_control_character_in_the_base_url_never_reaches_a_link():
    # found by fuzz/fuzz_parse.py: <base href="https://host.or\x01g/"> made feedgen refuse the feed
    assert absolute_url("news/1", "https://www.ilo.or\x01g/a/") == "https://www.ilo.org/a/news/1"


# --- The fast paths of absolute_url and canonical_url --------------------------
# Most links are plain paths of the page's own site; normalize glues those to the
# site's origin instead of calling urljoin, and reads a plain URL's id without
# urlsplit. Whatever the input, the result must be the general code's.

_URL_CHARS = "aZ09-._~%!$&'()*+,=:@/;?#\t\r\n \\[]é\x01"
_segments = st.one_of(st.sampled_from(["", ".", "..", ".a", "a", "WCMS_1", "a;p", "é"]),
                      st.text(st.sampled_from(_URL_CHARS), max_size=8))
_tails = st.one_of(st.just(""), st.builds(lambda mark, text: mark + text, st.sampled_from(["?", "#"]),
                                          st.text(st.sampled_from(_URL_CHARS), max_size=6)))
_hrefs = st.one_of(
    st.builds(lambda parts, query, fragment: "/" + "/".join(parts) + query + fragment,
              st.lists(_segments, max_size=4), _tails, _tails),
    st.text(max_size=30),
)
_hosts = st.one_of(st.sampled_from(["www.ilo.org", "WWW.ILO.ORG", "ilo.org:8080", "ilo.org:443", "u@ilo.org"]),
                   st.text(st.sampled_from("ab.-:@[]1é\x01\t"), max_size=10))
_bases = st.builds(lambda scheme, host, path: f"{scheme}{host}{path}",
                   st.sampled_from(["https://", "http://", "HTTP://", "ftp://", "mailto:", "", "//"]),
                   _hosts, st.sampled_from(["", "/", "/secsoc/lang--en/index.htm", "?q=1", "#top"]))


@settings(max_examples=500)
@given(href=_hrefs, base=_bases)
@example(href="/a?", base=BASE)  # urlunsplit drops an empty query or fragment
@example(href="/a#", base=BASE)
@example(href="/a?#f", base=BASE)
@example(href="/a;", base=BASE)  # urlparse splits ";params" off the last segment
@example(href="/a//b", base=BASE)
@example(href="/a/./b/..", base=BASE)
@example(href="/a\tb", base=BASE)  # urlsplit drops tabs and newlines...
@example(href="/a?c\nd", base=BASE)
@example(href="/a#e\tf", base=BASE)  # ...anywhere
@example(href="/a", base="https://www.ilo.or\x01g/")
@example(href="/a", base="HTTPS://WWW.ILO.ORG:443/x")
def test_absolute_url_joins_plain_paths_as_urljoin_would(href, base):
    cleaned = _XML_FORBIDDEN.sub("", href).strip()
    expected = _resolved(cleaned, base) if href else None
    assert absolute_url(href, base) == expected


def _outcome(function, url):
    try:
        return function(url)
    except ValueError as e:
        return type(e)


_urls = st.builds(lambda scheme, host, path: f"{scheme}{host}{path}",
                  st.sampled_from(["https://", "http://", "HTTP://", "ftp://", ""]), _hosts,
                  st.one_of(_hrefs, st.just("")))


@settings(max_examples=500)
@given(url=_urls)
@example(url="https://www.ilo.org/a/")
@example(url="https://www.ilo.org//")
@example(url="http://www.ilo.org")
@example(url="https://www.ilo.org/a\tb")
@example(url="https://www.ilo.org:80/a")
@example(url="https://www.ilo.org/a?")
def test_canonical_url_reads_plain_urls_as_urlsplit_would(url):
    assert _outcome(canonical_url, url) == _outcome(_canonical_of_parts, url)


def test_the_links_of_a_page_take_the_fast_paths():
    # Not a timing: without these, the two properties above would test nothing.
    assert _is_plain_path("/global/news/WCMS_800001/lang--en/index.htm")
    assert _PLAIN_URL.fullmatch("https://www.ilo.org/global/news/WCMS_800001/lang--en/index.htm")
