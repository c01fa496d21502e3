"""lxml trees of pages, and the text and images in them: what parse.py and fallback.py both read.

Both the layout profiles (parse.py) and the generic fallback (fallback.py)
read the one tree built here, so a page is parsed once whichever reads it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Protocol, cast

from .numbers import whole_number

if TYPE_CHECKING:
    from lxml.etree import _Element as Element


def tree(html: str) -> Element:
    """The page's root element (an empty <html> for a page with no markup).

    lxml (libxml2's HTML parser) directly: BeautifulSoup's tree of the same
    parse costs some 15 times as much (every tag and string becomes a Python
    object through a callback).
    """
    from lxml import etree

    # Bytes with the encoding named: lxml refuses a str that declares one
    # (<?xml encoding=...?>), and the text is already decoded (fetch.py).
    # etree's parser, not lxml.html's: that one picks each element's Python
    # class by a Python callback, which costs more than the matching.
    parser = etree.HTMLParser(encoding="utf-8")
    # A stray </html> (templates glued together, an include after the page's
    # end) would cost every item after it; the parser closes <html> at the end.
    html = _HTML_END.sub("", _tag_names_xml_allows(without_lone_surrogates(html)))
    root = etree.fromstring(html.encode("utf-8"), parser) if html.strip() else None
    return root if root is not None else etree.Element("html")


def without_lone_surrogates(text: str) -> str:
    """U+FFFD for each lone surrogate: lxml encodes to UTF-8 and would raise."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return text


def _tag_names_xml_allows(html: str) -> str:
    """``html`` without the characters XML forbids in its tag names: libxml2 keeps
    ``<as\x1dde>`` as a tag of that name, which lxml's own API then refuses
    (``node.iter(name)`` raised ValueError; found by fuzzing). Text keeps them:
    normalizing drops them there, and the tree stays the one other parsers build."""
    if NOT_XML.search(html) is None:  # nearly every page: one scan in C
        return html
    return _TAG_NAME.sub(lambda tag: NOT_XML.sub("", tag.group()), html)


NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""The characters XML forbids that libxml2 keeps in a tree (lxml then refuses them in names and set text)."""
_TAG_NAME = re.compile(r"</?[A-Za-z][^\t\n\f\r />]*")
# Their strings are code, styles or annotations, not text (as bs4's get_text).
_NOT_TEXT = frozenset(("script", "style", "template", "rt", "rp"))
_EDGE = "\x1f"  # a control character no page shows (XML forbids it; one in a page reads as a space)
# libxml2 drops everything after </html>; a browser reads on, into the body.
# Only an end tag that something follows: the page's own last one stays.
_HTML_END = re.compile(r"</html\s*>(?=\s*\S)", re.IGNORECASE)
# Punctuation that a browser shows against the word before (or after) it: an
# element's edge next to it is no space ("the <a>video</a>." is "the video.").
# A string, compiled by ``re`` when first used (and cached): many pages' items have no
# text across elements (~0.4 ms a process at import).
_HUGGED = "\x1f+(?=[.,;:!?%)\\]}»”’])|(?<=[(\\[{«“‘¿¡])\x1f+"


def joined(strings: Iterable[str]) -> str:
    """Text strings that element edges separate, as one string.

    An element's edge is a space (block elements and <br> separate words, and
    CSS often shows a ``<span>`` on a line of its own), except next to
    punctuation that hugs a word: "See also the <a>video</a>." reads "See also
    the video.", not "video .". (Telling inline from block edges apart would
    cost a look at every descendant of every element read, for a difference
    only where a block starts with a full stop.)
    """
    pieces = list(strings)
    text = _EDGE.join(pieces)
    if _EDGE not in text:
        return text
    if text.count(_EDGE) != len(pieces) - 1:
        # The page's own U+001F (a control character no reader shows) is no
        # element edge: a space, as anywhere else in the text.
        text = _EDGE.join(piece.replace(_EDGE, " ") for piece in pieces)
    return re.sub(_HUGGED, "", text).replace(_EDGE, " ")


def text_of(node: Element) -> str:
    """The element's text as a reader sees it, words apart where elements separate them.

    Like bs4's ``get_text(" ")``, but an element's edge adds no space before a
    full stop, comma, closing bracket... (see ``joined``). Comments,
    processing instructions and the contents of script, style and template
    elements are left out. The walk keeps its own stack: a page nested
    thousands deep must not exhaust Python's recursion limit.
    """
    if len(node) == 0:  # most often: a title, a date, a teaser
        return node.text or ""
    if next(node.iterdescendants(*_NOT_TEXT), None) is None:
        return joined(cast("Iterator[str]", node.itertext()))  # bytes only from byte-string XML
    strings: list[str] = [node.text] if node.text else []
    stack = [(child, True) for child in reversed(node)]
    while stack:
        element, opening = stack.pop()
        if opening and isinstance(element.tag, str) and element.tag not in _NOT_TEXT:
            if element.text:
                strings.append(element.text)
            stack.append((element, False))
            stack.extend((child, True) for child in reversed(element))
        elif element.tail:
            strings.append(element.tail)
    return joined(strings)


def img_url(img: Element) -> str | None:
    """The URL of an <img> element (see image_url)."""
    # libxml2 does not know <source> is void, so the img may sit inside one.
    picture = next(img.iterancestors("picture"), None)
    sources = picture.iterdescendants("source") if picture is not None else ()
    return image_url(img.attrib, (source.attrib for source in sources))


class Attributes(Protocol):
    """An element's attributes: lxml's ``.attrib`` or any mapping."""

    def get(self, key: str, /) -> object: ...


def image_url(img: Attributes, sources: Iterable[Attributes]) -> str | None:
    """The img's lazy ``data-src`` or ``data-srcset`` (or own src); only when it has none, its srcset, or its
    <picture>'s first source.

    Any element with a CSS background picture has that one (a ``div`` with a
    lazy ``data-src`` has its own). Takes attribute mappings, so that any tree's elements fit.
    ``srcset`` lists candidates with size descriptors ("a.jpg 1x, b.jpg 2x");
    the first URL is one real image, which is all a feed needs.
    """
    # A lazy loader's real picture (``data-src``, jQuery lazyload's ``data-original``, WordPress's
    # ``data-lazy-src``, lazysizes' ``data-srcset``) before ``src``: that is its placeholder ("spinner.svg")
    # until a script swaps them.
    for attr in ("data-src", "data-lazy-src", "data-original"):
        value = img.get(attr)
        if isinstance(value, str) and value.strip() and not value.startswith("data:"):
            return value.strip()
    lazy_set = img.get("data-srcset")
    if isinstance(lazy_set, str) and lazy_set.strip():
        return _widest(lazy_set)
    src = img.get("src")
    if isinstance(src, str) and src.strip() and not src.startswith("data:"):
        return src.strip()
    for attrs in (img, *sources):
        # data-srcset: lazy loaders (lazysizes) fill srcset from it; src is then a blank placeholder.
        for attr in ("srcset", "data-srcset"):
            srcset = attrs.get(attr)
            if isinstance(srcset, str) and srcset.strip():
                return _widest(srcset)
    return background_image(img.get("style"))


def _widest(srcset: str) -> str:
    """The candidate of a ``srcset`` with the largest width ("a.jpg?imwidth=360 360w, a.jpg 720w": the
    picture itself, not a variant made smaller); without widths ("1x, 2x"), the first."""
    best, best_width = "", -1
    for candidate in srcset.split(","):
        parts = candidate.split()
        if not parts:
            continue
        width = parts[1][:-1] if len(parts) > 1 and parts[1].endswith("w") else ""
        size = whole_number(width)
        size = -1 if size is None else size
        if not best or size > best_width:
            best, best_width = parts[0], size
    return best or srcset.strip().split()[0]


_BACKGROUND = r"(?i)background(?:-image)?\s*:[^;]*?url\(\s*(['\"]?)(?P<url>[^'\")]+)\1\s*\)"  # as _HUGGED


def background_image(style: object) -> str | None:
    """The picture an element shows as its CSS background (``style="background-image: url(…)"``)."""
    if not isinstance(style, str) or "url(" not in style:
        return None
    found = re.search(_BACKGROUND, style)
    url = found["url"].strip() if found is not None else ""
    return url if url and not url.startswith("data:") else None
