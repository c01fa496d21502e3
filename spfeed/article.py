"""An article page -> its main text and what it says of itself (``Article``).

Pure: no fetching and no decisions about what to fetch (that is ``fulltext``).
The main text comes from readability-lxml (chosen by measuring it against
trafilatura on the fixtures: see README, "Full text"); the metadata is read
with lxml from what publishers mark up for machines, in this order:

- time: ``article:published_time`` / ``article:modified_time``, JSON-LD
  ``datePublished`` / ``dateModified``, then the first ``<time datetime>``
  (ISO 8601) in the article;
- authors: ``<meta name="author">`` / ``article:author``, JSON-LD authors
  that are people, then a "By …" / "Par …" / "Por …" byline;
- lead image: ``og:image`` (with ``og:image:type``, ``:width``, ``:height``),
  JSON-LD ``image``, ``twitter:image``;
- language: ``<html lang>``, ``og:locale``, JSON-LD ``inLanguage``;
- tags: ``article:tag``, JSON-LD ``keywords``, ``rel="tag"`` links, ``<meta name="keywords">``.

A page that is not the article (a maintenance or login page served in its
place) or in which no text is found is a ParseError: the item is then
published from the listing.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime, tzinfo
from html import escape
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from msgspec.structs import replace

from .errors import ParseError
from .markup import NOT_XML
from .models import Article, LeadImage, When
from .numbers import whole_number

if TYPE_CHECKING:
    from lxml.html import HtmlElement

MIN_TEXT = 80
"""Characters of text below which an extraction found nothing worth a reader's time."""
MAX_BYLINE = 120
"""A byline is a short line; a longer "By …" text is a sentence of the article."""

# Elements that are never article text, removed with everything inside them.
_DROP = ("script", "style", "noscript", "iframe", "object", "embed", "form", "button", "input", "select",
         "textarea", "svg", "canvas", "template", "nav", "aside", "footer", "header")
# Wrappers whose children are kept: the text stays, the layout does not.
_UNWRAP = ("div", "span", "section", "article", "main", "picture", "font", "center", "time", "small", "abbr", "u")
_KEEP_ATTRIBUTES = {"href", "src", "alt", "title", "colspan", "rowspan", "datetime", "cite"}
_EMPTY_DROPPABLE = ("p", "figure", "li", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "a", "strong",
                    "em", "b", "i")
_ARTICLE_TYPES = {"article", "newsarticle", "blogposting", "report", "reportagenewsarticle", "analysisnewsarticle",
                  "scholarlyarticle", "techarticle", "webpage", "pressrelease"}
_BYLINE = re.compile(r"^\s*(?:by|par|por|written by|écrit par|escrito por)\s+(.{2,})$", re.IGNORECASE)
_BYLINE_STARTS = ("by", "par", "por", "written", "écrit", "escrito")
_NAME_SEPARATORS = re.compile(r"\s*(?:,|;|&|\band\b|\bet\b|\by\b)\s*", re.IGNORECASE)
_NAME_PARTICLES = {"van", "von", "de", "da", "del", "der", "den", "di", "du", "la", "le", "dos", "das", "bin", "al"}
_NOT_ARTICLE = re.compile(
    r"\b(?:under maintenance|maintenance mode|en (?:cours de )?maintenance|en mantenimiento|temporarily unavailable"
    r"|service unavailable|access denied|please log ?in|sign in to continue|log in to continue)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w{3,}")


def extract_article(
    html: str,
    url: str,
    *,
    expected_title: str | None = None,
    timezone: tzinfo = UTC,
) -> Article:
    """Read the article at ``url`` from its HTML; ParseError when it is not one.

    ``expected_title`` is the item's title on the listing: a page that does
    not carry most of its words is something served in the article's place.
    ``timezone`` reads times that carry no offset.
    """
    tree = _parse(html, url)
    meta = _meta(tree)
    _refuse_stand_ins(tree, meta, url, expected_title)
    graph = list(_json_ld_objects(tree))
    base = _base_url(tree, url)
    title = _first(meta.get("og:title"), _text_of(tree.find(".//h1")), _text_of(tree.find(".//title")))
    article = Article(
        url=url,
        content_html="",
        published=_published(meta, graph, tree, timezone),
        modified=_moment(_first(meta.get("article:modified_time"), _ld_value(graph, "dateModified")), timezone),
        authors=_authors(meta, graph, tree),
        image=_lead_image(meta, graph, base),
        language=_language(tree, meta, graph),
        tags=_tags(meta, graph, tree),
    )
    # Last: readability rewrites the tree it is given.
    return replace(article, content_html=main_text(tree, base, title=title))


