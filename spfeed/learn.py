"""Layout profiles learned from history.

When a page's layout changes, the store still knows the items the page lists:
their titles, links, labels, dates, summaries and images. Finding those values
on the new page shows where each field now lives, and that is a profile:

1. each known item's link (by its canonical URL) and title (by its text);
2. its block: the highest ancestor of its title that holds no other known
   title, at one depth for all items;
3. an item selector per kind of block (a hero, cards) that matches every such
   block and, elsewhere, only blocks in the same kind of place (a new item
   beside them is the next news item; a menu's entry is not);
4. per field, the path from the block to the element that shows the stored
   value, generalized over the items, tried from the plainest selector
   (``span.when``, ``span``) to the longest (``div > h4 > a``): the first that
   reads every item's stored value, and nothing where an item had none, wins.
   Items that show a field in different elements get one selector each.

Selectors are made of tags, classes that every item shares and child
combinators, the kind ``selectors.py`` matches without XPath; positions
(``td:nth-of-type(2)``) only where nothing else tells elements apart. Ids and
one-off classes are never used, nor class names that look generated. The
profile is accepted only when ``parse_page`` with it reads the known items
back as stored (``Learned.known``); otherwise there is none.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from itertools import islice, permutations, takewhile
from math import ceil
from typing import TYPE_CHECKING

import msgspec

from .dates import DEFAULT_LANGUAGES
from .markup import img_url as element_img_url
from .markup import text_of
from .models import Item, RawItem, When
from .normalize import Context, absolute_url, canonical_url, clean_text, item_date, normalize_items
from .parse import (
    Profile,
    Selectors,
    declared_language,
    page_base_url,
    page_root,
    parse_page,
    read_attr,
    read_image,
    read_text,
    reading_order,
)
from .selectors import Descendants, compiled

if TYPE_CHECKING:
    from lxml.etree import _Element as Element

    from .categories import Taxonomy

MIN_KNOWN = 2
"""Known items that must be found on the page: one item has no pattern."""
_FIELDS = ("date", "datetime", "label", "summary", "image")
_IDENT = re.compile(r"-?[A-Za-z_][\w-]*")
# Class names a build tool made up (css-1x2y3z, sc-aXZVg, jsx-2749231190), and numbered ones (post-2214):
# they differ from item to item or change with every deploy. (A hash that all items share, e1f8s0k1, is
# kept: on a page of bare divs it is all that tells items apart, and the next deploy means a new profile.)
_GENERATED = re.compile(r"\d{3,}|^(?:css|sc|jsx|svelte|emotion|styled)-|^[a-z]+-[a-zA-Z0-9]*[A-Z][a-zA-Z0-9]*\d")
_NEXT_WORDS = frozenset(
    ("next", "next page", "older", "older posts", "older entries", "older news", "suivant", "page suivante",
     "suivante", "siguiente", "página siguiente")
)
_MAX_DATE_TEXT = 160
_PLACE_LEVELS = 3
"""Containers that say where an item block sits (its list, section, column)."""
_MAX_SAMPLE = 40
"""Known items the fields are derived from (locating a date costs a date parse per element)."""
_MAX_SHAPES = 4
"""Element shapes of one field whose orders are all tried (4! = 24 orders)."""
_MAX_TITLE_CLIMB = 4
"""Levels above a known link searched for the element that shows the title."""


class Learned(msgspec.Struct, frozen=True):
    """A profile derived from a page and the items it should read back."""

    profile: Profile
    known: int
    """Known items found on the page and read back as stored."""
    fields: tuple[str, ...]
    """The optional fields the profile reads (date, label, summary, image, ...)."""
    missing: tuple[str, ...] = ()
    """Fields the known items have that the page no longer shows."""


class _Found(msgspec.Struct):
    """A known item located on the page."""

    item: Item
    title: Element
    link: Element
    block: Element | None = None
    nodes: dict[str, Element] = msgspec.field(default_factory=dict)
    """Where each optional field's stored value stands in the block."""
    sampled: bool = False
    """Fields were derived from this item (see ``_sample``)."""
    repeat: bool = False
    """The item stands higher up on the page too."""


