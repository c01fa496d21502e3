from __future__ import annotations

import pytest
import soupsieve
from bs4 import BeautifulSoup
from hypothesis import assume, example, given

from spfeed.fetch import decode_html
from spfeed.markup import _tag_names_xml_allows, joined
from spfeed.markup import without_lone_surrogates as _without_lone_surrogates
from spfeed.parse import _tree, builtin_profiles, load_profiles, text_of
from spfeed.selectors import Selector, compiled, first

from .conftest import FIXTURES, TABLE_PROFILES
from .test_fuzz_properties import FUZZ, LEGACY_SHELL, html_fragments

PAGES = sorted(FIXTURES.glob("*.html"))

# spfeed matches on lxml's tree; soupsieve on BeautifulSoup's tree of the same
# page is the reference (both trees come from libxml2's parse). Elements of the
# two trees are compared by name, attributes and text.

# Shapes the profiles and parse.py use, plus ones that go to cssselect.
EXTRA = [
    "base[href]",
    'link[rel="canonical"]',
    'meta[property="og:url"]',
    'a[rel~="next"]',
    'link[rel~="next"], a[rel~="next"]',
    "div > p",
    "ul>li a[href]",
    "#content h3",
    "* > a",
    "li.item:has(p.date)",
    "p + p",
    "a:not([href])",
    'a[href^="http"]',
    "H3.title",
]


def _all_selectors() -> list[str]:
    found: set[str] = set(EXTRA)
    for profile in (*builtin_profiles(), *load_profiles(TABLE_PROFILES)):
        for key in ("detect", "item", "exclude", "title", "link", "date", "datetime", "label", "summary", "image",
                    "group", "next_page"):
            value = getattr(profile, key)
            found.update(v for v in ((value,) if isinstance(value, str) else value) if v)
    return sorted(found)


Key = tuple[str, tuple[tuple[str, str], ...], str]


def _soup_text(tag) -> str:
    """bs4's ``get_text(" ")``, but an element's edge next to hugging punctuation is no space (markup.joined)."""
    return joined(tag.get_text("\x00").split("\x00"))  # libxml2 keeps no NUL in text


def _soup_key(tag) -> Key:
    attrs = ((k, " ".join(v) if isinstance(v, list) else v) for k, v in tag.attrs.items())
    return tag.name, _spaced(attrs), " ".join(_soup_text(tag).split())


def _lxml_key(element) -> Key:
    return element.tag, _spaced(element.attrib.items()), " ".join(text_of(element).split())


def _spaced(attrs) -> tuple[tuple[str, str], ...]:
    # bs4 splits class (and rel...) into words: compare values by their words.
    return tuple(sorted((k, " ".join(v.split())) for k, v in attrs))


@pytest.fixture(scope="module", params=PAGES, ids=lambda p: p.name)
def trees(request: pytest.FixtureRequest):
    html = decode_html(request.param.read_bytes(), None)
    return BeautifulSoup(html, "lxml"), _tree(html)


def test_lxml_and_beautifulsoup_read_the_same_tree(trees) -> None:
    soup, root = trees
    assert [_lxml_key(e) for e in root.iter() if isinstance(e.tag, str)] == [_soup_key(t) for t in soup.find_all(True)]


@pytest.mark.parametrize("selector", _all_selectors())
def test_select_finds_what_soupsieve_finds(trees, selector: str) -> None:
    soup, root = trees
    expected = [_soup_key(t) for t in soupsieve.select(selector, soup)]
    assert [_lxml_key(e) for e in compiled(selector).select(root)] == expected
    elements = [e for e in root.iter() if isinstance(e.tag, str)]
    assert [compiled(selector).match(e) for e in elements] == [
        soupsieve.match(selector, tag) for tag in soup.find_all(True)
    ]


@pytest.mark.parametrize("selector", _all_selectors())
def test_select_inside_an_element_matches_ancestors_outside_it(trees, selector: str) -> None:
    soup, root = trees
    scopes = zip(root.iter("li", "div", "article"), soup.find_all(["li", "div", "article"]), strict=False)
    for element, tag in list(scopes)[:12]:
        expected = [_soup_key(t) for t in soupsieve.select(selector, tag)]
        assert [_lxml_key(e) for e in compiled(selector).select(element)] == expected


