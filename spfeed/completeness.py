"""Did a layout profile explain the listing on a page, or only part of it?

A profile knows one layout. A page of the same site can match its detection (the
site's chrome, one featured card) and still hold its listing in a component the
profile does not read (a list or a table under that card), or show a field where
the profile does not look (a tag instead of an eyebrow). The profile then reads a
few items, or items without their dates or labels, and says nothing.

``doubt`` asks two questions that cost next to nothing on a page the profile reads
whole, and that the profile's own reading cannot answer by itself:

- the date or the label, where the profile defines it, is empty for every item
  of two or more: the page shows it somewhere else, or the items are not what
  the profile thinks (a listing may well show no summary or image at all);
- links outside the profile's items that stand in the same place in blocks of
  the same shape, at least two of them dated (a ``<time>``, a ``datetime``, a
  year beside the link): a dated listing the profile did not read.

Only then does parse.py run the generic fallback, and ``completed`` takes what it
adds: the profile's items keep their fields, fill the empty ones from the
fallback's item with the same link, and the fallback's items the profile missed
join them in page order.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from lxml.etree import XPath
from msgspec.structs import replace

from .selectors import compiled

if TYPE_CHECKING:
    from lxml.etree import _Element as Element

    from .models import RawItem
    from .parse import Profile

_LINKS = XPath("//a[@href]")
_CHROME = ("header", "footer", "nav", "aside")
"""Where links are never a listing the profile missed."""
_DATETIME_BESIDE_LINKS = XPath("boolean(.//*[@datetime][not(ancestor::a)])")
_TEXT_BESIDE_LINKS = XPath(".//text()[not(ancestor::a)]", smart_strings=False)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_FEW_BLOCKS = 50
"""Up to this many item blocks, listing every link costs less than walking around the blocks."""
_MIN_DATED = 2
"""Dated blocks of one shape that make a listing (one is a featured box)."""
_SAMPLE = 8
"""Links of one shape looked at."""
_BLOCK_DEPTH = 4
"""How far above a link its block may be (a row's cell, a list item's heading, a date box's column)."""


def doubt(root: Element, profile: Profile, blocks: Sequence[Element], items: Sequence[RawItem]) -> str | None:
    """Why the profile's reading of the page may be incomplete; None when nothing says so.

    ``blocks`` are the profile's item blocks, ``items`` what it read from them.
    """
    return _empty_field(profile, items) or _dated_blocks_outside(root, profile, blocks)


def _empty_field(profile: Profile, items: Sequence[RawItem]) -> str | None:
    if len(items) < 2:  # one item without a summary is one item, not a pattern
        return None
    if (profile.date or profile.datetime or profile.group) and not any(_has_date(item) for item in items):
        return f"none of its {len(items)} items has a date"
    if profile.label and not any(item.label for item in items):
        return f"none of its {len(items)} items has a label"
    return None


def _has_date(item: RawItem) -> bool:
    return bool(item.date_text or item.datetime_attr or item.group_date)


def _dated_blocks_outside(root: Element, profile: Profile, blocks: Sequence[Element]) -> str | None:
    slots: dict[tuple[object, ...], list[Element]] = defaultdict(list)
    for link in _links_outside(root, blocks):
        slots[_slot(link)].append(link)
    holding_items: set[Element] | None = None
    excluded: set[Element] | None = None
    for found in slots.values():
        # Each test only where the one before left two links or more: most slots stop at the first.
        # The first few of a shape only: a listing's are dated, a menu's are not.
        if len(found) < _MIN_DATED:
            continue
        links = [link for link in found[:_SAMPLE] if next(link.iterancestors(*_CHROME), None) is None]
        if len(links) < _MIN_DATED:
            continue
        if holding_items is None:  # what holds the profile's items holds no block of another listing
            holding_items = _holding(blocks)
        dated = [link for link, block in zip(links, _blocks(links, holding_items), strict=True) if _dated(block, link)]
        if len(dated) >= _MIN_DATED and profile.exclude:
            if excluded is None:
                excluded = set(compiled(profile.exclude).select(root))
            dated = [link for link in dated if not _inside(link, excluded)]
        if len(dated) >= _MIN_DATED:
            return f"{len(dated)} dated blocks of one shape outside its items"
    return None


def _holding(blocks: Sequence[Element]) -> set[Element]:
    """The ancestors of the item blocks (each block's walk up stops where another's went)."""
    found: set[Element] = set()
    for block in blocks:
        for node in block.iterancestors():
            if node in found:
                break
            found.add(node)
    return found


def _links_outside(root: Element, blocks: Sequence[Element]) -> list[Element]:
    """The page's links outside the item blocks, in page order, the cheaper of two ways:
    while the items are few, every link (libxml2 finds them) but the items' own; on a long
    listing, a walk through the page around the items, which never visits their links."""
    if len(blocks) <= _FEW_BLOCKS:
        covered = {link for block in blocks for link in block.iter("a")}
        every: list[Element] = _LINKS(root)  # type: ignore[assignment]  # the path selects only elements
        return [link for link in every if link not in covered]
    skipped = set(blocks)
    links = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.tag == "a" and node.get("href") is not None:
            links.append(node)
        stack.extend(child for child in reversed(node) if isinstance(child.tag, str) and child not in skipped)
    return links


def _slot(link: Element) -> tuple[object, ...]:
    """Where a link stands: its classes, and its parent's and grandparent's tags and classes."""
    parent = link.getparent()
    if parent is None:
        return (link.get("class"),)
    above = parent.getparent()
    if above is None:
        return (link.get("class"), parent.tag, parent.get("class"))
    return (link.get("class"), parent.tag, parent.get("class"), above.tag, above.get("class"))


def _blocks(links: list[Element], holding_items: set[Element]) -> list[Element]:
    """Each link's block: its highest ancestor (a few levels up) that holds no other of
    the links and none of the profile's items."""
    chains = [[link, *_ancestors(link, holding_items)] for link in links]
    counts: dict[Element, int] = defaultdict(int)
    for chain in chains:
        for node in chain[1:]:
            counts[node] += 1
    blocks = []
    for chain in chains:
        block = chain[0]
        for node in chain[1:]:
            if counts[node] > 1:
                break
            block = node
        blocks.append(block)
    return blocks


def _ancestors(link: Element, holding_items: set[Element]) -> Iterable[Element]:
    for depth, node in enumerate(link.iterancestors()):
        if depth >= _BLOCK_DEPTH or node in holding_items:
            return
        yield node


def _dated(block: Element, link: Element) -> bool:
    """A date in the block beside its links: a <time>, a datetime attribute, a year in its text
    (outside the links: a year menu's links are no date beside a link)."""
    if block is link:
        return False
    if _DATETIME_BESIDE_LINKS(block):
        return True
    texts: list[str] = _TEXT_BESIDE_LINKS(block)  # type: ignore[assignment]  # text nodes, as plain strings
    return any(_YEAR.search(text) for text in texts)


def _inside(node: Element, regions: set[Element]) -> bool:
    return node in regions or any(ancestor in regions for ancestor in node.iterancestors())


def completed(
    reading: Sequence[RawItem], extra: Sequence[RawItem], root: Element, base: str
) -> tuple[list[RawItem], int, int] | None:
    """The profile's ``reading`` completed by the fallback's ``extra`` items of the same page
    (``root``, its links resolving against ``base``), in page order: the items, how many the
    fallback added and how many empty fields it filled; None when it adds nothing (the
    profile's reading stands). Items are one item by their link."""
    theirs: dict[str, RawItem] = {}
    for item in extra:
        theirs.setdefault(_key(base, item.url), item)
    filled = 0
    ours: list[RawItem] = []
    for item in reading:
        other = theirs.pop(_key(base, item.url), None)
        better, count = _filled(item, other) if other is not None else (item, 0)
        ours.append(better)
        filled += count
    if not theirs and not filled:
        return None
    return _in_page_order([*ours, *theirs.values()], root, base), len(theirs), filled


def _filled(item: RawItem, other: RawItem) -> tuple[RawItem, int]:
    changes: dict[str, str | None] = {}
    if not _has_date(item) and _has_date(other):
        changes.update(date_text=other.date_text, datetime_attr=other.datetime_attr, group_date=other.group_date)
    for name in ("label", "summary", "image"):
        if getattr(item, name) is None and getattr(other, name) is not None:
            changes[name] = getattr(other, name)
    filled = len(changes) - (2 if "date_text" in changes else 0)  # a date is one field, however many parts
    return (replace(item, **changes), filled) if changes else (item, 0)


def _in_page_order(items: list[RawItem], root: Element, base: str) -> list[RawItem]:
    """``items`` in the order their links first stand on the page (either reading's order
    alone cannot place an item the other lacks)."""
    first: dict[str, int] = {}
    links: list[Element] = _LINKS(root)  # type: ignore[assignment]  # the path selects only elements
    for number, link in enumerate(links):
        first.setdefault(_key(base, str(link.get("href"))), number)
    return sorted(items, key=lambda item: first.get(_key(base, item.url), len(first)))


def _key(base: str, href: str) -> str:
    """One article's link however the page writes it: absolute, either scheme, no fragment, no trailing slash."""
    try:
        parts = urlsplit(urljoin(base, href.strip()))
    except ValueError:
        return href
    host = parts.netloc.lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}?{parts.query}"