def linked_ids(html: str, page_url: str, *, base_url: str | None = None) -> list[str]:
    """The canonical URLs of the page's links: the store is asked which items it knows."""
    root = page_root(html)
    base = base_url or page_base_url(root, page_url)
    return list(dict.fromkeys(_link_ids(root, base).values()))


def learn_profile(
    html: str,
    page_url: str,
    known: Sequence[Item],
    *,
    name: str,
    base_url: str | None = None,
    timezone: str | None = None,
    languages: Iterable[str] = DEFAULT_LANGUAGES,
    page_first: bool = False,
    taxonomy: Taxonomy | None = None,
) -> Learned | None:
    """A profile that reads ``known`` items back from ``html``, or None.

    ``known`` are items as stored (or as another reading of the page found
    them); those not linked from the page are ignored.
    """
    root = page_root(html)
    base = base_url or page_base_url(root, page_url)
    # The page's own language too, as parse_page reads it when the learned profile is used.
    languages = reading_order(tuple(languages), declared_language(root), page_first=page_first)
    context = Context.for_page(base, timezone, languages, taxonomy)
    found = _locate(root, known, base)
    placed = _place_blocks(found) if len({f.item.id for f in found}) >= MIN_KNOWN else None
    if placed is None:
        return None
    found = placed
    item = _item_selector(root, found)
    if item is None:
        return None
    sample = _sample(found)
    title = _field_selector(sample, "title", lambda f: f.title, _reads_title(context))
    if title is None:
        return None
    # The title's own selector when it reads the link too: one element, as people write profiles.
    link = _field_selector(sample, "link", lambda f: f.link, _reads_link(context), first_try=title)
    if link is None:
        return None
    selectors: dict[str, Selectors] = {}
    missing = []
    for name_ in _FIELDS:
        selector = _optional_field(sample, name_, context)
        if selector is not None:
            selectors[name_] = selector
        elif name_ != "datetime" and any(_stored(f.item, name_) is not None for f in sample):
            missing.append(name_)
    if "datetime" in selectors:
        missing = [m for m in missing if m != "date"]
    next_page = _next_page_selector(root, base)
    profile = Profile(
        name=name,
        description=f"learned from {len({f.item.id for f in found})} known items",
        detect=item,
        item=item,
        title=title,
        link=link,
        next_page=(next_page,) if next_page else (),
        **selectors,  # type: ignore[arg-type]
    )
    if not _reads_back(html, page_url, base, profile, found, context):
        return None
    known_here = len({f.item.id for f in found})
    return Learned(profile=profile, known=known_here, fields=tuple(selectors), missing=tuple(missing))


# --- 1. finding the known items ---------------------------------------------------------


def _link_ids(root: Element, base: str) -> dict[Element, str]:
    ids = {}
    for anchor in root.iter("a"):
        href = anchor.get("href")
        url = absolute_url(href, base) if href else None
        if url is not None:
            ids[anchor] = canonical_url(url)
    return ids


def _locate(root: Element, known: Sequence[Item], base: str) -> list[_Found]:
    """Each place a known item stands on the page, in page order: an item listed
    twice (a top story that is also the latest news) stands in two places."""
    wanted = {item.id: item for item in known}
    anchors: dict[str, list[Element]] = {}
    for anchor, item_id in _link_ids(root, base).items():
        if item_id in wanted:
            anchors.setdefault(item_id, []).append(anchor)
    found = []
    for item_id, links in anchors.items():
        item = wanted[item_id]
        titles: dict[Element, list[Element]] = {}  # an image link and a title link share one title
        for link in links:
            title = _title_element(link, item.title)
            if title is not None:
                titles.setdefault(title, []).append(link)
        for title, near in titles.items():
            found.append(_Found(item=item, title=title, link=min(near, key=lambda a: _distance(a, title))))
    position = {element: number for number, element in enumerate(root.iter())}
    found.sort(key=lambda f: position[f.title])
    seen: set[str] = set()
    for f in found:
        f.repeat = f.item.id in seen
        seen.add(f.item.id)
    return found