def _base_url(tree: HtmlElement, url: str) -> str:
    """Where the page's relative links point from: its ``<base href>``, else its URL."""
    base = tree.find(".//base[@href]")
    return (_absolute(url, base.get("href", "")) if base is not None else None) or url


def _parse(html: str, url: str) -> HtmlElement:
    import lxml.html
    from lxml import etree

    # As bytes with the encoding named: lxml refuses a str that declares one.
    parser = lxml.html.HTMLParser(encoding="utf-8")
    # Without the characters XML forbids: libxml2 keeps them, and lxml refuses them in any string
    # set back into the tree (drop_tag joining texts; found by fuzzing). The feeds drop them anyway.
    html = NOT_XML.sub("", html)
    try:
        return lxml.html.document_fromstring(html.encode("utf-8", errors="replace"), parser=parser)
    except (ValueError, etree.ParserError) as e:
        raise ParseError(url, "the article page is not readable HTML") from e


# --- The main text ----------------------------------------------------------------


def main_text(tree: HtmlElement, url: str, *, title: str | None = None) -> str:
    """The article's main text as HTML: paragraphs, headings, lists, quotes,
    figures with captions, tables; links and images absolute (against ``url``);
    no layout. ``tree`` (the whole page) is consumed."""
    import lxml.html
    from readability import Document

    # readability logs an ERROR before raising on a page it cannot read; the
    # refresh reports that article once, as a warning of its own.
    logging.getLogger("readability").setLevel(logging.CRITICAL)
    _simplify_figures(tree)
    for base in list(tree.iter("base")):
        base.drop_tree()  # ``url`` is already the page's base; readability chokes on a broken one
    try:
        summary = Document(tree, url=url).summary(html_partial=True, keep_all_images=True)
        fragment = lxml.html.fragment_fromstring(summary, create_parent="div")
    except Exception as e:  # both assert on odd pages (no <body>): one bad page, not a crashed refresh
        raise ParseError(url, f"the article text could not be read ({type(e).__name__})") from e
    fragment.make_links_absolute(url, resolve_base_href=False, handle_failures="discard")
    _clean_tree(fragment, title)
    if len(_normalized(fragment.text_content())) < MIN_TEXT:
        raise ParseError(url, "no article text found on the page")
    blocks = []
    for child in fragment:
        child.tail = None
        blocks.append(lxml.html.tostring(child, encoding="unicode").strip())
    lead = (fragment.text or "").strip()
    return "\n".join(([f"<p>{escape(lead)}</p>"] if lead else []) + blocks)


def _simplify_figures(tree: HtmlElement) -> None:
    """An image for a <picture>, and only images and captions in a figure:
    readability drops image-only wrappers, and <picture> with its <img>."""
    # libxml2 reads <source> as a container (HTML 4 knows no such void
    # element), so the <img> after it sits inside it: unwrap, never delete.
    for wrapper in list(tree.iter("picture", "source")):
        wrapper.drop_tag()
    for figure in list(tree.iter("figure")):
        for wrapper in list(figure.iterdescendants("div", "span")):
            wrapper.drop_tag()


def _clean_tree(root: HtmlElement, title: str | None) -> None:
    from lxml import etree

    for comment in list(root.iter(etree.Comment)):
        comment.drop_tree()
    for element in list(root.iter(*_DROP)):
        element.drop_tree()
    for element in list(root.iterdescendants(*_UNWRAP)):
        element.drop_tag()
    for element in root.iter():
        if not isinstance(element.tag, str):  # comments, processing instructions
            continue
        # Cleared and given back, never deleted by name: lxml refuses to look up some names
        # libxml2 keeps (<p {a=1>, <p a\x01b=c>: ValueError, found by fuzzing).
        kept = {name: value for name, value in element.attrib.items() if name in _KEEP_ATTRIBUTES}
        if len(kept) < len(element.attrib):
            element.attrib.clear()
            element.attrib.update(kept)
    # The page's own heading repeats the entry's title.
    for heading in list(root.iter("h1")):
        if title and _normalized(heading.text_content()) == _normalized(title):
            heading.drop_tree()
    for element in reversed(list(root.iterdescendants(*_EMPTY_DROPPABLE))):
        if not _normalized(element.text_content()) and element.find(".//img") is None:
            element.drop_tree()


# --- Is it the article? -----------------------------------------------------------


