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
(``CHROME``). benchmarks/metamorphic.py measures spfeed on every transform of
every corpus page.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def serialize(root: Element, *, upper: bool = False, omit_end: bool = False) -> bytes:
    """The tree as HTML, UTF-8 with a BOM; tag and attribute names upper case, optional end tags left out."""
    out: list[str] = []
    doctype = root.getroottree().docinfo.doctype
    if doctype:
        out.append(doctype + "\n")
    for before in reversed(list(root.itersiblings(preceding=True))):
        _write(before, out, upper, omit_end)
    _write(root, out, upper, omit_end)
    for after in root.itersiblings():
        _write(after, out, upper, omit_end)
    return BOM + "".join(out).encode("utf-8")


def _write(node: Element, out: list[str], upper: bool, omit_end: bool) -> None:
    stack: list[tuple[Element, bool]] = [(node, True)]
    while stack:
        element, opening = stack.pop()
        if not opening:
            if not (omit_end and _end_optional(element)):
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
            attrs = "".join(f' {_name(_attr_name(k), upper)}="{_escape(v, True)}"' for k, v in element.attrib.items())
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


# -- spfeed on transformed pages ----------------------------------------------------------------------------------


def corpus_shapes() -> list[Shape]:
    """Every page with golden items the transforms run on: the corpus and held-out sets 1-6."""
    return [shape for folder in MEASURED for shape in load_shapes(folder)]


def page_name(shape: Shape) -> str:
    return f"{shape.folder.name}/{shape.file}"


def read_transformed(shape: Shape, transform: Transform, scratch: Path) -> list[dict[str, Any]]:
    """The items spfeed reads on the transformed page, as ``extract`` reads the page itself."""
    page = scratch / shape.file
    page.write_bytes(transform(shape.path.read_bytes()))
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


def measure(shapes: Iterable[Shape], transforms: Iterable[str]) -> Iterator[Outcome]:
    names = list(transforms)
    with tempfile.TemporaryDirectory() as scratch:
        for shape in shapes:
            original = extract(shape.path, base_url=shape.base_url, language=shape.language)
            golden = load_golden(shape.golden_path)
            for name in names:
                found = read_transformed(shape, TRANSFORMS[name], Path(scratch))
                yield Outcome(page_name(shape), name, found == original, score(found, original), score(found, golden))