def _title_element(link: Element, title: str) -> Element | None:
    """The deepest element near ``link`` whose text is the stored title."""
    for level in range(_MAX_TITLE_CLIMB + 1):
        scope = _ancestor(link, level)
        if scope is None:
            return None
        matches = [e for e in scope.iter() if isinstance(e.tag, str) and _clean(e, 500) == title]
        if matches:
            return matches[-1]  # document order: the last of nested matches is the deepest
    return None



def _ancestor(node: Element, level: int) -> Element | None:
    found: Element | None = node
    for _ in range(level):
        found = found.getparent() if found is not None else None
    return found


def _lineage(node: Element) -> list[Element]:
    """The node and its ancestors, nearest first."""
    return [node, *node.iterancestors()]


def _distance(a: Element, b: Element) -> int:
    above_a, above_b = _lineage(a), _lineage(b)
    common = set(above_b)
    for steps, node in enumerate(above_a):
        if node in common:
            return steps + above_b.index(node)
    return len(above_a) + len(above_b)


# --- 2. each item's block ---------------------------------------------------------------


def _place_blocks(found: list[_Found]) -> list[_Found] | None:
    """Set the block of each place an item stands, and return the places kept.

    A block holds its title and link and no other item's title. The items'
    blocks start at one depth above their titles (the tightest all allow);
    the blocks of one kind then grow to the largest each of them allows (a
    story's text grows to the story card, with its image). A repeat stays
    only in a kind of block that some item stands in first (not a sidebar's
    "recent posts"), and once per block. None when no depth fits all items.
    """
    lineages = {id(f): _lineage(f.title) for f in found}
    owners: dict[Element, set[str]] = {}
    for f in found:
        for node in lineages[id(f)]:
            owners.setdefault(node, set()).add(f.item.id)

    def alone(f: _Found) -> int:
        """How high the title can climb before its block would hold another item's title."""
        return sum(1 for _ in takewhile(lambda node: len(owners[node]) == 1, lineages[id(f)])) - 1

    def needed(f: _Found) -> int:
        """The block must be above the link too: a field selector finds descendants only."""
        lineage = lineages[id(f)]
        return lineage.index(f.link) + 1 if f.link in lineage else 1

    firsts = [f for f in found if not f.repeat]
    if not firsts:
        return None
    depth = max(min(map(alone, firsts)), max(map(needed, firsts)))
    if any(alone(f) < depth or not _holds(lineages[id(f)][depth], f.link) for f in firsts):
        return None
    kinds: dict[tuple[str, str | None], list[_Found]] = {}
    for f in firsts:
        kinds.setdefault(_kind_of(lineages[id(f)][depth]), []).append(f)
    for members in kinds.values():
        top = min(map(alone, members)) if len(members) > 1 else depth
        for f in members:
            f.block = lineages[id(f)][top]
    listings = {_kind(f) for f in firsts}
    for f in found:
        if f.repeat:
            levels = range(needed(f), alone(f) + 1)
            f.block = next((lineages[id(f)][n] for n in levels if _kind_of(lineages[id(f)][n]) in listings), None)
    blocks: set[Element] = set()
    kept = []
    for f in found:
        if f.block is not None and f.block not in blocks:
            blocks.add(f.block)
            kept.append(f)
    return kept


def _holds(block: Element, node: Element) -> bool:
    return node is block or block in node.iterancestors()


def _kind(f: _Found) -> tuple[str, str | None]:
    assert f.block is not None
    return _kind_of(f.block)


def _kind_of(block: Element) -> tuple[str, str | None]:
    """A kind of block: its tag and first stable class (a hero, a card, a row)."""
    classes = _stable_classes(block)
    return (str(block.tag), classes[0] if classes else None)


