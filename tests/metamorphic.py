"""Transforms of a listing page that leave what a reader sees unchanged.

Metamorphic testing of the generic fallback: a page and its transform show a
reader the same text, links and pictures, so spfeed must read the same items
from both. Each transform is a pure function, page bytes -> page bytes: the
page is decoded as spfeed decodes it (``fetch.decode_html``), parsed with
lxml as spfeed parses it (``markup.tree``), changed, and written back as UTF-8
with a byte order mark (which wins over any ``<meta charset>`` the page keeps,
in browsers and in spfeed alike). ``roundtrip`` changes nothing but that
writing, so what it changes is the writing's own effect.

``visible(page)`` is what a reader sees: the body's text with block edges as
line breaks (so an inline edge adds no space and a block edge does) and
whitespace collapsed, the links' targets and the pictures' sources, in page
order. tests/test_metamorphic.py checks that every transform keeps it, except
the chrome transforms, whose added text and links are all chrome
(``CHROME``), the ones that add to the listing itself (``ADDED``), the
languages' (which change only dates and field words), a page cut after its
last item (a prefix of it) and a card made one link (its links computed by
``card_links``). The listing transforms (``LISTING_TRANSFORMS``) take the
golden's item links to know which blocks are the items. benchmarks/metamorphic.py
measures spfeed on every transform of every corpus page.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from copy import deepcopy
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from babel.dates import format_date, format_interval, get_day_names, get_month_names
from lxml import etree

from spfeed.fetch import decode_html
from spfeed.markup import tree

from .corpus import (
    CORPUS,
    HELD_OUT_SETS,
    Shape,
    extract,
    load_golden,
    load_shapes,
)
from .fieldscore import Score, score

Element = Any  # an lxml element
Transform = Callable[[bytes], bytes]

MEASURED = (CORPUS, *(HELD_OUT_SETS[name] for name in ("holdout", *(f"holdout-{n}" for n in range(2, 7)))))
"""Not the later held-out sets: they stay unseen (or are being fixed against elsewhere)."""
BOM = b"\xef\xbb\xbf"
VOID = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr")
)
RAW_TEXT = frozenset(("script", "style"))
# Elements a browser lays out as blocks (or table cells, or line breaks): their
# edges separate words; an inline element's edges do not.
BLOCKS = frozenset(
    (
        "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details", "dialog", "div", "dl",
        "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hgroup", "hr", "html", "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody",
        "td", "tfoot", "th", "thead", "tr", "ul",
    )
)  # fmt: skip
NOT_SHOWN = frozenset(("head", "script", "style", "template", "noscript", "title"))
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")  # not U+00A0: a no-break space is shown


def parse(page: bytes) -> Element:
    """The page's root element, as spfeed builds it."""
    return tree(decode_html(page, None))


def tag_of(element: Element | None) -> str:
    return element.tag if element is not None and isinstance(element.tag, str) else ""


# -- what a reader sees -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Visible:
    text: str
    links: tuple[str, ...]
    images: tuple[tuple[str, ...], ...]


def visible(page: bytes) -> Visible:
    root = parse(page)
    body = root.find("body")
    scope = body if body is not None else root
    pieces: list[str] = []
    _shown_text(scope, pieces)
    text = _HTML_SPACE.sub(" ", "".join(pieces)).strip()
    links = tuple(a.get("href", "").strip() for a in scope.iter("a") if a.get("href") is not None)
    images = tuple(
        tuple(img.get(attr) or "" for attr in ("src", "data-src", "srcset", "data-srcset", "alt"))
        for img in scope.iter("img", "source")
    ) + tuple((e.get("style") or "",) for e in scope.iter() if "url(" in (e.get("style") or ""))
    return Visible(text, links, images)


def _shown_text(element: Element, pieces: list[str]) -> None:
    stack: list[tuple[Element, bool]] = [(element, True)]
    while stack:
        node, opening = stack.pop()
        tag = tag_of(node)
        if opening:
            if tag and tag not in NOT_SHOWN:
                pieces.append("\n" if tag in BLOCKS else "")
                pieces.append(node.text or "")
                stack.append((node, False))
                stack.extend((child, True) for child in reversed(node))
            elif node is not element:
                pieces.append(node.tail or "")
        else:
            pieces.append("\n" if tag in BLOCKS else "")
            if node is not element:
                pieces.append(node.tail or "")


# -- writing a tree back ------------------------------------------------------------------------------------------

# End tags HTML lets a page leave out (HTML 4's list; a </p> only before the
# blocks HTML 4 knew, which every parser closes it at, libxml2's included).
_P_CLOSERS = frozenset(
    ("address", "blockquote", "div", "dl", "fieldset", "form", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "ol", "p",
     "pre", "table", "ul")
)  # fmt: skip
_OPTIONAL_END = {"li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dd", "dt"}, "td": {"td", "th"}, "th": {"td", "th"}}
_OPTIONAL_END |= {"tr": {"tr"}, "p": set(_P_CLOSERS)}
_MAY_END_PARENT = frozenset(("li", "dd", "td", "th", "tr", "p"))  # not dt: a <dd> must follow it


def serialize(
    root: Element,
    *,
    upper: bool = False,
    omit_end: bool = False,
    ends: dict[Element, str] | None = None,
    unquoted: bool = False,
) -> bytes:
    """The tree as HTML, UTF-8 with a BOM; tag and attribute names upper case, optional end tags left out.

    ``ends`` writes the given markup in place of an element's end tag (broken markup: "" drops it);
    ``unquoted`` leaves out the quotes of attribute values that HTML lets stand unquoted."""
    out: list[str] = []
    how = _How(upper, omit_end, ends or {}, unquoted)
    doctype = root.getroottree().docinfo.doctype
    if doctype:
        out.append(doctype + "\n")
    for before in reversed(list(root.itersiblings(preceding=True))):
        _write(before, out, how)
    _write(root, out, how)
    for after in root.itersiblings():
        _write(after, out, how)
    return BOM + "".join(out).encode("utf-8")