def _refuse_stand_ins(tree: HtmlElement, meta: dict[str, list[str]], url: str, expected_title: str | None) -> None:
    """ParseError for a page served instead of the article: a login form, a
    maintenance notice, or a page that does not carry the item's title."""
    if tree.find(".//input[@type='password']") is not None:
        raise ParseError(url, "a login page was served instead of the article")
    for headline in (_text_of(tree.find(".//title")), _text_of(tree.find(".//h1"))):
        if headline and _NOT_ARTICLE.search(headline):
            raise ParseError(url, f"a maintenance or error page was served instead of the article ({headline!r})")
    if expected_title and not _carries_title(tree, meta, expected_title):
        raise ParseError(url, "the page does not carry the item's title: something else was served in its place")


def _carries_title(tree: HtmlElement, meta: dict[str, list[str]], title: str) -> bool:
    wanted = set(_WORD.findall(_folded(title)))
    if not wanted:
        return True
    shown = " ".join(
        filter(None, [_text_of(tree.find(".//title")), _text_of(tree.find(".//h1")), _first(meta.get("og:title"))])
    )
    found = set(_WORD.findall(_folded(shown)))
    return len(wanted & found) * 2 >= len(wanted)


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# --- Metadata ---------------------------------------------------------------------


def _meta(tree: HtmlElement) -> dict[str, list[str]]:
    """Every ``<meta>`` value by its property or name (lower case), in page order."""
    found: dict[str, list[str]] = {}
    for element in tree.iter("meta"):
        key = (element.get("property") or element.get("name") or element.get("itemprop") or "").strip().lower()
        value = (element.get("content") or "").strip()
        if key and value:
            found.setdefault(key, []).append(value)
    return found