def _kinds(found: list[_Found]) -> list[list[_Found]]:
    """The items grouped by the kind of their block (a hero and cards, say), in page order."""
    kinds: dict[tuple[str, str | None], list[_Found]] = {}
    for f in found:
        kinds.setdefault(_kind(f), []).append(f)
    return list(kinds.values())


def _item_selector(root: Element, found: list[_Found]) -> str | None:
    """A selector list with one selector per kind of block."""
    selectors = []
    for kind in _kinds(found):
        selector = _kind_selector(root, [f.block for f in kind if f.block is not None])
        if selector is None:
            return None
        selectors.append(selector)
    return ", ".join(dict.fromkeys(selectors))


def _kind_selector(root: Element, blocks: list[Element]) -> str | None:
    """The plainest selector that matches every block, and elsewhere only blocks
    in the same kind of place (the next news item, not a menu's entry).

    Tried in order: the blocks' own tag and classes, then with one, two, three
    levels of their containers (``section > ul > li`` on a page without classes).
    """
    places = {_place(block) for block in blocks}
    own = _compound(blocks)
    subjects = [own.css] if own.classes else []
    if own.tag:
        subjects.append(own.tag)
    candidates = [_Compound(own.tag, own.classes[:1]).css, own.css] if own.classes else []
    context: list[str] = []
    level = [block.getparent() for block in blocks]
    for _ in range(_PLACE_LEVELS):
        if any(e is None for e in level):
            break
        container = _compound([e for e in level if e is not None])
        if not container.css:
            break
        context.insert(0, container.css)
        candidates += [" > ".join([*context, subject]) for subject in reversed(subjects)]
        level = [e.getparent() for e in level if e is not None]
    for candidate in dict.fromkeys(candidates):
        matches = compiled(candidate).select(root)
        if set(blocks) <= set(matches) and all(_place(m) in places for m in matches):
            return candidate
    return None


def _place(element: Element) -> tuple[tuple[str, frozenset[str]], ...]:
    """What an element sits in: the tags and classes of its nearest containers."""
    return tuple(_signature(a) for a in islice(element.iterancestors(), _PLACE_LEVELS))


def _signature(element: Element) -> tuple[str, frozenset[str]]:
    return (str(element.tag), frozenset(_stable_classes(element)))


class _Compound(msgspec.Struct, frozen=True):
    """The tag and stable classes some elements share: a CSS compound selector."""

    tag: str | None
    classes: tuple[str, ...]

    @property
    def css(self) -> str:
        return (self.tag or "") + "".join(f".{c}" for c in self.classes)


def _compound(elements: Sequence[Element]) -> _Compound:
    """The tag and the stable classes that all ``elements`` share."""
    tags = {e.tag for e in elements}
    tag = next(iter(tags)) if len(tags) == 1 and isinstance(next(iter(tags)), str) else None
    first, *others = [_stable_classes(e) for e in elements] or [[]]
    shared = tuple(c for c in first if all(c in rest for rest in others))
    return _Compound(tag=tag, classes=shared)


def _stable_classes(element: Element) -> list[str]:
    words = (element.get("class") or "").split()
    return [w for w in dict.fromkeys(words) if _IDENT.fullmatch(w) and not _GENERATED.search(w)]


# --- 4. field selectors -----------------------------------------------------------------


def _sample(found: list[_Found]) -> list[_Found]:
    """At most about ``_MAX_SAMPLE`` items: the first ones in a row (a pattern that
    repeats every few items shows there), more spread over the page, and the
    first of each kind of block. Fields are derived from these; the check
    (``_reads_back``) still reads every known item.
    """
    if len(found) <= _MAX_SAMPLE:
        chosen = {id(f) for f in found}
    else:
        half = _MAX_SAMPLE // 2
        step = (len(found) - half) / half
        spread = [found[half + int(n * step)] for n in range(half)]
        chosen = {id(f) for f in (*found[:half], *spread, *(kind[0] for kind in _kinds(found)))}
    sample = [f for f in found if id(f) in chosen]
    for f in sample:
        f.sampled = True
    return sample