@dataclass(frozen=True)
class _How:
    upper: bool
    omit_end: bool
    ends: dict[Element, str]
    unquoted: bool


_UNQUOTED_VALUE = re.compile(r"[^\s\"'=<>`]+")


def _write(node: Element, out: list[str], how: _How) -> None:
    upper = how.upper
    stack: list[tuple[Element, bool]] = [(node, True)]
    while stack:
        element, opening = stack.pop()
        if not opening:
            if element in how.ends:
                out.append(how.ends[element])
            elif not (how.omit_end and _end_optional(element)):
                out.append(f"</{_name(element.tag, upper)}>")
            if element is not node:
                out.append(_escape(element.tail or ""))
            continue
        if isinstance(element, etree._Comment):
            out.append(f"<!--{element.text or ''}-->")
        elif isinstance(element, etree._ProcessingInstruction):
            out.append(f"<?{element.target} {element.text or ''}>")
        elif isinstance(element, etree._Entity):
            out.append(element.text or "")
        else:
            tag = element.tag
            attrs = "".join(f" {_name(_attr_name(k), upper)}={_value(v, how)}" for k, v in element.attrib.items())
            out.append(f"<{_name(tag, upper)}{attrs}>")
            if tag in VOID and len(element) == 0 and not element.text:
                if element is not node:
                    out.append(_escape(element.tail or ""))
                continue
            text = element.text or ""
            out.append(text if tag in RAW_TEXT else _escape(text))
            stack.append((element, False))
            stack.extend((child, True) for child in reversed(element))
            continue
        if element is not node:
            out.append(_escape(element.tail or ""))


def _value(value: str, how: _How) -> str:
    if how.unquoted and _UNQUOTED_VALUE.fullmatch(value) and "&" not in value:
        return value
    return f'"{_escape(value, True)}"'


def _end_optional(element: Element) -> bool:
    closers = _OPTIONAL_END.get(element.tag)
    if closers is None or (element.tail or "").strip():
        return False
    following = element.getnext()
    if following is None:
        parent = element.getparent()
        return element.tag in _MAY_END_PARENT and parent is not None and parent.tag not in ("a", "noscript")
    return tag_of(following) in closers


def _name(name: str, upper: bool) -> str:
    return name.upper() if upper else name


def _attr_name(name: str) -> str:
    if name.startswith("{http://www.w3.org/XML/1998/namespace}"):
        return "xml:" + name.rpartition("}")[2]
    return name.rpartition("}")[2]