def _json_ld_objects(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    """The article-like objects of the page's JSON-LD (in ``@graph`` or lists too)."""
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except (ValueError, RecursionError):
            continue  # a broken (or absurdly nested) block says nothing; the page may have others
        for thing in _walk(data):
            kinds = thing.get("@type")
            names = kinds if isinstance(kinds, list) else [kinds]
            if any(isinstance(name, str) and name.lower() in _ARTICLE_TYPES for name in names):
                yield thing


def _walk(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """The objects at the top, in top-level lists and in ``@graph``: where
    publishers put the page's own article (not deeper: nothing nests that far)."""
    if depth > 3:
        return
    if isinstance(data, list):
        for element in data:
            yield from _walk(element, depth + 1)
    elif isinstance(data, dict):
        yield data
        yield from _walk(data.get("@graph"), depth + 1)


def _ld_value(graph: list[dict[str, Any]], key: str) -> str | None:
    for thing in graph:
        value = thing.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _published(meta: dict[str, list[str]], graph: list[dict[str, Any]], tree: HtmlElement, zone: tzinfo) -> When | None:
    text = _first(meta.get("article:published_time"), _ld_value(graph, "datePublished"), _time_element(tree))
    return _when(text, zone)


def _time_element(tree: HtmlElement) -> str | None:
    """The first ``<time datetime>`` holding ISO 8601, in the article if the page marks one."""
    scope = tree.find(".//article") if tree.find(".//article") is not None else tree
    for element in scope.iter("time"):
        value = (element.get("datetime") or "").strip()
        if value[:4].isdigit() and "-" in value:
            return value
    return None


def _when(text: str | None, zone: tzinfo) -> When | None:
    moment = _moment(text, zone)
    if moment is None or text is None:
        return None
    has_time = "T" in text or " " in text.strip()
    return When(start=moment, precision="minute" if has_time else "day")


def _moment(text: str | None, zone: tzinfo) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if not 1900 <= moment.year <= 2199:  # as dates.parse_machine_date; year 1 or 9999 overflowed in UTC
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _authors(meta: dict[str, list[str]], graph: list[dict[str, Any]], tree: HtmlElement) -> tuple[str, ...]:
    named = [name for name in meta.get("author", []) + meta.get("article:author", []) if not _is_url(name)]
    if not named:
        named = [name for thing in graph for name in _people(thing.get("author"))]
    if not named:
        named = _byline(tree)
    return _unique(part for name in named for part in _split_names(name))


def _people(value: Any) -> Iterator[str]:
    """Names of the people among JSON-LD authors; organizations are the feed's own author."""
    for author in value if isinstance(value, list) else [value]:
        if isinstance(author, str) and not _is_url(author):
            yield author
        elif isinstance(author, dict) and author.get("@type") != "Organization" and isinstance(author.get("name"), str):
            yield author["name"]


def _byline(tree: HtmlElement) -> list[str]:
    """The first short "By Jane Doe and John Roe" line outside navigation and footers."""
    for element in tree.iter("p", "span", "div", "address", "li"):
        if not (element.text or "").lstrip().lower().startswith(_BYLINE_STARTS):
            continue  # cheap: most elements are not bylines
        if any(child.tag in ("p", "div", "ul", "ol") for child in element):
            continue  # a block of blocks is not a one-line byline
        if any(ancestor.tag in ("nav", "footer") for ancestor in element.iterancestors()):
            continue
        text = _normalized(element.text_content())
        match = _BYLINE.match(text) if len(text) <= MAX_BYLINE else None
        if match and all(_looks_like_name(name) for name in _split_names(match.group(1))):
            return [match.group(1)]
    return []


def _looks_like_name(text: str) -> bool:
    """Capitalized words ("Clara van Panhuys"), not "country" as in "By country"."""
    words = text.split()
    return bool(words) and all(w[0].isupper() or w.lower() in _NAME_PARTICLES for w in words)


def _split_names(text: str) -> list[str]:
    return [name for name in (_normalized(part) for part in _NAME_SEPARATORS.split(text)) if len(name) > 1]


def _lead_image(meta: dict[str, list[str]], graph: list[dict[str, Any]], url: str) -> LeadImage | None:
    src = _absolute(url, _first(meta.get("og:image:secure_url"), meta.get("og:image"), meta.get("og:image:url")))
    if src:
        return LeadImage(
            url=src,
            type=_first(meta.get("og:image:type")),
            width=_number(_first(meta.get("og:image:width"))),
            height=_number(_first(meta.get("og:image:height"))),
        )
    for thing in graph:
        image = thing.get("image")
        image = image[0] if isinstance(image, list) and image else image
        if isinstance(image, str) and (src := _absolute(url, image)):
            return LeadImage(url=src)
        if isinstance(image, dict) and isinstance(image.get("url"), str) and (src := _absolute(url, image["url"])):
            return LeadImage(url=src, width=_number(image.get("width")), height=_number(image.get("height")))
    twitter = _absolute(url, _first(meta.get("twitter:image")))
    return LeadImage(url=twitter) if twitter else None


def _language(tree: HtmlElement, meta: dict[str, list[str]], graph: list[dict[str, Any]]) -> str | None:
    value = _first(
        tree.get("lang"),
        tree.get("{http://www.w3.org/XML/1998/namespace}lang"),
        meta.get("og:locale"),
        meta.get("content-language"),
        meta.get("dc.language"),
        _ld_value(graph, "inLanguage"),
    )
    if not value:
        return None
    tag = value.strip().replace("_", "-")
    return tag if re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", tag) else None


def _tags(meta: dict[str, list[str]], graph: list[dict[str, Any]], tree: HtmlElement) -> tuple[str, ...]:
    tags: list[str] = list(meta.get("article:tag", []))
    if not tags:
        for thing in graph:
            keywords = thing.get("keywords")
            if isinstance(keywords, str):
                tags += keywords.split(",")
            elif isinstance(keywords, list):
                tags += [k for k in keywords if isinstance(k, str)]
    if not tags:
        tags = [_text_of(a) or "" for a in tree.iter("a") if "tag" in (a.get("rel") or "").lower().split()]
    if not tags:
        tags = [part for value in meta.get("keywords", []) for part in value.split(",")]
    return _unique(_normalized(tag) for tag in tags)


# --- Small helpers ----------------------------------------------------------------


def _first(*values: str | list[str] | None) -> str | None:
    for value in values:
        if isinstance(value, list):
            value = value[0] if value else None
        if value and value.strip():
            return value.strip()
    return None


def _text_of(element: HtmlElement | None) -> str | None:
    return _normalized(element.text_content()) or None if element is not None else None


def _normalized(text: str) -> str:
    return " ".join(text.split())


def _number(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value > 0 else None
    return whole_number(value) or None


def _absolute(base: str, link: str | None) -> str | None:
    """``link`` made absolute against ``base``; None unless that gives an http(s) URL."""
    if not link or not link.strip():
        return None
    try:
        joined = urljoin(base, link.strip())
    except ValueError:  # "http://[::1": an unclosed IPv6 host
        return None
    return joined if joined.startswith(("http://", "https://")) else None


def _is_url(text: str) -> bool:
    return text.startswith(("http://", "https://", "/"))


def _unique(values: Iterator[str] | list[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for value in values:
        if value and value.casefold() not in {v.casefold() for v in seen}:
            seen[value] = None
    return tuple(seen)
