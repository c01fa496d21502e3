"""The generic fallback: no layout profile knows this page, so look for its shape.

A listing is a run of sibling blocks of one kind, each with a link and a date
or a heading. Navigation, breadcrumbs, footers, language switchers,
pagination and "related links" are lists of links too, so their regions are
ruled out first: by tag, ARIA role, and class or id words.

This walks the tree in many directions (up to a block's parents, back to
the heading before it, through its strings), which BeautifulSoup says
plainly; it runs only when no profile matched, so its tree's cost (some
15 times lxml's, see parse.py) is paid only then.
"""

from __future__ import annotations

import logging
import re
import warnings
from typing import TYPE_CHECKING

from .models import RawItem
from .parse import image_url

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag

log = logging.getLogger(__name__)

_CHROME_TAGS = {"nav", "aside", "form", "template", "script", "style", "noscript", "select", "button"}
_PAGE_PARTS = {"header", "footer"}  # page chrome, unless inside an article
_CHROME_ROLES = {"navigation", "banner", "contentinfo", "search", "menu", "menubar"}
_CHROME_WORDS = re.compile(
    r"(?:^|-)(?:nav|navigation|menu|breadcrumbs?|pagination|pager|languages?|language-switcher"
    r"|related|link-list|linklist|social|share|skip|sidebar|utility|widget)(?:-|$)"
)
_PAGE_PART_WORDS = re.compile(r"(?:^|-)(?:header|footer|masthead|colophon)(?:-|$)")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_MAX_BLOCK_TEXT = 3000  # a teaser block, not a whole section
_MAX_DATE_TEXT = 120


def fallback_items(html: str) -> tuple[list[RawItem], int]:
    """The items of the page's largest listing-like run of blocks, and how many blocks had none."""
    from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning

    with warnings.catch_warnings():
        # A page whose whole text is ".XML" or a URL is still a page, not a file name.
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(html, "lxml")
    blocks = _listing_blocks(soup)
    items = [item for item in (_fallback_item(block) for block in blocks) if item is not None]
    return items, len(blocks) - len(items)


def _listing_blocks(soup: BeautifulSoup) -> list[Tag]:
    """The largest set of same-kind blocks that look like listing entries."""
    groups: dict[tuple[str, ...], dict[int, Tag]] = {}
    for link in soup.find_all("a", href=True):
        if _is_chrome(link):
            continue
        for depth, block in enumerate(link.parents):
            if block.name in ("body", "html", "[document]") or depth > 6:
                break
            key = (_signature(block), _signature(block.parent), _signature(block.parent and block.parent.parent))
            groups.setdefault(key, {})[id(block)] = block
    best: list[Tag] = []
    best_depth = 0
    for members in groups.values():
        entries = [b for b in members.values() if _looks_like_entry(b)]
        if len(entries) < 2:
            continue
        # Of nested runs as long as each other, the outer holds the whole
        # entry (image and summary too), not only its heading.
        depth = len(list(entries[0].parents))
        if len(entries) > len(best) or (len(entries) == len(best) and depth < best_depth):
            best, best_depth = entries, depth
    return best


def _signature(node: Tag | None) -> str:
    if node is None or not node.name:
        return ""
    # Numbered classes ("post-2214", "views-row-3") name one block, not a kind.
    classes = [c for c in node.get("class") or [] if not any(ch.isdigit() for ch in c)]
    return f"{node.name}.{classes[0]}" if classes else node.name


def _is_chrome(node: Tag) -> bool:
    # An article's own <header> and <footer> hold its title and date: only the
    # page's header and footer are chrome.
    in_article = node.find_parent("article") is not None
    for element in (node, *node.parents):
        if element.name in (None, "body", "html", "[document]"):
            continue  # body classes ("has-sidebar", "menu-open") describe the page, not a region
        if element.name in _CHROME_TAGS or element.get("role") in _CHROME_ROLES:
            return True
        words = [_kebab(w) for w in (*(element.get("class") or []), element.get("id") or "") if w]
        if any(_CHROME_WORDS.search(word) for word in words):
            return True
        if not in_article and (
            element.name in _PAGE_PARTS or any(_PAGE_PART_WORDS.search(word) for word in words)
        ):
            return True
    return False


def _kebab(word: str) -> str:
    """'relatedLinks' and 'ilo--link-list' -> 'related-links', 'ilo-link-list'."""
    word = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", word).lower()
    return re.sub(r"[^a-z0-9]+", "-", word).strip("-")


def _looks_like_entry(block: Tag) -> bool:
    if len(block.get_text()) > _MAX_BLOCK_TEXT or block.find("a", href=True) is None:
        return False
    return block.find(_HEADINGS) is not None or _date_in(block) != (None, None)


def _date_in(block: Tag) -> tuple[str | None, str | None]:
    """(visible date text, machine datetime) of the first date in the block."""
    from .dates import parse_date

    time = block.find("time")
    if time is not None:
        machine = time.get("datetime")
        text = time.get_text(" ").strip() or None
        if machine or text:
            return text, machine if isinstance(machine, str) else None
    for string in block.stripped_strings:
        if len(string) <= _MAX_DATE_TEXT and parse_date(string) is not None:
            return string, None
    return None, None


def _fallback_item(block: Tag) -> RawItem | None:
    heading = block.find(_HEADINGS)
    link = _fallback_link(block, heading)
    title = heading.get_text(" ") if heading is not None else None
    if not title or not title.strip():
        title = link.get_text(" ") if link is not None else None
    if link is None or not title or not title.strip():
        log.warning("skipped a repeated block with no title or link (fallback): %r", _snippet(block))
        return None
    date_text, machine = _date_in(block)
    img = block.find("img")
    return RawItem(
        title=title,
        url=str(link["href"]),
        date_text=date_text,
        datetime_attr=machine,
        summary=_fallback_summary(block, (title, date_text)),
        image=_img_url(img) if img is not None else None,
        group_date=None if date_text or machine else _month_heading_before(block),
    )


def _fallback_link(block: Tag, heading: Tag | None) -> Tag | None:
    """The heading's link, else a link around the heading, else the block's longest."""
    if heading is not None:
        inner = heading.find("a", href=True)
        if inner is not None:
            return inner
        outer = heading.find_parent("a", href=True)
        if outer is not None and block in outer.parents:
            return outer
    links = [a for a in block.find_all("a", href=True) if not str(a["href"]).startswith(("#", "javascript:"))]
    return max(links, key=lambda a: len(a.get_text(strip=True)), default=None)


def _fallback_summary(block: Tag, known: tuple[str | None, ...]) -> str | None:
    taken = {" ".join(k.split()) for k in known if k}
    texts = [p.get_text(" ") for p in block.find_all("p")]
    texts = [t for t in texts if " ".join(t.split()) not in taken and len(t.strip()) >= 40]
    return max(texts, key=len, default=None)


def _month_heading_before(block: Tag) -> str | None:
    """An archive's "July 2022" heading above an entry that has no date of its own."""
    from .dates import parse_date

    heading = block.find_previous(_HEADINGS)
    if heading is None:
        return None
    text = heading.get_text(" ")
    when = parse_date(text)
    return text if when is not None and when.precision == "month" else None


def _img_url(img: Tag) -> str | None:
    picture = img.find_parent("picture")
    sources = picture.find_all("source") if picture is not None else ()
    return image_url(img.attrs, (source.attrs for source in sources))


def _snippet(block: Tag) -> str:
    return " ".join(block.get_text(" ").split())[:80]