Reader = Callable[[Descendants, Selectors], object]
"""Reads one field of a block with selectors, normalized as the store keeps it."""


def _field_selector(
    found: list[_Found],
    name: str,
    node_of: Callable[[_Found], Element | None],
    read: Reader,
    first_try: Selectors = (),
) -> Selectors | None:
    """Selectors that read every located item's stored value, and None for every
    item that has no value.

    Items whose field stands in different elements (a hero's ``h1`` and the
    cards' ``span``; a range's ``p`` and a day's ``time``) get one selector
    each, plainest first, and the list is ordered so that each block's first
    match is its own.
    """
    blocks = {id(f): Descendants(f.block) for f in found if f.block is not None}

    def agree(items: Iterable[_Found], selectors: Selectors) -> bool:
        return all(_agrees(read(blocks[id(f)], selectors), f, name, node_of(f) is not None) for f in items)

    if first_try and agree(found, first_try):
        return first_try
    shapes: dict[tuple[int, object], list[tuple[_Found, Element]]] = {}
    for number, kind in enumerate(_kinds(found)):
        for f in kind:
            node = node_of(f)
            if node is not None:
                shapes.setdefault((number, _signature(node)), []).append((f, node))
    # Where an item has no value, every selector of the list must find nothing.
    empty = [f for f in found if _stored(f.item, name) is None]
    picks = []
    for pairs in shapes.values():
        candidates = _candidates([(f.block, node) for f, node in pairs if f.block is not None])
        pick = next((c for c in candidates if agree([*(f for f, _ in pairs), *empty], (c,))), None)
        if pick is None:
            return None
        picks.append(pick)
    orders = permutations(picks) if len(picks) <= _MAX_SHAPES else iter([tuple(picks)])
    for order in orders:
        selectors = tuple(dict.fromkeys(order))
        if selectors and agree(found, selectors):
            return selectors
    return None


def _agrees(value: object, f: _Found, name: str, located: bool) -> bool:
    # Where the stored value was not found (the page no longer shows it, or shows it
    # otherwise), reading nothing is fair; reading something else would rewrite history.
    return value == _stored(f.item, name) or (not located and value is None)


def _candidates(pairs: list[tuple[Element, Element]]) -> list[str]:
    """Selectors for the element of each (block, node) pair, plainest first."""
    paths = [_path(block, node) for block, node in pairs]
    last = _compound([path[-1] for path in paths])
    candidates = []
    if last.classes:
        candidates.append(last.css)
    if last.tag:
        candidates.append(last.tag)
    if all(len(path) >= 2 for path in paths):
        parent = _compound([path[-2] for path in paths])
        if parent.css and last.css:
            candidates += [f"{parent.css} > {last.css}", f"{parent.css} > {last.tag or last.css}"]
    if len({len(path) for path in paths}) == 1:
        # The whole path from the block, anchored at the block when its kind has a name
        # (another kind of block may hold the same path: a card's date where a row has a teaser).
        block = _compound([b for b, _ in pairs]).css
        steps = [_compound([path[k] for path in paths]) for k in range(len(paths[0]))]
        if all(step.css for step in steps):
            whole = " > ".join(step.css for step in steps)
            candidates += [whole, f"{block} > {whole}" if block else ""]
        # Last, positions (a table's second cell): cssselect's XPath reads these, not the fast path.
        positions = [_position(paths, k) for k in range(len(paths[0]))]
        if all(positions):
            whole = " > ".join(p or "" for p in positions)
            candidates += [positions[-1] or "", whole, f"{block} > {whole}" if block else ""]
    return list(dict.fromkeys(c for c in candidates if c))