def _escape(text: str, attribute: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if attribute else text


# -- the transforms -----------------------------------------------------------------------------------------------


def _on_tree(change: Callable[[Element], None]) -> Transform:
    def transform(page: bytes) -> bytes:
        root = parse(page)
        change(root)
        return serialize(root)

    transform.__doc__ = change.__doc__
    return transform


def _elements(root: Element) -> Iterator[Element]:
    return (e for e in root.iter() if isinstance(e.tag, str))


def _nothing(root: Element) -> None:
    """Written back as parsed: the writing's own effect."""


def _no_class_names(root: Element) -> None:
    """Every class and id dropped (data-src, srcset, style... are content and stay)."""
    for element in _elements(root):
        for attr in ("class", "id"):
            element.attrib.pop(attr, None)


def hashed(name: str) -> str:
    """A CSS-in-JS style name for ``name``: stable, and saying nothing of what it names."""
    return "css-" + hashlib.blake2s(name.encode("utf-8"), digest_size=4).hexdigest()


def _hashed_class_names(root: Element) -> None:
    """Each class name and id replaced by a stable hash (``css-1a2b3c4d``)."""
    for element in _elements(root):
        if element.get("class") is not None:
            element.set("class", " ".join(hashed(name) for name in element.get("class").split()))
        if element.get("id") is not None:
            element.set("id", hashed(element.get("id")))


def _blocks_to_div(root: Element) -> None:
    """``article``, ``section``, ``ul``, ``ol`` and ``li`` renamed ``div``."""
    for element in list(root.iter("article", "section", "ul", "ol", "li")):
        element.tag = "div"


def _divs_to_article(root: Element) -> None:
    """A ``div`` with a link, among three or more sibling ``div``s, renamed ``article``."""
    renamed = [
        div
        for div in root.iter("div")
        if div.find(".//a[@href]") is not None and len(div.getparent().findall("div")) >= 3
    ]
    for div in renamed:
        div.tag = "article"


def _headings_swapped(root: Element) -> None:
    """``h2`` becomes ``h3`` and ``h3`` becomes ``h2``."""
    for heading in list(root.iter("h2", "h3")):
        heading.tag = "h3" if heading.tag == "h2" else "h2"


def _strong_titles(root: Element) -> None:
    """Each ``h2``-``h6`` a ``div`` whose content is one ``<strong>`` (a bold line, not a heading)."""
    for heading in list(root.iter("h2", "h3", "h4", "h5", "h6")):
        heading.tag = "div"
        _wrap_content(heading, "strong")


def _wrap_content(element: Element, tag: str) -> None:
    wrapper = etree.Element(tag)
    wrapper.text, element.text = element.text, None
    for child in list(element):
        wrapper.append(child)  # moves it, tail included
    element.append(wrapper)


_DEEPENED = ("div", "li", "article", "section", "td", "th", "dd", "dt", "main")


def _deeper(root: Element) -> None:
    """The content of every block (``div``, ``li``, ``article``, ``td``...) wrapped in one more ``div``."""
    for element in list(root.iter(*_DEEPENED)):
        if len(element) or (element.text or "").strip():
            _wrap_content(element, "div")


def _minified(root: Element) -> None:
    """On one line: whitespace between blocks removed, runs of whitespace in text made one space (not in pre)."""
    for element in list(_elements(root)):
        if element.tag in RAW_TEXT or element.tag in ("pre", "textarea") or _inside(element, ("pre", "textarea")):
            continue
        if element.text is not None:
            element.text = _HTML_SPACE.sub(" ", element.text)
            if element.text == " " and element.tag in BLOCKS and len(element) and tag_of(element[0]) in BLOCKS:
                element.text = None
        if element.tail is not None and not _inside(element, ("pre", "textarea")):
            element.tail = _HTML_SPACE.sub(" ", element.tail)
            following, parent = element.getnext(), element.getparent()
            end_of_block = following is None and parent is not None and parent.tag in BLOCKS
            if element.tail == " " and element.tag in BLOCKS and (end_of_block or tag_of(following) in BLOCKS):
                element.tail = None


def _inside(element: Element, tags: tuple[str, ...]) -> bool:
    return next(element.iterancestors(*tags), None) is not None


def _end_tags_omitted(page: bytes) -> bytes:
    """HTML 4 style: no ``</li>``, ``</p>``, ``</td>``, ``</th>``, ``</tr>``, ``</dt>``, ``</dd>`` where allowed."""
    return serialize(parse(page), omit_end=True)


def _upper_case_tags(page: bytes) -> bytes:
    """HTML 4 style: tag and attribute names in upper case."""
    return serialize(parse(page), upper=True)


# Chrome: the page parts around a listing, without a class name or a nav/aside/footer tag to tell them.
NAV_MENU = (
    "<div><div><a href='/'>Home</a></div><ul>"
    "<li><a href='/about-us/'>About us</a></li><li><a href='/our-work/'>Our work</a></li>"
    "<li><a href='/publications/'>Publications and research</a></li><li><a href='/countries/'>Countries</a></li>"
    "<li><a href='/news-and-events/'>News and events</a></li><li><a href='/contact/'>Contact us</a></li>"
    "</ul></div>"
)
FOOTER_LINKS = (
    "<div><div><ul><li><a href='/careers/'>Careers</a></li><li><a href='/procurement/'>Procurement</a></li>"
    "<li><a href='/library/'>Library</a></li></ul></div>"
    "<div><ul><li><a href='/terms-of-use/'>Terms of use</a></li><li><a href='/privacy/'>Privacy policy</a></li>"
    "<li><a href='/accessibility/'>Accessibility</a></li></ul></div>"
    "<p>Copyright and permissions 1996-2025 All rights reserved.</p></div>"
)
COOKIE_BANNER = (
    "<div><p>We use cookies to improve your experience on our website. By continuing to browse you agree to our "
    "use of cookies. <a href='/cookie-policy/'>Read our cookie policy</a></p>"
    "<div><a href='#accept'>Accept all cookies</a> <a href='#settings'>Cookie settings</a></div></div>"
)
RELATED_LINKS = (
    "<div><h3>Related links</h3><ul>"
    "<li><a href='/topics/social-protection-floors/'>Social protection floors and universal coverage</a></li>"
    "<li><a href='/topics/pensions-and-old-age/'>Pensions and income security in old age</a></li>"
    "<li><a href='/topics/unemployment-protection/'>Unemployment protection around the world</a></li>"
    "<li><a href='/data/world-social-protection-database/'>World Social Protection Database</a></li>"
    "</ul></div>"
)


def _chrome(snippet: str, *, first: bool) -> Transform:
    """The page with ``snippet`` as the body's first child (a menu) or its last (the rest)."""

    def change(root: Element) -> None:
        body = root.find("body")
        if body is None:
            body = etree.SubElement(root, "body")
        part = etree.fromstring(snippet, etree.HTMLParser()).find("body")[0]
        if first:
            part.tail, body.text = body.text, None
            body.insert(0, part)
        else:
            body.append(part)

    return _on_tree(change)


CHROME = {"nav_menu": NAV_MENU, "footer_links": FOOTER_LINKS, "cookie_banner": COOKIE_BANNER}
CHROME |= {"related_links": RELATED_LINKS}
"""Each chrome transform's added part: a menu before the listing; a footer, a cookie banner, a box of links after."""
CHROME_TRANSFORMS = frozenset(CHROME)

TRANSFORMS: dict[str, Transform] = {
    "roundtrip": _on_tree(_nothing),
    "no_class_names": _on_tree(_no_class_names),
    "hashed_class_names": _on_tree(_hashed_class_names),
    "blocks_to_div": _on_tree(_blocks_to_div),
    "divs_to_article": _on_tree(_divs_to_article),
    "headings_swapped": _on_tree(_headings_swapped),
    "strong_titles": _on_tree(_strong_titles),
    "deeper": _on_tree(_deeper),
    "minified": _on_tree(_minified),
    "end_tags_omitted": _end_tags_omitted,
    "upper_case_tags": _upper_case_tags,
    **{name: _chrome(snippet, first=name == "nav_menu") for name, snippet in CHROME.items()},
}


# -- transforms that know the listing's items ---------------------------------------------------------------------
#
# Chrome inside the listing, a second section, broken markup around the items, other tag shapes for
# them: each needs to know which blocks are the items. The golden says so (its items' links); a rule
# to find them would be a rule of the kind measured. An item's block is the highest element around
# its first link that holds no other item's link; the listing is the run of item blocks that share a
# parent.


@dataclass(frozen=True)
class Listing:
    """What the golden says of a page: its items' links (absolute) and the URL the page lived at."""

    urls: tuple[str, ...] = ()
    base_url: str = ""


ListingTransform = Callable[[bytes, Listing], bytes]


def _url_key(url: str) -> str:
    parts = urlsplit(url.strip())
    return f"{parts.netloc.casefold()}{parts.path.rstrip('/')}?{parts.query}"


def item_links(root: Element, listing: Listing) -> list[Element]:
    """Each golden item's first link on the page, in page order (items whose link is not there left out)."""
    base = listing.base_url
    declared = root.find(".//base[@href]")
    if declared is not None:
        base = urljoin(base, declared.get("href"))
    wanted = {_url_key(url) for url in listing.urls}
    first: dict[str, Element] = {}
    for link in root.iter("a"):
        key = _url_key(urljoin(base, link.get("href") or "")) if link.get("href") else ""
        if key in wanted and key not in first:
            first[key] = link
    return list(first.values())


def item_link_of(run: list[Element], root: Element, listing: Listing) -> dict[int, Element]:
    """Each block's item link (the golden's), by the block's id."""
    links = item_links(root, listing)
    found = {}
    for block in run:
        mine = next((link for link in links if link is block or any(a is block for a in link.iterancestors())), None)
        if mine is not None:
            found[id(block)] = mine
    return found


def item_blocks(root: Element, listing: Listing) -> list[Element]:
    """Each item's block, in page order."""
    links = item_links(root, listing)
    holders: dict[Element, int] = {}
    for link in links:
        for ancestor in link.iterancestors():
            holders[ancestor] = holders.get(ancestor, 0) + 1
    blocks = []
    for link in links:
        block = link
        for ancestor in link.iterancestors():
            if holders[ancestor] > 1 or ancestor.tag in ("body", "html"):
                break
            block = ancestor
        blocks.append(block)
    return blocks


def listing_run(root: Element, listing: Listing) -> list[Element]:
    """The longest run of item blocks that share a parent, in page order ([] with fewer than two)."""
    by_parent: dict[Element, list[Element]] = {}
    for block in item_blocks(root, listing):
        by_parent.setdefault(block.getparent(), []).append(block)
    run = max(by_parent.values(), key=len, default=[])
    return run if len(run) >= 2 else []


def adjacent(run: list[Element]) -> list[Element]:
    """The longest part of ``run`` whose items follow each other with nothing between but text and comments."""
    parts: list[list[Element]] = []
    for block in run:
        if parts and _next_element(parts[-1][-1]) is block:
            parts[-1].append(block)
        else:
            parts.append([block])
    longest = max(parts, key=len, default=[])
    return longest if len(longest) >= 2 else []


Change = Callable[[Element, list[Element], Listing], None]


def _on_listing(change: Change, *, adjacent_only: bool = False) -> ListingTransform:
    def transform(page: bytes, listing: Listing) -> bytes:
        root = parse(page)
        run = listing_run(root, listing)
        if adjacent_only:
            run = adjacent(run)
        if run:
            change(root, run, listing)
        return serialize(root)

    transform.__doc__ = change.__doc__
    return transform


def fragment(snippet: str) -> Element:
    """The one element ``snippet`` is, parsed as spfeed parses."""
    return etree.fromstring(f"<html><body>{snippet}</body></html>", etree.HTMLParser()).find("body")[0]


def _beside(item: Element, snippet: str) -> Element:
    """``snippet`` as a sibling of ``item``: in an ``li`` (``tr``, ``dd``) when the items are ones."""
    wrapper = {"li": "<li>{}</li>", "tr": "<tr><td>{}</td></tr>", "dd": "<dd>{}</dd>", "dt": "<dd>{}</dd>"}
    return fragment(wrapper.get(item.tag, "{}").format(snippet))


# Chrome inside the listing's own container: dated links that are not items, an ad, a form.
MOST_READ = (
    "<div><h3>Most read</h3><ol>"
    "<li><a href='/most-read/pension-reform-explained-in-five-charts/'>Pension reform explained in five charts</a>"
    " <span>3 March 2021</span></li>"
    "<li><a href='/most-read/what-a-social-protection-floor-guarantees/'>What a social protection floor "
    "guarantees, and to whom</a> <span>14 January 2021</span></li>"
    "<li><a href='/most-read/ten-facts-about-unemployment-benefits/'>Ten facts about unemployment benefits in "
    "a crisis</a> <span>27 November 2020</span></li>"
    "</ol></div>"
)
AD_SLOT = (
    "<div><span>Advertisement</span><a href='https://ads.example.net/click?slot=listing-1'>"
    "<img src='https://ads.example.net/creative/728x90.png' alt='Sponsored'></a></div>"
)
NEWSLETTER = (
    "<form action='/newsletter/subscribe' method='post'><h3>Subscribe to our newsletter</h3>"
    "<p>The latest news and publications, once a month. <a href='/privacy/'>How we use your data</a></p>"
    "<input type='email' name='email' placeholder='Your email address'><button type='submit'>Subscribe</button>"
    "</form>"
)


def _most_read_between(root: Element, run: list[Element], listing: Listing) -> None:
    """A dated "Most read" box among the items, between the two next to each other nearest the middle, inside
    their container (on a page whose items are runs of lines, nowhere: between which lines is not known)."""
    middle = min(_seams(run), key=lambda seam: abs(2 * seam - len(run)), default=None)
    if middle is not None:
        run[middle].addprevious(_beside(run[0], MOST_READ))


def _seams(run: list[Element]) -> list[int]:
    """Where two items stand next to each other: the index of the second."""
    return [n for n in range(1, len(run)) if _next_element(run[n - 1]) is run[n]]


def _next_element(element: Element) -> Element | None:
    following = element.getnext()
    while following is not None and not isinstance(following.tag, str):
        following = following.getnext()
    return following


def _ad_and_newsletter(root: Element, run: list[Element], listing: Listing) -> None:
    """An ad slot between the first two items next to each other, a newsletter form at the end of their
    container."""
    seams = _seams(run)
    if seams:
        run[seams[0]].addprevious(_beside(run[0], AD_SLOT))
    run[0].getparent().append(_beside(run[0], NEWSLETTER))


# Two sections.
LATEST, EARLIER = "Latest", "Earlier"
EVENTS = (
    "<div><h2>Upcoming events</h2><ul>"
    "<li><a href='/events/regional-forum-on-social-protection-financing/'>Regional forum on social protection "
    "financing</a><p>14 May 2025, Bangkok</p></li>"
    "<li><a href='/events/technical-meeting-on-pension-adequacy/'>Technical meeting on pension adequacy</a>"
    "<p>2 June 2025, Geneva</p></li>"
    "<li><a href='/events/webinar-on-maternity-protection/'>Webinar: maternity protection for workers in the "
    "informal economy</a><p>19 June 2025, online</p></li>"
    "</ul></div>"
)
EVENTS_HEADING = "Latest news"


def _heading(tag_of_items: str, text: str) -> Element:
    if tag_of_items == "tr":
        return fragment(f"<tr><th>{text}</th></tr>")
    return fragment(f"<h2>{text}</h2>")


def _split_under_two_headings(root: Element, run: list[Element], listing: Listing) -> None:
    """The items split in two lists, "Latest" over the first half and "Earlier" over the rest."""
    container, middle = run[0].getparent(), run[len(run) // 2]
    while tag_of(middle.getprevious()) in ("h2", "h3", "h4", "h5", "h6") and middle.getprevious() is not run[0]:
        middle = middle.getprevious()  # a heading over the items (a year's, a day's) stays with them
    if container.tag in ("body", "table", "tbody", "thead", "tfoot") or run[0].tag == "tr":
        run[0].addprevious(_heading(run[0].tag, LATEST))
        middle.addprevious(_heading(run[0].tag, EARLIER))
        return
    second = etree.Element(container.tag, {k: v for k, v in container.attrib.items() if k != "id"})
    moving = [middle, *middle.itersiblings()]
    second.text = None
    for element in moving:
        second.append(element)  # with its tail
    container.addprevious(_heading("", LATEST))
    earlier = _heading("", EARLIER)
    earlier.tail, container.tail = container.tail, None
    container.addnext(earlier)
    earlier.addnext(second)
    second.tail, earlier.tail = earlier.tail, None


def _events_before(root: Element, run: list[Element], listing: Listing) -> None:
    """A dated "Upcoming events" section before the listing (not its items), and a heading over the listing."""
    container = run[0].getparent()
    if container.tag in ("body", "table", "tbody", "thead", "tfoot") or run[0].tag == "tr":
        anchor = run[0] if container.tag == "body" else _outermost_table(container)
    else:
        anchor = container
    previous = anchor.getprevious()
    if previous is not None and tag_of(previous) in ("h1", "h2", "h3", "h4") and not (previous.tail or "").strip():
        anchor = previous  # the listing's own heading stays over it
    else:
        anchor.addprevious(fragment(f"<h2>{EVENTS_HEADING}</h2>"))
        anchor = anchor.getprevious()
    anchor.addprevious(fragment(EVENTS))


def _outermost_table(element: Element) -> Element:
    return element if element.tag == "table" else next(element.iterancestors("table"), element)


# Broken markup around the items: written as a browser (and libxml2) forgives it.
_NESTABLE = frozenset(("div", "article", "section"))


Ends = Callable[[Element, list[Element], Listing], dict[Element, str]]


def _broken(ends_for: Ends, *, cut: str = "") -> ListingTransform:
    def transform(page: bytes, listing: Listing) -> bytes:
        root = parse(page)
        run = listing_run(root, listing)
        written = serialize(root, ends=ends_for(root, run, listing) if run else {})
        return written.partition(cut.encode())[0] if cut and run else written

    transform.__doc__ = ends_for.__doc__
    return transform


def _wrapper(item: Element) -> Element | None:
    """The block an item's content is in that a browser would nest on a missing end tag."""
    if item.tag in _NESTABLE:
        return item
    children = [child for child in item if isinstance(child.tag, str)]
    only = children[0] if len(children) == 1 else None
    return only if only is not None and only.tag in _NESTABLE and not (item.text or "").strip() else None


def _items_unclosed(root: Element, run: list[Element], listing: Listing) -> dict[Element, str]:
    """The items' ``div``/``article`` end tags left out, so each item nests in the one before; as many end
    tags after the last item close them all (an item in an ``li`` has its wrapper's left out)."""
    wrappers = [w for w in map(_wrapper, run) if w is not None]
    if len(wrappers) < 2:
        return {}
    ends = dict.fromkeys(wrappers, "")
    ends[wrappers[-1]] = "".join(f"</{w.tag}>" for w in reversed(wrappers))
    return ends


def _stray_end_tags(root: Element, run: list[Element], listing: Listing) -> dict[Element, str]:
    """A stray ``</div>`` after the first item (a browser closes the listing's container there: the other
    items stand after it), and an unmatched ``</span></em>`` after each item's title link."""
    ends: dict[Element, str] = {run[0]: f"</{run[0].tag}></div>"}
    for link in _titles(run):
        ends[link] = "</a></span></em>"
    return ends


def _titles(run: list[Element]) -> list[Element]:
    """Each item's first link with text (its title link, on most pages)."""
    found = []
    for block in run:
        links = [block] if block.tag == "a" else block.iter("a")
        titled = next((a for a in links if "".join(a.itertext()).strip()), None)
        if titled is not None:
            found.append(titled)
    return found


def _misnested_inline(root: Element, run: list[Element], listing: Listing) -> dict[Element, str]:
    """Each item's title link in a ``<b>`` that ends inside it: ``<b><a href>Title</b></a>``."""
    ends: dict[Element, str] = {}
    for link in _titles(run):
        bold = etree.Element("b")
        link.addprevious(bold)
        bold.tail = link.tail
        link.tail = None
        bold.append(link)
        ends[link], ends[bold] = "</b></a>", ""
    return ends


CUT = "<!--cut-->"


def _truncated(root: Element, run: list[Element], listing: Listing) -> dict[Element, str]:
    """The page cut off after the last item's end tag (of any list the items are in): no end tags after
    it, nothing after the listing."""
    order = {element: n for n, element in enumerate(root.iter())}
    last = max(item_blocks(root, listing), key=order.__getitem__)
    return {last: f"</{last.tag}>{CUT}"}


def _unquoted_attributes(page: bytes) -> bytes:
    """Attribute values without quotes wherever HTML allows it (``<a href=/news/1>``)."""
    return serialize(parse(page), unquoted=True)


# Other tag shapes for the items.
def _cells(item: Element, cell: str) -> list[Element]:
    """The item's content in ``cell`` elements: a block child each, a run of inline children (and text) in one;
    the text after the item (a separator between items) at the end of the last."""
    if item.tag == "a":  # a whole-card link: one cell holds it
        cells = [etree.Element(cell)]
        cells[0].append(deepcopy(item))
    else:
        cells = _split_in_cells(item, cell)
    last = cells[-1]
    if len(last):
        last[-1].tail = (last[-1].tail or "") + (item.tail or "")
    else:
        last.text = (last.text or "") + (item.tail or "")
    return cells


def _split_in_cells(item: Element, cell: str) -> list[Element]:
    cells: list[Element] = []
    current: Element | None = None
    if (item.text or "").strip():
        current = etree.Element(cell)
        current.text = item.text
        cells.append(current)
    for child in list(item):
        if current is None or _is_block(child) or (len(current) and _is_block(current[-1])):
            current = etree.Element(cell)
            cells.append(current)
        current.append(child)
    return cells or [etree.Element(cell)]


def _is_block(element: Element) -> bool:
    return tag_of(element) in BLOCKS and tag_of(element) != "br"


def _replace_run(run: list[Element], new: Element) -> None:
    """``new`` in the run's place: in its container's place when the run is all the container holds."""
    container = run[0].getparent()
    others = [c for c in container if c not in run and not isinstance(c, etree._Comment)]
    if container.tag in ("ul", "ol", "dl") and not others and not (container.text or "").strip():
        new.tail = container.tail
        container.getparent().replace(container, new)
        return
    new.tail = run[-1].tail
    run[0].addprevious(new)
    for item in run:
        container.remove(item)


def _as_table_rows(root: Element, run: list[Element], listing: Listing) -> None:
    """The items as the rows of a table: each a ``tr``, each block of it (or run of inline content) a ``td``."""
    if run[0].tag in ("tr", "td", "th", "dt", "dd"):
        return
    if any(next(item.iterancestors("table"), None) is not None for item in run[:1]):
        return  # a table in a table's cell stays as it is
    table = etree.Element("table")
    body = etree.SubElement(table, "tbody")
    for item in run:
        row = etree.SubElement(body, "tr")
        for cell in _cells(item, "td"):
            row.append(cell)
    _replace_run(run, table)


def _as_definition_list(root: Element, run: list[Element], listing: Listing) -> None:
    """The items as a ``dl``: each a ``dt`` with its title (and what comes before it), a ``dd`` with the rest."""
    if run[0].tag in ("tr", "td", "th", "dt", "dd"):
        return
    titles = {id(block): link for block, link in zip(run, _titles(run), strict=False)}
    dl = etree.Element("dl")
    for item in run:
        cells = _cells(item, "dd")
        title = titles.get(id(item))
        split = next((i for i, c in enumerate(cells) if title is not None and _holds(c, title)), 0)
        term = cells[split]
        term.tag = "dt"
        for before in reversed(cells[:split]):
            _prepend_content(term, before)
        dl.append(term)
        if split + 1 < len(cells):
            rest = cells[split + 1]
            for more in cells[split + 2 :]:
                _append_content(rest, more)
            dl.append(rest)
    _replace_run(run, dl)


def _holds(element: Element, inner: Element) -> bool:
    return element is inner or any(a is element for a in inner.iterancestors())


def _prepend_content(element: Element, before: Element) -> None:
    """``before``'s content put at the start of ``element`` (a block edge between them, as before)."""
    wrapper = etree.Element("div")
    wrapper.text, wrapper.tail = before.text, element.text
    for child in list(before):
        wrapper.append(child)
    element.text = None
    element.insert(0, wrapper)


def _append_content(element: Element, more: Element) -> None:
    wrapper = etree.Element("div")
    wrapper.text = more.text
    for child in list(more):
        wrapper.append(child)
    element.append(wrapper)


_NOT_IN_A_LINK = frozenset(("a", "tr", "td", "th", "dt", "dd", "tbody"))
"""Items a link cannot wrap the content of: a table's row or cell (a browser moves the link out of the
table), a term or its definition (one link can hold neither pair); and a link already."""


def _card_in_one_link(root: Element, run: list[Element], listing: Listing) -> None:
    """Each item's whole card one link to it: its own links' tags dropped (their text kept), its content in
    one ``<a href>`` with the target of the item's link (the golden's)."""
    titles = item_link_of(run, root, listing)
    for item in run:
        title = titles.get(id(item))
        href = title.get("href") if title is not None else None
        if href is None or item.tag in _NOT_IN_A_LINK:
            continue
        etree.strip_tags(item, "a")
        _wrap_content(item, "a")
        item[-1].set("href", href)


# Other languages: every date a reader sees rendered in the language's CLDR form, "Read more" and other
# field words in its words, the page's lang set to it.
LANGUAGES = ("de", "pt", "it", "nl", "ja", "ar")
FIELDS = ("read more", "more", "published", "posted on", "date", "by", "updated")
FIELD_WORDS: dict[str, dict[str, str]] = {
    language: dict(zip(FIELDS, words.split("|"), strict=True))
    for language, words in {
        "de": "Weiterlesen|Mehr|Veröffentlicht|Veröffentlicht am|Datum|Von|Aktualisiert",
        "pt": "Leia mais|Mais|Publicado|Publicado em|Data|Por|Atualizado",
        "it": "Leggi tutto|Altro|Pubblicato|Pubblicato il|Data|Di|Aggiornato",
        "nl": "Lees meer|Meer|Gepubliceerd|Geplaatst op|Datum|Door|Bijgewerkt",
        "ja": "続きを読む|もっと見る|公開日|投稿日|日付|著者|更新日",
        "ar": "اقرأ المزيد|المزيد|نُشر|نُشر في|التاريخ|بقلم|تم التحديث",
    }.items()
}
_SOURCE_LANGUAGES = ("en", "fr", "es")
FIELD_LINE = re.compile(rf"^(\s*)({'|'.join(FIELDS)})(\s*[:»›>]?\s*)$", re.IGNORECASE)
_FIELD_LEAD = re.compile(rf"^(\s*)({'|'.join(FIELDS)})(?=\s*:)", re.IGNORECASE)  # "Published: 3 May 2021"
_MAX_OTHER_WORDS = 4  # a date line: the date and a few words ("Published:", a place); a title is longer


def _month_numbers() -> dict[str, int]:
    names: dict[str, int] = {}
    for language in _SOURCE_LANGUAGES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, language).items():
                    names.setdefault(name.casefold().rstrip("."), number)
    names.setdefault("sept", 9)
    return names


def _weekday_names() -> set[str]:
    return {
        name.casefold().rstrip(".")
        for language in _SOURCE_LANGUAGES
        for width in ("wide", "abbreviated")
        for name in get_day_names(width, "format", language).values()
    }


_MONTHS = _month_numbers()
_WEEKDAYS = _weekday_names()
DATE_WORDS = frozenset((*_MONTHS, *_WEEKDAYS, "de", "del", "du", "from", "to", "au", "al", "a", "–", "-"))
"""The words of a spelled-out date in the pages' languages (casefolded, without a final dot)."""
_MONTH_RE = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_WEEKDAY_RE = "|".join(sorted((re.escape(w) for w in _WEEKDAYS), key=len, reverse=True))
_ORDINAL = r"(?:st|nd|rd|th|er|º)?"
_FROM = r"(?:(?:from|du|del|de)\s+)?"  # "du 27 au 28 juin 2023", "del 27 al 28 de junio de 2023"
_TO = r"(?:\s*[-–]\s*|\s+(?:to|au|al|a)\s+)"
_DAY = rf"\d{{1,2}}{_ORDINAL}\.?"
_DATE_FORMS = re.compile(
    rf"(?P<weekday>(?:{_WEEKDAY_RE})\.?,?\s+)?(?:"
    # day first: "17 September 2023", "27-28 June 2023", "30 November – 12 December 2023"
    rf"(?:{_FROM}(?P<d1>{_DAY})(?:\s+(?:de\s+)?(?P<m1>{_MONTH_RE})\b\.?)?{_TO}(?:(?:{_WEEKDAY_RE})\.?,?\s+)?)?"
    rf"(?P<d>{_DAY})\s+(?:de\s+)?(?P<m>{_MONTH_RE})\b\.?,?\s+(?:de\s+)?(?P<y>\d{{4}})"
    # month first: "September 17, 2023", "June 27-28, 2023", "Nov 30 – Dec 12, 2023"
    rf"|(?:(?P<m3>{_MONTH_RE})\b\.?\s+(?P<d3>{_DAY}){_TO})?"
    rf"(?P<m2>{_MONTH_RE})\b\.?\s+(?:(?P<d4>{_DAY}){_TO})?(?P<d2>{_DAY}),?\s+(?P<y2>\d{{4}})"
    r")(?![\d])",
    re.IGNORECASE,
)


def _number(day: str) -> int:
    return int(re.match(r"\d+", day)[0])  # type: ignore[index]


def rerender_dates(text: str, language: str) -> str:
    """``text`` with each spelled-out date (a range too) in ``language``'s CLDR form, its width kept."""

    def render(match: re.Match[str]) -> str:
        month_name = match["m"] or match["m2"]
        first_month = match["m1"] or match["m3"] or month_name
        first = match["d1"] or match["d3"] or match["d4"]
        year = int(match["y"] or match["y2"])
        try:
            when = date(year, _MONTHS[month_name.casefold()], _number(match["d"] or match["d2"]))
            start = date(year, _MONTHS[first_month.casefold()], _number(first)) if first else None
        except ValueError:
            return match[0]
        wide = len(month_name) > 4 or month_name.casefold() in ("may", "mai", "mayo", "juin", "june", "july")
        if start is not None:
            skeleton = ("yMMMMd" if wide else "yMMMd").replace("d", "EEEEd" if match["weekday"] else "d")
            return format_interval(start, when, skeleton, locale=language)
        form = "full" if match["weekday"] else ("long" if wide else "medium")
        if form == "medium" and language in ("de", "ja", "ar"):
            form = "long"  # their medium form is numeric, not a month's name
        return format_date(when, form, locale=language)

    return _DATE_FORMS.sub(render, text)


def _date_line(text: str) -> bool:
    rest = _DATE_FORMS.sub(" ", text)
    return rest != text and len(re.findall(r"[^\W\d_]+", rest)) <= _MAX_OTHER_WORDS


def _in_language(language: str) -> Transform:
    def change(root: Element) -> None:
        root.set("lang", language)
        body = root.find("body")
        for element in _elements(body if body is not None else root):
            if element.tag in RAW_TEXT:
                continue
            element.text = _translated(element.text, language)
            element.tail = _translated(element.tail, language)

    change.__doc__ = f"Every date a reader sees in {language}'s CLDR form, field words in {language}, lang={language}."
    return _on_tree(change)


def _translated(text: str | None, language: str) -> str | None:
    if not text or not text.strip():
        return text
    if _date_line(text):
        lead = _FIELD_LEAD.match(text)
        if lead:
            text = lead[1] + FIELD_WORDS[language][lead[2].casefold()] + text[lead.end(2) :]
        return rerender_dates(text, language)
    field = FIELD_LINE.match(text)
    if field:
        return field[1] + FIELD_WORDS[language][field[2].casefold()] + field[3]
    return text


LISTING_TRANSFORMS: dict[str, ListingTransform] = {
    "most_read_in_listing": _on_listing(_most_read_between),
    "ad_and_form_in_listing": _on_listing(_ad_and_newsletter),
    "two_headings": _on_listing(_split_under_two_headings),
    "events_section_before": _on_listing(_events_before),
    "items_unclosed": _broken(_items_unclosed),
    "stray_end_tags": _broken(_stray_end_tags),
    "misnested_inline": _broken(_misnested_inline),
    "truncated_after_items": _broken(_truncated, cut=CUT),
    "items_as_table_rows": _on_listing(_as_table_rows, adjacent_only=True),
    "items_as_dl": _on_listing(_as_definition_list, adjacent_only=True),
    "card_in_one_link": _on_listing(_card_in_one_link),
}
"""Transforms that take the golden's items (see ``Listing``)."""
TRANSFORMS["unquoted_attributes"] = _unquoted_attributes
TRANSFORMS |= {f"dates_{language}": _in_language(language) for language in LANGUAGES}
ALL_TRANSFORMS: tuple[str, ...] = (*TRANSFORMS, *LISTING_TRANSFORMS)
ADDED: dict[str, tuple[tuple[str, ...], ...]] = {
    "most_read_in_listing": ((MOST_READ,), ()),
    "ad_and_form_in_listing": ((AD_SLOT, NEWSLETTER), (NEWSLETTER,)),
    "two_headings": ((f"<h2>{LATEST}</h2>", f"<h2>{EARLIER}</h2>"),),
    "events_section_before": ((EVENTS, f"<h2>{EVENTS_HEADING}</h2>"), (EVENTS,)),
}
"""What each transform that adds to the listing adds, in page order: the first way on most pages, the
others where it cannot (no two items next to each other to set a box between; a listing with a heading
of its own needs none over it)."""


def card_links(page: bytes, listing: Listing) -> tuple[str, ...]:
    """The links a reader sees once ``card_in_one_link`` made each item's card one link: the card's own links
    give way to one, the title's, where the card begins."""
    root = parse(page)
    run = listing_run(root, listing)
    titles = item_link_of(run, root, listing)
    cards = {id(b): b for b in run if b.tag not in _NOT_IN_A_LINK and titles.get(id(b)) is not None}
    cards = {key: block for key, block in cards.items() if titles[key].get("href") is not None}
    body = root.find("body")
    links, seen = [], set()
    for link in (body if body is not None else root).iter("a"):
        if link.get("href") is None:
            continue
        card = next((a for a in link.iterancestors() if id(a) in cards), None)
        if card is None:
            links.append(link.get("href").strip())
        elif id(card) not in seen:
            seen.add(id(card))
            links.append(titles[id(card)].get("href").strip())
    return tuple(links)


def bound(name: str, listing: Listing) -> Transform:
    """Transform ``name`` as a function of the page alone (a listing transform given ``listing``)."""
    if name in TRANSFORMS:
        return TRANSFORMS[name]
    change = LISTING_TRANSFORMS[name]
    return lambda page: change(page, listing)


# -- spfeed on transformed pages ----------------------------------------------------------------------------------


def corpus_shapes() -> list[Shape]:
    """Every page with golden items the transforms run on: the corpus and held-out sets 1-6."""
    return [shape for folder in MEASURED for shape in load_shapes(folder)]


def page_name(shape: Shape) -> str:
    return f"{shape.folder.name}/{shape.file}"


def listing_of(shape: Shape) -> Listing:
    return Listing(tuple(item["url"] for item in load_golden(shape.golden_path)), shape.base_url)


def transformed(name: str, shape: Shape) -> bytes:
    return bound(name, listing_of(shape))(shape.path.read_bytes())


def read_transformed(shape: Shape, name: str, scratch: Path) -> list[dict[str, Any]]:
    """The items spfeed reads on the page transformed by ``name``, as ``extract`` reads the page itself."""
    page = scratch / shape.file
    page.write_bytes(transformed(name, shape))
    return extract(page, base_url=shape.base_url, language=shape.language)


@dataclass(frozen=True)
class Outcome:
    """spfeed's read of one transformed page, against its read of the page itself and against the golden."""

    page: str
    transform: str
    identical: bool
    kept: Score
    """The transformed page's items scored against the original's (lost items are ``missing``)."""
    golden: Score


NEW_ITEMS = {"events_section_before": EVENTS}
"""The transforms that add items (the corpus's goldens list an events section's events as items, as
they list every dated section's), and the markup that holds them."""


def without_new_items(name: str, found: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], bool]:
    """The items read on the page transformed by ``name`` but those it added, and whether all of those
    were read: the original read is the rest, the golden changed as the transform changed the page."""
    if name not in NEW_ITEMS:
        return found, True
    added = {urlsplit(link).path for link in visible(f"<body>{NEW_ITEMS[name]}</body>".encode()).links}
    rest = [item for item in found if urlsplit(item["url"]).path not in added]
    return rest, len(found) - len(rest) == len(added)


def measure(shapes: Iterable[Shape], transforms: Iterable[str]) -> Iterator[Outcome]:
    names = list(transforms)
    with tempfile.TemporaryDirectory() as scratch:
        for shape in shapes:
            original = extract(shape.path, base_url=shape.base_url, language=shape.language)
            golden = load_golden(shape.golden_path)
            for name in names:
                found, all_new = without_new_items(name, read_transformed(shape, name, Path(scratch)))
                same = found == original and all_new
                yield Outcome(page_name(shape), name, same, score(found, original), score(found, golden))
