from __future__ import annotations

import pytest
import soupsieve
from bs4 import BeautifulSoup

from spfeed.fetch import decode_html
from spfeed.parse import builtin_profiles, load_profiles
from spfeed.selectors import Selector, compiled, first

from .conftest import FIXTURES, TABLE_PROFILES

PAGES = sorted(FIXTURES.glob("*.html"))

# Shapes the profiles and parse.py use, plus ones that must go to soupsieve.
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


@pytest.fixture(scope="module", params=PAGES, ids=lambda p: p.name)
def soup(request: pytest.FixtureRequest) -> BeautifulSoup:
    return BeautifulSoup(decode_html(request.param.read_bytes(), None), "lxml")


@pytest.mark.parametrize("selector", _all_selectors())
def test_select_finds_what_soupsieve_finds(soup: BeautifulSoup, selector: str) -> None:
    expected = soupsieve.select(selector, soup)
    assert compiled(selector).select(soup) == expected
    assert [compiled(selector).match(node) for node in soup.find_all(True)] == [
        soupsieve.match(selector, node) for node in soup.find_all(True)
    ]


@pytest.mark.parametrize("selector", _all_selectors())
def test_select_inside_an_element_matches_ancestors_outside_it(soup: BeautifulSoup, selector: str) -> None:
    for scope in soup.find_all(["li", "div", "article"])[:12]:
        assert compiled(selector).select(scope) == soupsieve.select(selector, scope)


@pytest.mark.parametrize(
    "selector", ['link[rel="canonical"]', 'a[rel~="next"]', 'a[rel="next"]', 'a[title="Next"]', 'a[data-x="Next"]']
)
def test_attribute_values_match_in_the_case_html_says(selector: str) -> None:
    # rel (and type, lang...) values are case-insensitive in HTML; others are not.
    html = '<link rel="Canonical" href="c"><a rel="NEXT" title="next" data-x="Next" href="n">x</a>'
    soup = BeautifulSoup(html, "lxml")
    assert compiled(selector).select(soup) == soupsieve.select(selector, soup)


def test_a_comma_inside_quotes_does_not_split_the_list() -> None:
    soup = BeautifulSoup('<p><a title="a, b" href="x">1</a><a title="a" href="y">2</a></p>', "lxml")
    assert [a["href"] for a in Selector('a[title="a, b"]').select(soup)] == ["x"]


def test_first_tries_the_selectors_in_order_and_skips_rejected_nodes() -> None:
    soup = BeautifulSoup('<p class="b" id="1"></p><p class="a" id="2"></p><p class="a" id="3"></p>', "lxml")
    found = first(("p.a", "p.b"), soup, lambda node: node["id"] != "2")
    assert found is not None and found["id"] == "3"
    assert first(("p.c", "p.b"), soup)["id"] == "1"
    assert first(("p.c",), soup) is None