def _position(paths: list[list[Element]], step: int) -> str | None:
    """``td:nth-of-type(2)`` when every path's element at ``step`` has that tag and place."""
    elements = [path[step] for path in paths]
    tags = {e.tag for e in elements}
    places = {sum(1 for _ in e.itersiblings(e.tag, preceding=True)) + 1 for e in elements}
    if len(tags) != 1 or len(places) != 1:
        return None
    return f"{elements[0].tag}:nth-of-type({places.pop()})"


def _path(block: Element, node: Element) -> list[Element]:
    """The elements from the block's child down to ``node``."""
    lineage = _lineage(node)
    return lineage[: lineage.index(block)][::-1]


def _optional_field(found: list[_Found], name: str, context: Context) -> Selectors | None:
    """A selector for an optional field, when enough known items show it."""
    having = [f for f in found if _stored(f.item, name) is not None]
    locate = _LOCATORS[name]
    for f in having:
        node = locate(f, context)
        if node is not None:
            f.nodes[name] = node
    items = {f.item.id for f in having}
    located = {f.item.id for f in having if name in f.nodes}  # in any of the places an item stands
    # Most items must show it: one item whose text happens to match is no pattern.
    if not items or len(located) < max(1, ceil(len(items) * 2 / 3)):
        return None
    return _field_selector(found, name, lambda f: f.nodes.get(name), _READERS[name](context))


def _stored(item: Item, name: str) -> object:
    if name in ("date", "datetime"):
        return item.published
    return {"title": item.title, "link": item.id, "label": item.category, "summary": item.summary,
            "image": item.image}[name]


def _clean(element: Element, limit: int | None = None) -> str | None:
    return clean_text(text_of(element), limit=limit)


def _deepest(f: _Found, accept: Callable[[Element], bool]) -> Element | None:
    """The first of the deepest elements in the block that ``accept`` takes."""
    assert f.block is not None
    matches = [e for e in f.block.iterdescendants() if isinstance(e.tag, str) and accept(e)]
    inner = [e for e in matches if not any(m is not e and e in m.iterancestors() for m in matches)]
    return inner[0] if inner else None


def _locate_text(value: str | None, limit: int | None) -> Callable[[Element], bool]:
    return lambda e: value is not None and _clean(e, limit) == value


def _date_of(text: str | None, attr: str | None, context: Context) -> When | None:
    return item_date(RawItem(title="", url="", date_text=text, datetime_attr=attr), context)


def _locate_date(f: _Found, context: Context) -> Element | None:
    def shows_date(e: Element) -> bool:
        text = text_of(e)
        return len(text) <= _MAX_DATE_TEXT and _date_of(text, None, context) == f.item.published

    return _deepest(f, shows_date)


def _locate_datetime(f: _Found, context: Context) -> Element | None:
    if "date" in f.nodes:
        return None  # the visible date reads it already
    return _deepest(f, lambda e: _date_of(None, e.get("datetime"), context) == f.item.published)


def _locate_image(f: _Found, context: Context) -> Element | None:
    def shows_image(e: Element) -> bool:
        return e.tag == "img" and absolute_url(element_img_url(e), context.base_url) == f.item.image

    return _deepest(f, shows_image)


_LOCATORS: dict[str, Callable[[_Found, Context], Element | None]] = {
    "date": _locate_date,
    "datetime": _locate_datetime,
    "label": lambda f, context: _deepest(f, _locate_text(f.item.category, None)),
    "summary": lambda f, context: _deepest(f, _locate_text(f.item.summary, 4000)),
    "image": _locate_image,
}


def _reads_title(context: Context) -> Reader:
    return lambda block, selector: clean_text(read_text(block, selector), limit=500)


def _reads_link(context: Context) -> Reader:
    def read(block: Descendants, selector: Selectors) -> str | None:
        url = absolute_url(read_attr(block, selector), context.base_url)
        return canonical_url(url) if url else None

    return read


def _reads_date(context: Context) -> Reader:
    return lambda block, selector: _date_of(read_text(block, selector), None, context)


