"""Metamorphic robustness of the generic fallback (tests/metamorphic.py).

Two halves. The transforms keep what a reader sees: on every corpus page and
on generated pages, the transformed page's visible text, links and pictures
are the original's (the chrome transforms add only their chrome), and each
transform does change the page the way it says. Then the ratchet: for each
transform, the pages spfeed reads identically, transformed or not, are listed
in tests/metamorphic_invariant.json (as measured; benchmarks/metamorphic.py
prints the whole table); a listed page read differently is a regression, and
a page newly read identically must be added, which the second test says.
Regenerate the list with ``benchmarks/metamorphic.py --json
tests/metamorphic_invariant.json`` and review its diff.

Reading 97 pages under 15 transforms costs some 8 s of CPU, too much for
every ``make test``: the ratchet reads a fixed third of the pages (every
third by name), ``METAMORPHIC_ALL=1`` reads them all, and so does the
benchmark. The transforms' checks run on every page.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from .corpus import Shape, extract
from .metamorphic import (
    CHROME,
    CHROME_TRANSFORMS,
    TRANSFORMS,
    Visible,
    corpus_shapes,
    page_name,
    parse,
    read_transformed,
    visible,
)

INVARIANT = Path(__file__).with_name("metamorphic_invariant.json")
SHAPES = corpus_shapes()
RATCHETED = SHAPES if os.environ.get("METAMORPHIC_ALL") else sorted(SHAPES, key=page_name)[::3]
READING = [name for name in TRANSFORMS if name not in CHROME_TRANSFORMS]


def _page(body: str) -> bytes:
    return f"<!DOCTYPE html><html><head><title>t</title></head><body>{body}</body></html>".encode()


# -- the transforms keep what a reader sees ---------------------------------------------------------------------


@cache
def _seen(shape: Shape) -> Visible:
    return visible(shape.path.read_bytes())


@pytest.mark.parametrize("name", READING)
def test_every_corpus_page_shows_the_same_under(name: str) -> None:
    for shape in SHAPES:
        assert visible(TRANSFORMS[name](shape.path.read_bytes())) == _seen(shape), page_name(shape)


def _without_chrome(seen: Visible, name: str) -> Visible:
    chrome = visible(_page(CHROME[name]))
    text = seen.text.replace(chrome.text, " ")
    links = Counter(seen.links) - Counter(chrome.links)
    return Visible(re.sub(" {2,}", " ", text).strip(), tuple(links.elements()), seen.images)


@pytest.mark.parametrize("name", sorted(CHROME_TRANSFORMS))
def test_chrome_adds_only_chrome(name: str) -> None:
    for shape in SHAPES:
        before, after = _seen(shape), visible(TRANSFORMS[name](shape.path.read_bytes()))
        assert after.text != before.text and len(after.links) > len(before.links), page_name(shape)
        stripped = _without_chrome(after, name)
        assert stripped.text == before.text, page_name(shape)
        assert Counter(stripped.links) == Counter(before.links) and stripped.images == before.images


def test_visible_sees_block_edges_links_and_pictures() -> None:
    # The measure must be able to fail: an inline edge is no space, a block edge is.
    assert visible(_page("<span>a</span><span>b</span>")).text == "ab"
    assert visible(_page("<div>a</div><div>b</div>")).text == "a b"
    assert visible(_page("<p>a\xa0 \n b</p><script>x</script>")).text == "a\xa0 b"
    page = visible(_page("<a href='/x'>x</a><img src='/i.jpg' alt='i'>"))
    assert page.links == ("/x",) and page.images == (("/i.jpg", "", "", "", "i"),)


def _elements(page: bytes) -> list[Any]:
    return [e for e in parse(page).iter() if isinstance(e.tag, str)]


SAMPLE = _page(
    "<section id='news' class='news-list'><h2 class='title'>News</h2><ul class='items'>"
    "<li class='item'><article><h3><a href='/a'>A</a></h3><p>1 May 2024</p><p>Text a</p></article></li>"
    "<li class='item'><article><h3><a href='/b'>B</a></h3><p>2 May 2024</p><p>Text b</p></article></li>"
    "</ul><div><div><a href='/c'>C</a></div><div><a href='/d'>D</a></div><div><a href='/e'>E</a></div></div>"
    "<table><tr><td>x</td><td>y</td></tr><tr><td>z</td><td>w</td></tr></table>"
    "<dl><dt>t</dt><dd>d</dd></dl></section>"
)


def test_no_class_names_drops_every_class_and_id_but_no_content_attribute() -> None:
    page = _page("<div class='card' id='c1'><img class='lazy' data-src='/p.jpg' srcset='/p.jpg 1x'></div>")
    out = TRANSFORMS["no_class_names"](page)
    assert not [e for e in _elements(out) if "class" in e.attrib or "id" in e.attrib]
    img = parse(out).find(".//img")
    assert img.get("data-src") == "/p.jpg" and img.get("srcset") == "/p.jpg 1x"


def test_hashed_class_names_are_stable_and_say_nothing() -> None:
    out = TRANSFORMS["hashed_class_names"](SAMPLE)
    names = [n for e in _elements(out) for n in [*(e.get("class") or "").split(), *filter(None, [e.get("id")])]]
    assert len(names) == 6 and all(re.fullmatch(r"css-[0-9a-f]{8}", n) for n in names)
    items = [li.get("class") for li in parse(out).iter("li")]
    assert items[0] == items[1] and out == TRANSFORMS["hashed_class_names"](SAMPLE)


def test_tag_shape_transforms_change_the_tags_they_name() -> None:
    def tags(name: str) -> Counter[str]:
        return Counter(e.tag for e in _elements(TRANSFORMS[name](SAMPLE)))

    assert not {"article", "section", "ul", "ol", "li"} & set(tags("blocks_to_div"))
    assert tags("divs_to_article")["article"] == 2 + 3
    assert (tags("headings_swapped")["h2"], tags("headings_swapped")["h3"]) == (2, 1)
    strong = tags("strong_titles")
    assert not {"h2", "h3"} & set(strong) and strong["strong"] == 3
    assert tags("deeper")["div"] > tags("roundtrip")["div"] + 5
    assert tags("upper_case_tags") == tags("roundtrip")


def test_minified_is_one_line_and_html4_leaves_out_end_tags() -> None:
    page = _page("<ul>\n  <li>\n    <a href='/a'>A  b</a>\n  </li>\n</ul>\n<pre>  kept\n  </pre>")
    assert b"\n" not in TRANSFORMS["minified"](page).split(b"<body>")[1].split(b"<pre>")[0]
    assert b"  kept\n" in TRANSFORMS["minified"](page)
    omitted = TRANSFORMS["end_tags_omitted"](SAMPLE)
    for end in (b"</li>", b"</td>", b"</tr>", b"</dt>", b"</dd>", b"</p>"):
        assert end not in omitted
    assert b"<LI" in TRANSFORMS["upper_case_tags"](SAMPLE) and b"<li" not in TRANSFORMS["upper_case_tags"](SAMPLE)


def test_a_paragraph_keeps_its_end_tag_where_html4_would_not_close_it() -> None:
    # libxml2 (like HTML 4) does not close a <p> at an <article>: leaving it out would nest the article in it.
    out = TRANSFORMS["end_tags_omitted"](_page("<p>a</p><article><p>b</p></article>"))
    assert b"<p>a</p><article>" in out


# -- generated pages: a property for every transform -------------------------------------------------------------

_words = st.text(alphabet=" \n\tab\xa0&<é.", max_size=6)
_classes = st.sampled_from(["", " class='card'", " class='item teaser'", " id='x1'", " data-src='/d.jpg'"])


def _inline(depth: int) -> st.SearchStrategy[str]:
    leaf = st.one_of(
        _words.map(lambda t: t.replace("&", "&amp;").replace("<", "&lt;")),
        _classes.map(lambda c: f"<img src='/i.jpg' alt='p'{c}>"),
    )
    if depth == 0:
        return leaf
    inner = st.lists(_inline(depth - 1), max_size=3).map("".join)
    return st.one_of(
        leaf,
        st.tuples(st.sampled_from(["span", "strong", "em", "time"]), _classes, inner).map(
            lambda t: f"<{t[0]}{t[1]}>{t[2]}</{t[0]}>"
        ),
        st.tuples(_classes, st.lists(leaf, max_size=3).map("".join)).map(lambda t: f"<a href='/p'{t[0]}>{t[1]}</a>"),
    )


def _block(depth: int) -> st.SearchStrategy[str]:
    phrasing = st.lists(_inline(2), max_size=3).map("".join)
    simple = st.tuples(st.sampled_from(["p", "h2", "h3", "h4", "div"]), _classes, phrasing).map(
        lambda t: f"<{t[0]}{t[1]}>{t[2]}</{t[0]}>"
    )
    if depth == 0:
        return simple
    flow = st.lists(st.one_of(_block(depth - 1), _inline(1), _words), max_size=4).map("".join)
    return st.one_of(
        simple,
        st.tuples(st.sampled_from(["div", "article", "section", "li"]), _classes, flow).map(
            lambda t: f"<{t[0]}{t[1]}>{t[2]}</{t[0]}>" if t[0] != "li" else f"<ul><li{t[1]}>{t[2]}</li></ul>"
        ),
        st.lists(flow, min_size=1, max_size=3).map(lambda cells: "<ul>" + "".join(f"<li>{c}</li>" for c in cells)),
        st.lists(flow, min_size=1, max_size=3).map(
            lambda cells: "<table><tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr></table>"
        ),
        st.tuples(phrasing, flow).map(lambda t: f"<dl><dt>{t[0]}</dt><dd>{t[1]}</dd></dl>"),
    )


_pages = st.lists(st.one_of(_block(2), _words), max_size=5).map(lambda parts: _page("\n".join(parts)))


@pytest.mark.parametrize("name", READING)
@settings(max_examples=25, deadline=None)
@given(page=_pages)
# Where an end tag left out, or a space taken away, would join two words.
@example(page=_page("<div><p>x</p><span>y</span></div><ul><li>a</li></ul>b<dl><dt>t</dt><dd>d</dd></dl>e"))
@example(page=_page("<p><b>x</b> <i>y</i></p> <div>z</div> <a href='/a'>w</a>\n<table><tr><td>1</td></tr></table>2"))
def test_generated_pages_show_the_same_under(name: str, page: bytes) -> None:
    assert visible(TRANSFORMS[name](page)) == visible(page)


@pytest.mark.parametrize("name", sorted(CHROME_TRANSFORMS))
@settings(max_examples=10, deadline=None)
@given(page=_pages)
def test_generated_pages_gain_only_chrome(name: str, page: bytes) -> None:
    before, after = visible(page), _without_chrome(visible(TRANSFORMS[name](page)), name)
    assert (after.text, Counter(after.links), after.images) == (before.text, Counter(before.links), before.images)


# -- the ratchet: pages spfeed reads identically stay so ---------------------------------------------------------


@cache
def _original(shape: Shape) -> list[dict[str, Any]]:
    return extract(shape.path, base_url=shape.base_url, language=shape.language)


@cache
def _identical(name: str) -> frozenset[str]:
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        return frozenset(
            page_name(shape)
            for shape in RATCHETED
            if read_transformed(shape, TRANSFORMS[name], Path(scratch)) == _original(shape)
        )


def _listed() -> dict[str, list[str]]:
    listed: dict[str, list[str]] = json.loads(INVARIANT.read_text("utf-8"))
    return listed


def _listed_and_read(name: str) -> set[str]:
    return set(_listed()[name]) & {page_name(shape) for shape in RATCHETED}


def test_the_list_names_every_transform_and_only_corpus_pages() -> None:
    names = {page_name(shape) for shape in SHAPES}
    listed = _listed()
    assert set(listed) == set(TRANSFORMS)
    assert all(set(pages) <= names for pages in listed.values())
    assert listed["roundtrip"] == sorted(names)  # writing the tree back changes no read


@pytest.mark.parametrize("name", list(TRANSFORMS))
def test_pages_read_identically_stay_so(name: str) -> None:
    regressed = sorted(_listed_and_read(name) - _identical(name))
    assert not regressed, f"{name} now changes how spfeed reads {regressed} (benchmarks/metamorphic.py --details)"


@pytest.mark.parametrize("name", list(TRANSFORMS))
def test_pages_newly_read_identically_are_listed(name: str) -> None:
    welcome = sorted(_identical(name) - _listed_and_read(name))
    assert not welcome, (
        f"{name} no longer changes how spfeed reads {welcome}: welcome! Add them to {INVARIANT.name} "
        f"(benchmarks/metamorphic.py --json {INVARIANT.relative_to(INVARIANT.parent.parent)})"
    )