@pytest.mark.parametrize(
    "selector", ['link[rel="canonical"]', 'a[rel~="next"]', 'a[rel="next"]', 'a[title="Next"]', 'a[data-x="Next"]']
)
def test_attribute_values_match_in_the_case_html_says(selector: str) -> None:
    # rel (and type, lang...) values are case-insensitive in HTML; others are not.
    html = '<link rel="Canonical" href="c"><a rel="NEXT" title="next" data-x="Next" href="n">x</a>'
    expected = [_soup_key(t) for t in soupsieve.select(selector, BeautifulSoup(html, "lxml"))]
    assert [_lxml_key(e) for e in compiled(selector).select(_tree(html))] == expected


def test_a_comma_inside_quotes_does_not_split_the_list() -> None:
    root = _tree('<p><a title="a, b" href="x">1</a><a title="a" href="y">2</a></p>')
    assert [a.get("href") for a in Selector('a[title="a, b"]').select(root)] == ["x"]


def test_first_tries_the_selectors_in_order_and_skips_rejected_nodes() -> None:
    root = _tree('<p class="b" id="1"></p><p class="a" id="2"></p><p class="a" id="3"></p>')
    found = first(("p.a", "p.b"), root, lambda node: node.get("id") != "2")
    assert found is not None and found.get("id") == "3"
    assert first(("p.c", "p.b"), root).get("id") == "1"
    assert first(("p.c",), root) is None


@pytest.mark.parametrize(
    "html",
    [
        "<div>A<!--c-->B<script>s()</script><em>C</em>D<style>x</style><template>T</template><?pi x?>E</div>",
        "<div>one <b>two</b> three<ruby>kan<rt>k</rt><rp>(</rp></ruby> four</div>",
        "<div><p>p1</p>\n<p>p2 <a href=x>link</a>.</p></div>",
    ],
)
def test_text_is_what_beautifulsoup_gives(html: str) -> None:
    assert text_of(_tree(html).find(".//div")) == _soup_text(BeautifulSoup(html, "lxml").div)


def test_a_unit_separator_in_the_page_is_a_space_not_an_element_edge() -> None:
    # Found by hypothesis: text_of marks element edges with U+001F.
    assert " ".join(text_of(_tree("<div><p>0&#x1F;.</p><p>x</p></div>").find(".//div")).split()) == "0 . x"


def test_an_element_edge_before_a_full_stop_is_no_space() -> None:
    assert " ".join(text_of(_tree("<div><p>p1</p>\n<p>p2 <a href=x>link</a>.</p></div>").find(".//div")).split()) == (
        "p1 p2 link."
    )


PROPERTY_SELECTORS = sorted(
    {s for s in _all_selectors() if not s.startswith("H3")} | {"li.item h3.title a[href]", "div > a", "p.date"}
)


@FUZZ
@given(fragment=html_fragments)
@example(fragment="<A\x1f")  # both found by hypothesis once spfeed cleaned tag names
@example(fragment='<div href="<A\x1b"></div>')
def test_any_page_reads_the_same_tree_and_matches_as_soupsieve(fragment: str) -> None:
    # After </html>, BeautifulSoup's lxml builder opens a second <html>, where
    # spfeed reads on in the one tree as browsers do (tests/test_markup.py).
    assume("</html" not in fragment.lower())
    # Both read the page as markup.tree cleans it first: no lone surrogates, and no character
    # XML forbids after a "<name" (lxml's API refuses such tag names; they are dropped from
    # every feed anyway).
    html = _tag_names_xml_allows(_without_lone_surrogates(LEGACY_SHELL.format(fragment)))
    soup, root = BeautifulSoup(html, "lxml"), _tree(html)
    assert [_lxml_key(e) for e in root.iter() if isinstance(e.tag, str)] == [_soup_key(t) for t in soup.find_all(True)]
    for selector in PROPERTY_SELECTORS:
        expected = [_soup_key(t) for t in soupsieve.select(selector, soup)]
        assert [_lxml_key(e) for e in compiled(selector).select(root)] == expected, selector


def test_what_follows_a_stray_end_of_page_stays_in_the_tree() -> None:
    root = _tree("<html><body><p>first</p></body></html><ul><li>second</li></ul>tail</HTML >")
    assert [e.tag for e in root.iter()] == ["html", "body", "p", "ul", "li"]
    assert "second" in text_of(root) and "tail" in text_of(root)