def _reads_datetime(context: Context) -> Reader:
    return lambda block, selector: _date_of(None, read_attr(block, selector, "datetime"), context)


def _reads_label(context: Context) -> Reader:
    return lambda block, selector: clean_text(read_text(block, selector))


def _reads_summary(context: Context) -> Reader:
    return lambda block, selector: clean_text(read_text(block, selector), limit=4000)


def _reads_image(context: Context) -> Reader:
    return lambda block, selector: absolute_url(read_image(block, selector), context.base_url)


_READERS: dict[str, Callable[[Context], Reader]] = {
    "date": _reads_date,
    "datetime": _reads_datetime,
    "label": _reads_label,
    "summary": _reads_summary,
    "image": _reads_image,
}


def _next_page_selector(root: Element, base: str) -> str | None:
    """A selector for the page's "next" link: rel="next", else a link that says "next"."""
    for selector in ('a[rel~="next"]', 'link[rel~="next"]'):
        if compiled(selector).select_one(root) is not None:
            return selector
    for anchor in root.iter("a"):
        words = (clean_text(text_of(anchor)) or "").casefold().strip(" ›»>→")
        if words in _NEXT_WORDS and not (anchor.get("href") or "#").startswith("#"):
            parent = anchor.getparent()
            own = _compound([anchor])
            options = [own.css] if own.classes else []
            if parent is not None and _compound([parent]).css:
                options.append(f"{_compound([parent]).css} > a")
            for option in options:
                if compiled(option).select_one(root) is anchor:
                    return option
    return None


# --- 5. the check -----------------------------------------------------------------------


def _reads_back(html: str, page_url: str, base: str, profile: Profile, found: list[_Found], context: Context) -> bool:
    """Whether the profile, run as a refresh runs it, reads the known items as stored."""
    parsed = parse_page(html, page_url, base_url=base, profile=profile.name, profiles=(profile,))
    read = {item.id: item for item in normalize_items(parsed.items, context)}
    places: dict[str, list[_Found]] = {}
    for f in found:
        places.setdefault(f.item.id, []).append(f)
    # A block the profile reads that no known item stands in must look like the news: what every
    # known item shows (a date, say), it shows too. A menu's links do not.
    always = [n for n in ("date", "label", "summary", "image") if all(_stored(w[0].item, n) for w in places.values())]
    if any(any(_stored(item, n) is None for n in always) for item_id, item in read.items() if item_id not in places):
        return False
    for item_id, where in places.items():
        stored, got = where[0].item, read.get(item_id)
        if got is None or got.title != stored.title:
            return False
        for name in (n for n in _FIELDS if getattr(profile, n)):
            # Nothing read where the value was found in none of the item's sampled places: a
            # value the page no longer shows (drift.py keeps it). Anything else must be as stored.
            unseen = any(f.sampled for f in where) and not any(name in f.nodes for f in where)
            if _stored(got, name) != _stored(stored, name) and not (unseen and _stored(got, name) is None):
                return False
    return True


# --- the profile as a [[profile]] table -------------------------------------------------

_TOML_KEYS = ("name", "description", "detect", "item", "title", "link", "date", "datetime", "label", "summary",
              "image", "next_page")


def profile_toml(profile: Profile, comments: Sequence[str] = ()) -> str:
    """``profile`` as a ``[[profile]]`` table that ``load_profiles`` reads back."""
    lines = [f"# {line}" if line else "#" for line in comments]
    lines.append("[[profile]]")
    for key in _TOML_KEYS:
        value = getattr(profile, key)
        if not value:
            continue
        if isinstance(value, tuple):
            text = _toml_string(value[0]) if len(value) == 1 else "[" + ", ".join(map(_toml_string, value)) + "]"
        else:
            text = _toml_string(value)
        lines.append(f"{key} = {text}")
    return "\n".join(lines) + "\n"


def _toml_string(value: str) -> str:
    # JSON's escapes are TOML's, but for DEL, which TOML wants escaped.
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
