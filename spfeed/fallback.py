"""The generic fallback: no layout profile knows this page, so read its structure.

A listing is a set of item blocks of one shape, each with the article's
link. The fallback finds them from the links outward:

1. Links that stand in the same place (their tag and first class, their rank
   among sibling links, their parent's and grandparent's) are one *slot* of
   a repeated item. Walking up from a slot's links, the item block is the
   highest ancestor shape that every link has and no two links share: ``li``
   in a list, ``tr`` in a table, the card around a card's link, the link
   itself when it is the whole card. A few links that share a block where
   the others do not (a header row above a table's rows) leave the slot.
2. Blocks of one slot nested in each other (an unclosed ``<div>`` swallowed
   the next items) are still separate items: each keeps only what is not
   another item's. Blocks that are siblings with other elements between them
   (``dt`` + ``dd``, a heading and its paragraphs) take those elements; where
   an ``<hr>`` stands between every two of them, it bounds them.
3. Blocks in page chrome are dropped. Chrome is known by structure and ARIA
   first (``nav``, ``aside``, a search ``form``, the page's own ``header``
   and ``footer``, ``role="navigation"``, ``"search"``, ``"dialog"``…, the
   ``hidden`` attribute), then by the words of class and id names
   (breadcrumbs, pagination, language switchers, sidebars, related links,
   share bars, cookie banners), or of a box's title ("Related news").
4. Every region of blocks (one shape in one container) is kept, in page
   order (a featured box and the list, "Top stories" and "Latest news"), if
   most of its items have a heading or a date; a lone block counts when it
   has a heading, a link and a date. One article listed twice is one item,
   at its first place.
5. In each block, the title is the heading that holds (or is held by) a
   link, else the longest link text that is not a "Read more", a photo
   credit, a byline or a link that several items share (a category); a
   link to another language version (``hreflang``) or inside a sentence is
   neither a title nor a label. The date is the first date line, or a more
   exact one of the same day (its range, its time; its pieces read
   together), with a ``<time datetime>``; else a day and month without a
   year, which the year heading above completes (normalize).
   The label is a short line (or a category link) in a place where other
   items of the region have one too, above, below or inside the title (the
   value, when the line names its field; not a reading time or a reference
   number); else a link in the date line.
   The type before a date stays in the date text: normalize makes it the
   label of an item with none. The summary is the first longer line.
   An item whose text shows no date takes, as a last resort, a date a
   reader sees only as a tooltip or an icon's alt text, else the day in its
   link's path (``/2023/09/17/``).
6. A region read as no listing whose blocks take turns in two or three shapes
   (a link aggregator's title row, subtext row) is read again, each turn one
   block; a table's category rows (one cell across the row) are no items and
   label the rows below them.

It reads the tree parse.py built (lxml), and a long region the way a
profile reads a page: once a sample of its blocks, read in full, has shown
where each field stands (see ``_read_region``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from functools import lru_cache
from itertools import islice, pairwise
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

import msgspec
from msgspec.structs import replace

from .dates import BYLINE, DEFAULT_LANGUAGES, in_ascii_digits
from .markup import img_url, joined, text_of, tree
from .models import RawItem
from .numbers import whole_number
from .words import field_names, phrases

if TYPE_CHECKING:
    from .models import When

log = logging.getLogger(__name__)

Element = Any
"""An lxml element (typed loosely: lxml's stubs do not cover what is used here)."""

_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
# Never item content: code, controls, and the regions that are chrome wherever they are.
_SKIPPED = frozenset(
    ("script", "style", "template", "noscript", "select", "button", "form", "iframe", "svg", "nav", "aside", "dialog")
)
_PAGE_PARTS = frozenset(("header", "footer"))  # page chrome, unless inside an article
_CHROME_ROLES = frozenset(
    ("navigation", "banner", "contentinfo", "search", "menu", "menubar", "complementary", "dialog", "alertdialog",
     "toolbar", "tablist")
)
_CHROME_WORDS = re.compile(
    r"(?:^|-)(?:nav|navbar|navigation|menu|breadcrumbs?|pagination|pager|paging|languages?|language-switcher"
    r"|lang-switcher|related|social|share|sharing|skip|sidebar|utility|widget|cookies?|consent|gdpr|toolbar"
    r"|lateral|laterale|relacionad[ao]s?|connexes?)(?:-|$)"
)
_PAGE_PART_WORDS = re.compile(r"(?:^|-)(?:header|footer|masthead|colophon)(?:-|$)")
_MAX_DATE_TEXT = 80  # a date line; longer text is a summary that mentions a date
_MAX_LABEL_TEXT = 60
_MAX_LABEL_WORDS = 10
_MIN_SUMMARY = 40

# Not titles or labels: "Read more" links, photo credits, bylines (en, fr, es).
_READ_MORE = re.compile(
    r"(?:read|learn|see|find out|view|show)(?: the)? (?:more|full story|article|all)|more|continue reading"
    r"|lire (?:la suite|plus)|en savoir plus|voir (?:plus|tout)|suite|plus"
    r"|leer (?:más|mas)|ver (?:más|mas|todo)|seguir leyendo|más información|mas informacion|saber más|más"
    # "Read on ilo.org", "Lire sur ilo.org", "Leer en ilo.org": the article is on another site
    r"|(?:read(?: more)?|continue reading) (?:it )?on (?:the )?\S+(?: (?:web)?site)?"
    r"|lire (?:la suite )?sur (?:le site (?:web )?(?:de |d['’]))?\S+|leer (?:más )?en (?:el sitio (?:web )?de )?\S+",
    re.IGNORECASE,
)
# A photo credit: "© ILO", "Photo: ILO/J. Doe", "Crédit photo : OIT", "Foto: OIT" (not "Photo essay: …").
_CREDIT = re.compile(
    r"^(?:©|\(c\)|copyright\b|(?:photos?|fotos?|images?|imagen|credits?|crédits?|créditos?)"
    r"(?:\s+(?:photos?|fotos?|images?|de\s+(?:la\s+)?(?:foto|imagen)))?\s*(?::|by\b|par\b|por\b|©))",
    re.IGNORECASE,
)
_DATE_KIND = re.compile(r"(?P<kind>[^\d|·•—–]*[^\d|·•—–\s])\s*[|·•—–]\s*\S*\d")
"""A type before a date: "Press release | 1 March 2023", "Artículo — 28 de julio de 2022"."""
_READING_TIME = re.compile(
    r"\b\d+\s*(?:min(?:utes?|utos?)?\.?|mn)\s*(?:read|de lecture|de lectura|lecture|lectura)\b"
    r"|\b(?:reading time|temps de lecture|tiempo de lectura|lectura de)\s*:?\s*\d+",
    re.IGNORECASE,
)
"""A reading time ("3 min read", "3 min de lecture", "Lectura de 2 min"): about the article, not its label."""
_COUNT = re.compile(
    r"^\d[\d,.\s\u00a0]*(?:k\s*)?(?:views?|comments?|likes?|shares?|reads?|notes?|replies|reply"
    r"|vues?|commentaires?|lectures?|réponses?"
    r"|vistas?|visitas?|comentarios?|lecturas?|notas?|respuestas?|me gusta)$",
    re.IGNORECASE,
)
"""A count ("412 views", "7 commentaires", "1.208 visitas", a blog's "12 notas"): how the article did, not its label."""
_DOWNLOAD = re.compile(
    r"^\W*(?:pdf|docx?|xlsx?|pptx?|odt|rtf|csv|zip|epub|mp3|mp4)\b|\b\d+(?:[.,]\d+)?\s*(?:[kmg]i?b|[kmg]o|bytes|octets)\b",
    re.IGNORECASE,
)
"""A file's format or size ("(PDF, 2 MB)", "[DOCX 350 Ko]"): about the download, not the item's label."""
_PRINTED_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
"""A link's address printed under it (print versions, e-mails): not a label or a summary."""
_HOST_NAME = re.compile(r"[(\[]?(?:[a-z0-9-]+\.)+[a-z]{2,6}[)\]]?")
"""A bare host name beside a link ("ilo.org", "(news.un.org)"): where it leads, not a label."""
_PUNCTUATION = " \t\n\u00a0.:;,!?…»«>›→←‹<()[]|-–—/\\\"'"


def fallback_items(page: str | Element, languages: tuple[str, ...] = DEFAULT_LANGUAGES) -> tuple[list[RawItem], int]:
    """The items of every listing region of a page, in page order, and how many blocks had none.

    ``page`` is the HTML or the tree parse.py built from it; ``languages``, those its dates are
    written in (CLDR codes, as ``parse_date`` takes them).
    """
    token = _LANGUAGES.set((languages, _DATES.setdefault(languages, {})))
    try:
        root = tree(page) if isinstance(page, str) else page
        _unnest_list_items(root)
        _unnest_card_links(root)
        return _items_of(root, may_join=True)
    finally:
        _LANGUAGES.reset(token)


_DATES: dict[tuple[str, ...], dict[str, When | None]] = {}
"""What each text read as a date gave, by the languages it was read in (``_date_of``)."""
_LANGUAGES: ContextVar[tuple[tuple[str, ...], dict[str, When | None]]] = ContextVar(
    "page_languages", default=(DEFAULT_LANGUAGES, _DATES.setdefault(DEFAULT_LANGUAGES, {}))
)
"""The languages of the page being read, and its dates read so far: every rule that asks whether
a text is a date asks it in them (a context variable rather than an argument through every reader)."""


_LISTS = frozenset(("ul", "ol", "menu"))


def _unnest_list_items(root: Element) -> None:
    """Each <li> that an unclosed tag put inside the one before it ("<LI><a href=…><img …><LI>": libxml2
    keeps the <a> open, and the next <li> in it) moved after that one, as a browser's parser leaves it."""
    moved_after: dict[Element, Element] = {}  # the last <li> moved out of each: the next one goes after it
    after_list: list[tuple[Element, list[Element]]] = []
    for item in list(root.iter("li")):
        if item.getparent().tag in _LISTS:
            continue  # most items: straight in their list
        outer = _enclosing_item(item)
        while outer is not None:
            if outer not in moved_after and outer.getparent().tag in _LISTS:
                after_list.append((outer.getparent(), _following_in(outer, item)))
            before: Element = moved_after.get(outer, outer)
            before.addnext(item)
            moved_after[outer] = item
            outer = _enclosing_item(item)
    # What followed the items there came after the list (a browser's </ul> closes what was left open):
    # the pager, a sidebar, not the item's.
    for listing, following in after_list:
        for node in reversed(following):
            listing.addnext(node)


def _following_in(outer: Element, item: Element) -> list[Element]:
    """The elements after ``item`` inside ``outer``, in page order, but items and what holds some."""
    found = []
    node = item
    while node is not outer:
        found += [sibling for sibling in node.itersiblings() if sibling.tag != "li"
                  and all(_enclosing_item(li) is None for li in sibling.iter("li"))]
        node = node.getparent()
    return found


def _unnest_card_links(root: Element) -> None:
    """Each link around blocks (a card) that a tag left open in the card before it put inside that card's
    link moved after it: links cannot hold links, and a browser's parser closes the open one."""
    moved_after: dict[Element, Element] = {}
    for link in _links_in_links()(root):  # most pages: none (one XPath, in C: a fifth of a loop's time)
        outer = next(link.iterancestors("a"), None)
        if outer is None or next(link.iterdescendants(*_BLOCK_TAGS), None) is None:
            continue  # moved out with the link it was in; or words in a link, part of its text
        before: Element = moved_after.get(outer, outer)
        before.addnext(link)  # lxml moves the link's tail with it, as it was text after the link
        moved_after[outer] = link


@lru_cache(maxsize=1)
def _links_in_links() -> Any:
    from lxml.etree import XPath

    return XPath("//a//a")


def _enclosing_item(item: Element) -> Element | None:
    """The <li> an <li> is in with no list of its own between them (a nested list's items are its own)."""
    for node in item.iterancestors():
        if node.tag in _LISTS or node.tag in ("table", "body"):
            return None
        if node.tag == "li":
            return node
    return None


def _items_of(root: Element, *, may_join: bool) -> tuple[list[RawItem], int]:
    chrome = _Chrome(_skip_target(root))
    links = [
        a for a in _links_of(root)
        if _usable_href(a.get("href")) and not _inert_copy(a) and not _version_link(a) and not _in_a_sentence(a)
    ]
    share = _share_links(links)
    if share:
        links = [a for a in links if a not in share]
    blocks = _item_blocks(links, chrome)
    if may_join and any(_placed(block.elements[0]) for block in blocks) and _join_placed_lines(root):
        return _items_of(root, may_join=False)  # a PDF's lines, placed one by one, read as the text they wrap
    found, skipped = _listing(blocks)
    if len(found) < _MIN_SIBLINGS:
        # The slots found no listing, or one or two items (one utility class on every element
        # makes every link's place alike): a plainer reading of the page's repeated blocks
        # is the listing if it finds more.
        siblings = _sibling_blocks(links, chrome)
        more, missed = _listing(siblings)
        if len(more) > len(found):
            found, skipped = more, missed
        # Nothing headed or dated anywhere ("2 days ago"): titles with teasers are still a listing.
        for loose in (blocks, siblings):
            if not found:
                found, skipped = _listing(loose, loose=True)
    return _merge_repeats([one.item for one in found]), skipped


def _listing(blocks: list[_Block], *, loose: bool = False) -> tuple[list[_Found], int]:
    """The items of the blocks' regions that are a listing, in page order, and how many blocks had none.

    ``loose``: a region whose every item has a title and a teaser is a listing too.
    """
    months = _MonthHeadings(blocks)
    regions: list[list[_Found]] = []
    read: list[list[_Block]] = []
    skipped = 0
    for region in _regions(blocks):
        region, categories = _under_category_rows(region)
        items, missed = _read_region(region, months, loose)
        rows = None if items else _rows_taking_turns(region)
        if rows is not None:
            items, missed = _read_region(rows, months, loose)
        if categories:
            items = [_in_category(one, categories) for one in items]
        regions.append(items)
        read.append(region)
        skipped += missed
    _lone_items_read_with_their_listing(read, regions, months)
    # On a page whose listings are dated, a region with no date at all (people,
    # topics, a list of publications' titles) is not news.
    if any(_dated(items) * 2 > len(items) for items in regions):
        regions = [items for items in regions if _dated(items)]
    # Beside a listing of pages, a shorter table of PDFs ("Related documents") is attachments, not news.
    pages = max((len(items) for items in regions if items and not _documents_only(items)), default=0)
    if pages:
        regions = [items for items in regions if len(items) > pages or not _documents_only(items)]
    regions = _without_picks(regions)
    regions = [items for items in regions if not any(_set_among(items, other) for other in regions)]
    regions = _without_notices(regions)
    return sorted((one for items in regions for one in items), key=lambda one: one.block.first_link), skipped


def _lone_items_read_with_their_listing(read: list[list[_Block]], regions: list[list[_Found]],
                                        months: _MonthHeadings) -> None:
    """A section of one block that one slot found with a listing's blocks, of their shape ("Featured"
    above "Latest news", each in a list of its own), is read with them: one of their items. Not
    when it is undated and they are (an "All news" link in their template)."""
    listings = {(region[0].group, region[0].shape): (region, items)
                for region, items in zip(read, regions, strict=True) if len(items) > 1 and region[0].group >= 0}
    for k, region in enumerate(read):
        home = listings.get((region[0].group, region[0].shape)) if len(region) == 1 and not regions[k] else None
        if home is None:
            continue
        again, _ = _read_blocks(home[0][:_SAMPLE] + region, months)
        # A title says something: a site's name in the page's header ("ILO Intranet") names a place.
        lone = [one for one in again if one.block is region[0] and len(one.item.title.split()) >= _MIN_TITLE_WORDS]
        if _dated(lone) or _dated(home[1]) * 2 <= len(home[1]):
            regions[k] = lone


_NO_CATEGORY = re.compile(
    r"\(?(?:uncategori[sz]ed|no category|non catégorisée?s?|sans catégorie|sin categor[ií]a|sin categorizar)\)?",
    re.IGNORECASE,
)
"""'(Non catégorisé)', 'Uncategorized': the row of the items that have no category."""


def _under_category_rows(region: list[_Block]) -> tuple[list[_Block], dict[Element, str | None]]:
    """A table's category rows (a database view: one cell across the row, a short name, above the
    rows it groups) are no items: the region without them, and each row's category (its label).

    Nothing changes in a region of other blocks, or a table without such rows.
    """
    if region[0].elements[0].tag != "tr":
        return region, {}
    mine = {block.elements[0] for block in region}
    categories: dict[Element, str | None] = {}
    current: str | None = None
    heads: set[Element] = set()
    for row in region[0].elements[0].getparent().iterchildren("tr"):
        name = _category_row(row)
        if name is not None:
            heads.add(row)
            current = None if _NO_CATEGORY.fullmatch(name) else name
        elif row in mine:
            categories[row] = current
    items = [block for block in region if block.elements[0] not in heads]
    if not heads or not items:
        return region, {}
    return items, categories


def _category_row(row: Element) -> str | None:
    """The name a row gives, if its only cell spans the table's columns and holds a short name."""
    cells = [cell for cell in row if cell.tag in ("td", "th")]
    span = whole_number(cells[0].get("colspan")) if len(cells) == 1 else None
    if span is None or span < 2:
        return None
    name = " ".join(text_of(cells[0]).split())
    return name if name and _label_like(name) else None


def _in_category(one: _Found, categories: dict[Element, str | None]) -> _Found:
    name = categories.get(one.block.elements[0])
    if name is None or one.item.label is not None:
        return one
    return replace(one, item=replace(one.item, label=name))


def _rows_taking_turns(region: list[_Block]) -> list[_Block] | None:
    """A region read as no listing whose blocks take turns in two or three shapes (a link
    aggregator's table: a row with the title, a row with its points, age and comments): each
    turn of the cycle, from the first block, is one item's block. None if they take no turns.
    """
    shapes = [_row_shape(block) for block in region]
    for size in (2, 3):
        cycle = shapes[:size]
        if len(set(cycle)) < size:
            continue
        turns = 0
        while shapes[turns * size : (turns + 1) * size] == cycle:
            turns += 1
        if turns >= _MIN_SIBLINGS:
            return [_joined_blocks(region[turn * size : (turn + 1) * size]) for turn in range(turns)]
    return None


def _row_shape(block: _Block) -> tuple[tuple[str, str | None], ...]:
    """What a block is made of: its first element's children's signatures (and a cell's span)."""
    return tuple((_signature(child), child.get("colspan")) for child in block.elements[0])


def _joined_blocks(blocks: list[_Block]) -> _Block:
    return replace(
        blocks[0],
        elements=[element for block in blocks for element in block.elements],
        nested=set().union(*(block.nested for block in blocks)),
    )


_PLACED = re.compile(r"position\s*:\s*absolute", re.IGNORECASE)
_LEFT = re.compile(r"(?:^|;)\s*left\s*:\s*([^;]+)", re.IGNORECASE)


def _join_placed_lines(root: Element) -> bool:
    """Lines placed one by one (a PDF converted to HTML: every line an absolutely placed ``<p>``)
    joined back into the text they wrap: the next sibling line of the same font (class) at the
    same left edge continues it, and a title's line linked apart continues its link. Whether
    any were.

    Edits the tree, to what the page shows (parse.py looks only for the next page's link in it
    afterwards). Asked only of a page whose item blocks are placed lines: its XPath would cost
    3 ms on the 2,000-item page.
    """
    joined = False
    for first in root.xpath("//p[contains(@style, 'absolute')][1]"):
        current = None
        for line in [p for p in first.getparent() if _placed(p)]:
            if current is not None and _continues(current, line):
                _append_line(current, line)
                joined = True
            else:
                current = line
    return joined


def _placed(node: Element) -> bool:
    return node.tag == "p" and _PLACED.search(node.get("style") or "") is not None


def _continues(above: Element, below: Element) -> bool:
    if above.get("class") != below.get("class"):
        return False
    left, other = _LEFT.search(above.get("style") or ""), _LEFT.search(below.get("style") or "")
    same_edge = left is not None and other is not None and left.group(1).strip() == other.group(1).strip()
    return same_edge and _next_element(above) is below


def _next_element(node: Element) -> Element | None:
    after = node.getnext()
    while after is not None and not isinstance(after.tag, str):
        after = after.getnext()  # a comment
    return after


def _append_line(above: Element, below: Element) -> None:
    """``below``'s text and children at the end of ``above``, which it leaves; its leading link
    into ``above``'s closing link when both lead to one address (a title's next line)."""
    last = above[-1] if len(above) and not (above[-1].tail or "").strip() else None
    head = below[0] if len(below) and not (below.text or "").strip() else None
    if last is not None and head is not None and last.tag == head.tag == "a" and last.get("href") == head.get("href"):
        below.text = _UNSETTABLE.sub("", head.tail or "")
        head.tail = None
        below.remove(head)
        _join_into(last, head)
    _join_into(above, below)
    below.getparent().remove(below)


_UNSETTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Control characters libxml2 reads in a page's text but lxml will not set (no reader sees them)."""


def _join_into(target: Element, source: Element) -> None:
    """``source``'s text and children appended to ``target``'s, after a space."""
    text = " " + (source.text or "")
    if len(target):
        target[-1].tail = _UNSETTABLE.sub("", (target[-1].tail or "") + text)
    else:
        target.text = _UNSETTABLE.sub("", (target.text or "") + text)
    for child in list(source):
        target.append(child)  # moves it, with its tail


def _without_picks(regions: list[list[_Found]]) -> list[list[_Found]]:
    """Without a region after a listing, half its size or less, that repeats one of its items: a box
    of picks from the site ("Most read", "Popular"), not more of the listing.

    A smaller region before the listing ("Top stories") stays: it leads the page.
    """
    kept = []
    for index, items in enumerate(regions):
        if not items:
            continue
        mine = {_page_key(one.item.url) for one in items}
        picks = any(
            len(other) >= 2 * len(items) and other[0].block.first_link < items[0].block.first_link
            and not mine.isdisjoint(_page_key(one.item.url) for one in other)
            for other in regions[:index] + regions[index + 1 :] if other
        )
        if not picks:
            kept.append(items)
    return kept


_MAX_NOTICES = 2
_MIN_LISTING = 4


def _without_notices(regions: list[list[_Found]]) -> list[list[_Found]]:
    """Without a region after the listing, of two items or fewer that give nothing but a title (no heading)
    and a date, where most of the listing's give more: a box of the site's notices ("Announcements")."""
    listing = max(regions, key=len, default=[])
    if len(listing) < _MIN_LISTING or sum(map(_more_than_dated, listing)) * 2 <= len(listing):
        return regions
    last = listing[-1].block.first_link
    return [items for items in regions if items is listing or len(items) > _MAX_NOTICES
            or items[0].block.first_link < last or any(map(_more_than_dated, items))]


def _more_than_dated(one: _Found) -> bool:
    """An item with a label, summary or picture, or a headed title (a section's stories, not notices)."""
    title = one.nodes.get("title")
    headed = title is not None and (title.tag in _HEADINGS or any(a.tag in _HEADINGS for a in title.iterancestors()))
    return bool(one.item.label or one.item.summary or one.item.image) or headed


def _set_among(items: list[_Found], other: list[_Found]) -> bool:
    """Whether a region stands in one box set among another's items, in their container, with items of
    that listing before and after it, two or more and fewer: the page's box ("Most read", notices) in
    the middle of the listing, not more of it. A region after the listing's container, or after its
    last item, is a section of its own, and so is a lone item (a row of a grid an unclosed tag cut)."""
    if len(items) < 2 or len(other) <= len(items):
        return False
    first_link, last_link = items[0].block.first_link, items[-1].block.first_link
    before = [one.block.elements[0] for one in other if one.block.first_link < first_link]
    after = [one.block.elements[0] for one in other if one.block.first_link > last_link]
    if not before or not after or before[-1].getparent() is not after[0].getparent():
        return False
    container = after[0].getparent()
    box = next((node for node in items[0].block.elements[0].iterancestors() if node.getparent() is container), None)
    if box is None or any(box is one.block.elements[0] for one in other):
        return False
    return all(any(node is box for node in one.block.elements[0].iterancestors()) for one in items)


def _links_of(root: Element) -> list[Element]:
    """The page's links, in page order: <a>, and on a page of web components (with templates: their
    declarative shadow trees) custom elements with an href (<x-card href=…>, whose own <a> is in
    their shadow tree).

    Looking at every element for an href costs five times the walk to the <a>s (an XPath
    over the whole tree), so only where templates are; lxml finds none at no cost on a
    page without (a name the page never uses is known at once).
    """
    if next(root.iter("template"), None) is None:
        return list(root.iter("a"))
    return root.xpath("//a | //*[contains(local-name(), '-')][@href]")  # type: ignore[no-any-return]


def _custom_link(node: Element) -> bool:
    """A web component that is a link: a custom element (a hyphen in its name) with an href."""
    tag = node.tag
    return isinstance(tag, str) and "-" in tag and node.get("href") is not None


def _dated(items: list[_Found]) -> int:
    """How many items have a date: a day and month shown without a year count only under a heading that gives it
    (a "Most read" box's "[09-13]" beside an archive's year headings is no date)."""
    return sum(1 for one in items if one.item.datetime_attr or one.item.group_date or _full_date(one.item.date_text))


_DOCUMENT = re.compile(r"\.(?:pdf|docx?|dotx?|xlsx?|pptx?|odt|ods|odp|rtf|csv|epub|zip)$", re.IGNORECASE)


def _documents_only(items: list[_Found]) -> bool:
    """Every item links to a file (a PDF, a spreadsheet…), none to a page."""
    return all(_DOCUMENT.search(_path_of(one.item.url)) for one in items)


# --- chrome ---------------------------------------------------------------------


class _Chrome:
    """Whether an element lies in page chrome; each element is judged once."""

    def __init__(self, content: Element | None = None) -> None:
        # element -> (in chrome, inside an article)
        self._known: dict[Element, tuple[bool, bool]] = {}
        self._content = content  # a skip link's target: the content, as <main> is, whatever its names say

    def __call__(self, element: Element) -> bool:
        path = []
        node = element
        while node is not None and node not in self._known:
            path.append(node)
            node = node.getparent()
        state = self._known[node] if node is not None else (False, False)
        for node in reversed(path):
            state = (False, state[1]) if node is self._content else self._judge(node, state)
            self._known[node] = state
        return state[0]

    @staticmethod
    def _holds_entries(node: Element) -> bool:
        """Whether a region named like chrome holds two or more of the page's own posts, marked as
        such for machines: hAtom entries (``hentry``), schema.org's ``blogPost`` of the blog.
        Blogger calls every part of a page a "widget", the posts' part too. Asked only of the
        outermost element named like chrome (a <nav> or an <aside> stays chrome): one XPath (in C)
        over it."""
        return len(_entries_in()(node)) >= _MIN_ENTRIES

    @staticmethod
    def _judge(node: Element, outer: tuple[bool, bool]) -> tuple[bool, bool]:
        in_chrome, in_article = outer
        tag = node.tag
        if not isinstance(tag, str):
            return outer
        if (tag == "main" or node.get("role") == "main") and not (in_chrome and _shut_away(node)):
            # The page's main content, whatever its names say (<main id="skip">: a skip link's target),
            # and whatever its wrappers' say ("page-navbar": a layout that has a navbar, not one).
            return False, in_article
        if in_chrome:
            return outer
        if tag in ("html", "body"):
            return outer  # body classes ("has-sidebar", "menu-open") describe the page, not a region
        in_article = in_article or tag == "article"
        if tag == "form" and next(node.iter(*_HEADINGS), None) is not None:
            return False, in_article  # a page wrapped in one <form> (ASP.NET), not a search box
        if tag in _SKIPPED or node.get("role") in _CHROME_ROLES or _hidden(node):
            return True, in_article
        # An article's own <header> and <footer> hold its title and date: only
        # the page's header and footer are chrome.
        if tag in _PAGE_PARTS and not in_article:
            return True, in_article
        if tag in _BOXES and _headed_as_chrome(node) and not _holds_page_title(node):
            return True, in_article
        for word in _words(node):
            if _CHROME_WORDS.search(word) and not _slug_of_its_heading(node, word):
                # A layout wrapper named after what the page has beside it ("has-sidebar",
                # "page-navbar") holds the page's own title: it is the page, not its chrome.
                return not (
                    _Chrome._holds_entries(node) or _holds_page_title(node)
                    or (word == "menu" and _holds_dated_headings(node))
                ), in_article
            if not in_article and _PAGE_PART_WORDS.search(word) and not _slug_of_its_heading(node, word):
                return not _Chrome._holds_entries(node), in_article
        return False, in_article


def _skip_target(root: Element) -> Element | None:
    """The element the page's first link leads to, when that link is to an anchor on the page: a skip
    link ("Skip to content", before the menus), whose target is the page's content."""
    first = next(root.iter("a"), None)
    href = first.get("href") if first is not None else None
    if not href or not href.startswith("#") or len(href) < 2:
        return None
    target = next(iter(root.xpath("//*[@id=$id]", id=href[1:])), None)
    return target if target is not None and target.tag not in _SKIPPED and target.tag not in ("html", "body") else None


_MAX_BOX_TITLE_WORDS = 3
_BOXES = frozenset(("div", "section"))  # what holds a titled box (not a list's items, a row's cells)


def _headed_as_chrome(node: Element) -> bool:
    """A box whose title names chrome as a class name would ("Related news", "Noticias relacionadas"):
    its first element a heading that is no link, of a few words. An item's heading is its title's link."""
    first = node.find("*")  # the first element (not a comment)
    if first is None or first.tag not in _HEADINGS or first.tag == "h1" or next(first.iter("a"), None) is not None:
        return False
    words = text_of(first).lower().split()
    return 0 < len(words) <= _MAX_BOX_TITLE_WORDS and _CHROME_WORDS.search("-".join(words)) is not None


def _holds_page_title(node: Element) -> bool:
    """Whether the element holds an <h1> that is no link (a site's linked logo is one)."""
    return any(next(h1.iter("a"), None) is None for h1 in node.iter("h1"))


def _holds_dated_headings(node: Element) -> bool:
    """Whether a box named a "menu" holds a post: a heading's link with a date on the line below it.

    Some CMSs name every box of a list a menu (SPIP: "menu une", "menu articles"); a menu of
    the site's pages has no dated posts.
    """
    for heading in node.iter(*_HEADINGS):
        below = _next_element(heading)
        if below is not None and next(heading.iter("a"), None) is not None and _date_of(text_of(below).strip()):
            return True
    return False


def _slug_of_its_heading(node: Element, word: str) -> bool:
    """An anchor made of the words of the element's own heading ("extending-social-protection-to-…"
    on the section under "Extending social protection to workers…"): it names the content, not a role."""
    parts = word.split("-")
    if len(parts) < 3:
        return False
    heading = next(node.iter(*_HEADINGS), None)
    if heading is None:
        return False
    words = set(re.findall(r"\w+", text_of(heading).lower()))
    return all(part in words for part in parts)


def _shut_away(node: Element) -> bool:
    """Inside code or a hidden region: never shown, whatever it is."""
    return any(a.tag in ("script", "template", "noscript") or _hidden(a) for a in node.iterancestors())


_MIN_ENTRIES = 2  # a blog's posts, not one "featured post" box


@lru_cache(maxsize=1)
def _entries_in() -> Any:
    from lxml.etree import XPath

    return XPath(
        "descendant::*[@itemprop='blogPost' or contains(concat(' ', normalize-space(@class), ' '), ' hentry ')]"
    )


def _hidden(node: Element) -> bool:
    # Not aria-hidden: a carousel hides its other slides from screen readers, and they are content.
    return node.get("hidden") is not None


_WORDS: dict[str, tuple[str, ...]] = {}
_MAX_REMEMBERED = 20_000
"""Entries each memo below keeps: pages repeat their class names and dates, but a
long-running `spfeed schedule` must not grow with every page it has seen."""


def _remember(memo: dict[Any, Any], key: Any, value: Any) -> Any:
    if len(memo) >= _MAX_REMEMBERED:
        memo.clear()
    memo[key] = value
    return value


def _words(node: Element) -> tuple[str, ...]:
    """Class and id names, kebab-cased, without BEM modifiers.

    'relatedLinks' -> 'related-links'; 'ilo--link-list' -> 'ilo-link-list'.
    A modifier after "__" ("card__linklist": a card that holds a link list)
    describes the block it is on, not what the block is.
    """
    names = f"{node.get('class') or ''} {node.get('id') or ''}"
    found = _WORDS.get(names)
    if found is None:
        words = []
        for name in names.split():
            name = name.split("__")[0]
            name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", name).lower()
            words.append(re.sub(r"[^a-z0-9]+", "-", name).strip("-"))
        found = _remember(_WORDS, names, tuple(w for w in words if w))
    return found


def _inert_copy(link: Element) -> bool:
    """A link no one can reach: out of the tab order in a region hidden from screen readers.

    A carousel's cloned slides are such copies of its real ones.
    """
    if link.get("tabindex") != "-1":
        return False
    # The link itself, too: a picture's link beside the title's, hidden as a duplicate of it.
    return link.get("aria-hidden") == "true" or any(node.get("aria-hidden") == "true" for node in link.iterancestors())


def _version_link(link: Element) -> bool:
    """A link to the same item in another language ("FR", "Español"): ``hreflang`` on a word or two.

    Rows that have such links, one or several or none, are still items of
    one shape; an item's own title in another language is longer.
    """
    if not link.get("hreflang"):
        return False
    text = " ".join(text_of(link).split())
    if not text or len(text) > 20 or len(text.split()) > 2:
        return False  # an image link, or a title
    return _in_another_language(link)


def _in_another_language(link: Element) -> bool:
    """Whether a link's ``hreflang`` names another language than the page's."""
    hreflang = link.get("hreflang")
    if not hreflang:
        return False
    # Some CMSs (Drupal) put hreflang on every link, in the page's own language.
    page_language = link.getroottree().getroot().get("lang") or ""
    return not page_language or _primary_language(hreflang) != _primary_language(page_language)


def _primary_language(tag: str) -> str:
    return tag.strip().lower().replace("_", "-").split("-")[0]


def _in_a_sentence(link: Element) -> bool:
    """A link inside running text ("older ones are in the <a>archive</a>.", "Watch the <a>video</a>."):
    a reference in a teaser or an intro, not an item's title or label.

    Its line has more words before it than a label ("News <a>Title</a>"
    is an item), or a word before it and a sentence's punctuation right after;
    what precedes a block, a <br> or another link is not on its line.
    """
    if link.tag != "a":
        return False  # a web component is a block of its own
    tail = (link.tail or "").lstrip()
    parent = link.getparent()
    if parent is None or (link.getprevious() is None and (not parent.text or parent.text.isspace())):
        return False  # the common case: the link opens its parent (a title, a card)
    pieces = [parent.text or ""]
    for sibling in parent:
        if sibling is link:
            break
        if sibling.tag in _BLOCK_TAGS or sibling.tag in ("br", "a"):
            pieces = []  # a line, or a card, of its own
        elif isinstance(sibling.tag, str):
            pieces.append(text_of(sibling))
        pieces.append(sibling.tail or "")
    before = " ".join(joined(pieces).split())
    if _READ_MORE.fullmatch(f"{before} {text_of(link).strip()}"):
        return False  # "Read more on <a>ilo.org</a>.": the item's link, in a line of its own
    return len(before) > _MAX_LABEL_TEXT or (before[-1:].isalpha() and tail[:1] in (".", ",", ";"))


_URL_IN_QUERY = re.compile(r"[?&][^=&#]*=(https?(?::|%3A)[^&#]*)", re.IGNORECASE)


def _share_links(links: list[Element]) -> set[Element]:
    """Links to another site that carry, in their query, the address another of ``links`` points to.

    "facebook.com/sharer.php?u=<the item's URL>" shares the item: it is never
    the item, whatever its place. A redirect that is the only link to its
    target (a newsletter's click tracking) carries no address linked beside it.
    """
    carried: dict[Element, str] = {}
    for link in links:
        href = link.get("href") or ""
        found = _URL_IN_QUERY.search(href) if "?" in href else None  # most links have no query
        if found is not None:
            carried[link] = unquote(found.group(1))
    if not carried:
        return set()
    targets = {_path_and_query(str(a.get("href"))) for a in links if a not in carried} - {""}
    return {link for link, url in carried.items()
            if _path_and_query(url) in targets and _host(url) != _host(str(link.get("href")))}


def _host(href: str) -> str | None:
    try:
        return urlsplit(href.strip()).hostname
    except ValueError:
        return None


def _path_of(href: str) -> str:
    """'/es/news/x/' of 'https://www.ilo.org/es/news/x/'; '' for a malformed href ('https://a[b')."""
    try:
        return urlsplit(href.strip()).path
    except ValueError:
        return ""


def _path_and_query(href: str) -> str:
    """'/es/news/x?id=1' of 'https://www.ilo.org/es/news/x/?id=1': a link's place on its site."""
    try:
        parts = urlsplit(href.strip())
    except ValueError:
        return ""
    path = parts.path.rstrip("/")
    return f"{path}?{parts.query}" if parts.query else path


def _usable_href(href: str | None) -> bool:
    if not href:
        return False
    href = href.strip()
    return bool(href) and not href.startswith(("#", "javascript:", "mailto:", "tel:", "data:"))


# --- item blocks ----------------------------------------------------------------

_SIGNATURES: dict[tuple[Any, str | None], str] = {}
_POSITIONAL = re.compile(r"(?:^|[-_])(?:first|last|odd|even)$", re.IGNORECASE)
_HASHED = re.compile(r"(?P<local>[A-Za-z][A-Za-z-]*?)_{1,3}(?P<hash>[A-Za-z0-9]{5,})")


def _kind_of_class(name: str) -> str | None:
    """The kind of block a class names, if it names one.

    A CSS module's name keeps its local part ("title_a57cb1f3" -> "title":
    the hash after it names the build, not the block); a CSS-in-JS name is
    its library's and a hash ("css-1x2y3z", "svelte-4kq2z1"), no kind. Numbered classes
    ("post-2214", "views-row-3") name one block, not a kind, and so do the
    classes of a place in a row ("col-first", "views-row-odd", "last").
    """
    hashed = _HASHED.fullmatch(name)
    if hashed is not None:
        suffix = hashed["hash"]
        if any(ch.isdigit() for ch in suffix) and any(ch.isalpha() for ch in suffix):
            return hashed["local"]
    if any(ch.isdigit() for ch in name) or _POSITIONAL.search(name):
        return None
    return name


def _signature(node: Element) -> str:
    """'li.item': the tag and the first class that names a kind, not one block."""
    key = (node.tag, node.get("class"))
    found = _SIGNATURES.get(key)
    if found is None:
        tag = key[0] if isinstance(key[0], str) else "#"
        classes = key[1] or ""
        kind = next(filter(None, map(_kind_of_class, classes.split())), None)
        found = _remember(_SIGNATURES, key, f"{tag}.{kind}" if kind else tag)
    return found


class _Block(msgspec.Struct, eq=False):
    """An item's block: an element, or a run of siblings, minus the items nested in it."""

    elements: list[Element]
    shape: str
    group: int
    """The slot whose links found it: blocks of one slot nested in each other are items an unclosed tag nested."""
    first_link: int
    """Where its slot's link stands among the page's links (for page order)."""
    container: Element
    nested: set[Element] = msgspec.field(default_factory=set)
    link: Element = None
    """The slot's link that found it (None for a lone link's block or one the siblings strategy found)."""


_MAX_DEPTH = 12  # how far above a link its item block may be (a page builder's card nests its title ten deep)


def _ancestors(link: Element, depth: int) -> list[tuple[Element, str]]:
    """The link's ancestors below <body> (at most ``depth``), with their signatures."""
    chain: list[tuple[Element, str]] = []
    for node in link.iterancestors():
        if node.tag in ("body", "html") or len(chain) >= depth:
            break
        chain.append((node, _signature(node)))
    return chain


def _slot(link: Element) -> tuple[str, int, str, str]:
    """The link's place: its signature and rank among sibling links, its parent's and grandparent's.

    The rank tells an item's title link from its category link when both
    stand straight in the <li>.
    """
    rank = 0
    for _ in link.itersiblings("a", preceding=True):
        rank += 1
        if rank == 3:
            break
    if rank and next(link.iter(*_BLOCK_TAGS), None) is not None:
        rank = 0  # a link that is a whole card has no rank among its siblings: it is the item
    parent = link.getparent()
    grandparent = parent.getparent() if parent is not None else None
    return (
        _signature(link),
        rank,
        _signature(parent) if parent is not None else "",
        _signature(grandparent) if grandparent is not None else "",
    )


def _item_blocks(links: list[Element], chrome: _Chrome) -> list[_Block]:
    slots: dict[tuple[str, int, str, str], list[int]] = {}
    for index, link in enumerate(links):
        slots.setdefault(_slot(link), []).append(index)
    found: dict[Element, _Block] = {}
    kinds: dict[Element, set[int]] = {}  # the slots whose links found each block (its picture's, its title's…)
    lone: list[int] = []
    for group, members in enumerate(slots.values()):
        level = _item_level([links[i] for i in members]) if len(members) > 1 else None
        if level is None:
            lone.extend(members)
            continue
        shape, kept, elements = level
        lone.extend(members[i] for i in set(range(len(members))) - set(kept))
        for index, element in zip((members[i] for i in kept), elements, strict=True):
            kinds.setdefault(element, set()).add(group)
            block = found.get(element)
            if block is None or index < block.first_link:
                found[element] = _Block([element], shape, group, index, element.getparent(), link=links[index])
    # Chrome is judged per block, not per link: a link's ancestors are mostly its block's.
    content = [
        _captioned(block, found) if block.elements[0].tag == "figcaption" else block
        for block in found.values() if not chrome(block.elements[0])
    ]
    blocks = _separate_nested(sorted(content, key=lambda b: b.first_link), kinds)
    blocks = _with_sibling_runs(blocks)
    covered = {node for block in blocks for node in block.elements}
    for index in lone:
        if chrome(links[index]):
            continue
        if not any(node in covered for node in links[index].iterancestors()):
            block = _lone_block(links[index], _ancestors(links[index], _MAX_DEPTH), chrome)
            if block is not None and block.elements[0] not in found:
                blocks.append(replace(block, first_link=index))
    return sorted(blocks, key=lambda b: b.first_link)


def _captioned(block: _Block, found: dict[Element, _Block]) -> _Block:
    """A caption's block is its whole <figure>: the picture it captions is the item's."""
    figure = block.elements[0].getparent()
    if figure is None or figure.tag != "figure" or figure in found:
        return block
    return replace(block, elements=[figure], container=figure.getparent())


def _item_level(links: list[Element]) -> tuple[str, list[int], list[Element]] | None:
    """The highest shape above the links of a slot that no two of them share.

    Returns it, the links kept and their blocks (the links themselves when
    their parents are shared: a grid of links that are whole cards). A few
    links that share a block where the others do not (a page header's two
    links in one table row, above the listing's rows) leave the slot and are
    read on their own.
    """
    kept = list(range(len(links)))
    current = list(links)
    best = (_signature(links[0]), kept, current)
    # Walk up along a link from the middle of the page's list: the first
    # link of a slot is more often a stray one (a logo, a header link).
    seen: set[str] = set()
    for _, shape in _ancestors(links[len(links) // 2], _MAX_DEPTH):
        nearest = [_nearest_above(node, shape) for node in current]
        leaving: set[int] = set()
        if None in nearest:
            placed = _lacking_at_same_depth(current, nearest, len(kept))
            if placed is None:
                placed = _most_have_it(current, nearest)
            if placed is None:
                break
            above, leaving = placed
        else:
            above = nearest
        # A shape met twice on the way up: blocks nested by an unclosed tag, or a wrapper of a wrapper.
        if shape in seen and _inside_another(above, current):
            break
        if _items_of_their_lists(current, above):
            break
        seen.add(shape)
        strays = leaving
        if len(set(above)) < len(above):
            # Links to one address in one block (a picture's link and the title's) are one item's.
            hrefs: dict[Element, set[str]] = {}
            for node, index in zip(above, kept, strict=True):
                hrefs.setdefault(node, set()).add(str(links[index].get("href")).strip())
            if len(hrefs) < 2:
                break
            strays |= {i for i, node in enumerate(above) if len(hrefs[node]) > 1}
            if strays and (len(strays) * 3 > len(kept) or len(hrefs) - len({above[i] for i in strays}) < 2):
                break
        kept = [k for i, k in enumerate(kept) if i not in strays]
        current = [node for i, node in enumerate(above) if i not in strays]
        best = (shape, kept, current)
    shape, kept, current = best
    holding = _holding_items(current, [links[k] for k in kept])
    if holding and len(holding) * 3 <= len(kept):
        best = (shape, [k for i, k in enumerate(kept) if i not in holding],
                [node for i, node in enumerate(current) if i not in holding])
    return best if len(best[1]) > 1 else None


def _holding_items(above: list[Element], links: list[Element]) -> set[int]:
    """The links whose block holds other links' blocks of the slot and is no item but their container:
    its link comes after one of theirs ("All news" under the list, standing as each item's label link
    stands), or before the page's title that it holds (a breadcrumb's link, in the wrapper of the
    breadcrumb, the title and the list).

    An item an unclosed tag made a wrapper of the next ones has its own link before theirs,
    and after the page's title.
    """
    parents = {node.getparent() for node in above}
    if len(parents) == 1:
        return set()  # the common case, siblings: none holds another
    index_of = {node: i for i, node in enumerate(above)}
    holding: set[int] = set()
    for i, node in enumerate(above):
        for ancestor in node.iterancestors():
            outer = index_of.get(ancestor)
            if outer is not None:
                # (links and blocks are in page order)
                if outer not in holding and (outer > i or _title_below(links[outer], ancestor)):
                    holding.add(outer)
                break
            if ancestor.tag == "body":
                break
    return holding


def _title_below(link: Element, block: Element) -> bool:
    """Whether the block holds, after the link, the page's title (an <h1> that is no link)."""
    return any(block in h1.iterancestors() for h1 in _titles_after()(link))


@lru_cache(maxsize=1)
def _titles_after() -> Any:
    from lxml.etree import XPath

    return XPath("following::h1[not(descendant::a)]")


def _most_have_it(current: list[Element], above: list[Element | None]) -> tuple[list[Element], set[int]] | None:
    """Where most of a slot's links have the shape and the rest have none (a list's links, and links
    elsewhere that stand alike with no class names): the rest leave the slot, where they are."""
    lacking = {i for i, node in enumerate(above) if node is None}
    if len(lacking) * 2 >= len(above) or len(above) - len(lacking) < _MIN_SIBLINGS:
        return None
    return [node if node is not None else current[i] for i, node in enumerate(above)], lacking


def _items_of_their_lists(current: list[Element], above: list[Element]) -> bool:
    """List items whose lists hold other items with links: each is an item of its list (a picture item,
    "<li class=pic>", among plain ones), not the whole list one."""
    if not current or current[0].tag != "li" or above[0].tag not in _LISTS:
        return False
    return any(
        sibling is not item and sibling.tag == "li" and next(sibling.iter("a"), None) is not None
        for item, items in zip(current, above, strict=True) for sibling in items
    )


def _lacking_at_same_depth(
    current: list[Element], above: list[Element | None], size: int
) -> tuple[list[Element], set[int]] | None:
    """A few links without the block shape the others have (a leading item in a wrapper of its own,
    before rows of two): their block is their ancestor as far up as the others' is, if few lack it.

    Returns the blocks and the links that leave the slot: those whose ancestor there
    holds the others' blocks (a page header's link, as far up as an item is, holds the list).
    """
    lacking = [i for i, node in enumerate(above) if node is None]
    if len(lacking) * 3 > size or size - len(lacking) < 2:
        return None
    depths: dict[int, int] = {}
    for node, block in zip(current, above, strict=True):
        if block is not None:
            depth = next(d for d, a in enumerate(node.iterancestors(), 1) if a is block)
            depths[depth] = depths.get(depth, 0) + 1
    depth = max(depths, key=depths.__getitem__)
    wrappers = {ancestor for block in above if block is not None for ancestor in block.iterancestors()}
    found: list[Element] = []
    leaving: set[int] = set()
    for index, (node, block) in enumerate(zip(current, above, strict=True)):
        if block is None:
            chain = list(islice(node.iterancestors(), depth))
            if len(chain) < depth or any(a.tag in ("body", "html") for a in chain):
                return None
            block = chain[-1]
            if block in wrappers:
                block = node  # it stays where it is, and leaves the slot
                leaving.add(index)
        found.append(block)
    return found, leaving


def _inside_another(above: list[Element], current: list[Element]) -> bool:
    """Whether a link's next block up lies in another link's block (items nested by an unclosed tag)."""
    blocks = set(current)
    for node, mine in zip(above, current, strict=True):
        if node in blocks and node is not mine:
            return True
        for ancestor in node.iterancestors():
            if ancestor in blocks:
                return True
            if ancestor.tag == "body":
                break
    return False


def _nearest_above(node: Element, shape: str) -> Element | None:
    """The nearest ancestor of that shape, a few levels up at most."""
    parent = node.getparent()
    if parent is not None and _signature(parent) == shape:
        return parent  # most often
    for depth, ancestor in enumerate(node.iterancestors()):
        if depth >= _MAX_DEPTH or ancestor.tag in ("body", "html"):
            return None
        if _signature(ancestor) == shape:
            return ancestor
    return None


def _separate_nested(blocks: list[_Block], kinds: dict[Element, set[int]]) -> list[_Block]:
    """Settle blocks inside blocks.

    Of one kind (an unclosed tag swallowed the next items): separate items,
    the outer keeping what is not the inner's. Blocks are of one kind when a
    slot found both, whichever link each is named after (a row without a
    picture is named after its title link, the rows with one after their
    picture's). Of another kind: a block holding several is a section, not an
    item; a block holding one (a list of links inside a card) keeps it as its
    own content. Only what lies before the first block of its kind is its own:
    an item an unclosed tag left open holds what follows the items too.
    """
    mine = {block.elements[0]: block for block in blocks}
    inner: dict[Element, list[_Block]] = {}
    for block in blocks:
        for ancestor in block.elements[0].iterancestors():
            outer = mine.get(ancestor)
            if outer is not None:
                inner.setdefault(ancestor, []).append(block)
                break
    dropped: set[Element] = set()
    for element, held in inner.items():
        outer = mine[element]
        alike = kinds.get(element, {outer.group})
        same = [block for block in held if not alike.isdisjoint(kinds.get(block.elements[0], {block.group}))]
        # A block of its kind whose link leads where its own does is its part, not an item an unclosed
        # tag nested (a picture's link and a "Read more" one, standing alike with no class names).
        parts = [block for block in same if _same_target(block.link, outer.link) or _a_line_of(block, outer)]
        dropped.update(block.elements[0] for block in parts)
        same = [block for block in same if block not in parts]
        others = [block for block in held if block not in same and block not in parts]
        if same:
            # What follows the first item it swallowed is not its own: blocks of another kind
            # there (the list's page links, after the items) stand on their own, as items do.
            first = min(block.first_link for block in same)
            outer.nested.update(block.elements[0] for block in others if block.first_link > first)
            others = [block for block in others if block.first_link < first]
        if len(others) > 1 and not _a_few_bare_links(others):
            # A section, whatever else of its kind it holds: those stay in their own container.
            dropped.add(element)
            rehomed = _rehomed(outer, others, mine)
            if rehomed is not None:
                blocks.append(rehomed)
            continue
        for block in same:
            outer.nested.add(block.elements[0])
            block.container = outer.container
        dropped.update(block.elements[0] for block in others)
    return sorted((block for block in blocks if block.elements[0] not in dropped), key=lambda b: b.first_link)


def _a_line_of(inner: _Block, outer: _Block) -> bool:
    """A line that names its field inside a headed block of its kind ("Topic: <a>Pensions</a>", whose
    link stands where the pictures' links of other items do, with no class names): a field of it."""
    node = inner.elements[0]
    text = " ".join(text_of(node).split())
    headed = next(outer.elements[0].iter(*_HEADINGS), None) is not None
    named = _FIELD_NAME.fullmatch(text) if headed and len(text) <= _MAX_DATE_TEXT else None
    # A name our tables know ("Topic:", "التصنيف:"): "New country profile: Paraguay" is a title.
    return named is not None and _field_kind(named["name"]) is not None and next(node.iter(*_HEADINGS), None) is None


def _same_target(link: Element | None, other: Element | None) -> bool:
    if link is None or other is None:
        return False
    return str(link.get("href")).strip() == str(other.get("href")).strip()


def _rehomed(section: _Block, items: list[_Block], known: dict[Element, _Block]) -> _Block | None:
    """The item around the link that found a section: the element of the section's items' shape
    around it ("Read more on <a>…</a>" in an item whose heading has no link, the slot's only
    other link in another year's section, so that the slot's blocks were the year sections)."""
    shape = items[0].shape
    if section.link is None or any(block.shape != shape for block in items):
        return None
    for ancestor in section.link.iterancestors():
        if ancestor is section.elements[0]:
            return None
        if _signature(ancestor) == shape:
            if ancestor in known:
                return None
            return _Block([ancestor], shape, section.group, section.first_link, ancestor.getparent(), link=section.link)
    return None


def _a_few_bare_links(blocks: list[_Block]) -> bool:
    """A short list with no heading and no date: an item's documents or tags, not the items of a section."""
    if len(blocks) > 3:
        return False
    for block in blocks:
        top = block.elements[0]
        if next(top.iter(*_HEADINGS), None) is not None:
            return False
        if any(_date_of(" ".join(text.split())) for text in top.itertext()):
            return False
    return True


def _with_sibling_runs(blocks: list[_Block]) -> list[_Block]:
    """Blocks that are siblings with text between them (dt + dd, h3 + p) take what follows them."""
    by_parent: dict[Element, list[_Block]] = {}
    for block in blocks:
        by_parent.setdefault(block.elements[0].getparent(), []).append(block)
    joined: set[_Block] = set()
    for parent, members in by_parent.items():
        if len(members) < 2 or parent is None:
            continue
        # A picture's link beside its title's to the same page, or a description's link after its term's (a
        # <dd>'s picture or report after the <dt>'s title): the item's run goes on, no item starts. (Not two
        # items' label links in one slot to one topic: a picture alone is the item's part.)
        same = _going_on(members)
        if same:
            joined |= same
            members = [block for block in members if block not in same]
            if len(members) < 2:
                continue
        heads = {block.elements[0] for block in members}
        children = [child for child in parent if isinstance(child.tag, str)]
        positions = [i for i, child in enumerate(children) if child in heads]
        gaps = [b - a for a, b in pairwise(positions)]
        if max(gaps) == 1 or _set_among_whole_blocks(children, positions, gaps):
            continue  # li after li, tr after tr: each block is whole
        if all(child.tag == "li" for child in children[positions[0] : positions[-1] + 1]):
            continue  # a list's items are whole: one without the others' picture link is an item of its own
        headings = _linkless_headings_above(children, positions, max(gaps))
        if headings is not None:
            # Each item starts at its heading; the link line after it ends it (a wiki page's
            # sections, the address under each), the last one no longer than the others.
            starts = headings
            longest = max(end - position for position, end in zip(positions, starts[1:], strict=False))
            ends = [*starts[1:], min(positions[-1] + longest, _next_heading(children, positions[-1]))]
            if starts[-1] == positions[-1]:
                ends[-1] = positions[-1] + 1
        else:
            lead = _leading_siblings(children, positions)
            # The last block takes no more than the widest gap: what follows the list is not its.
            starts = [position - lead for position in positions]
            ends = [*starts[1:], min(len(children), positions[-1] + max(gaps) - lead)]
        _bound_by_separators(children, positions, starts, ends)
        for block, start, end in zip(members, starts, ends, strict=True):
            block.elements = children[start:end]
        if _picture_only(members[-1].elements[-1]):
            continue  # the last item's run ends with a picture too: each item's picture is its last line
        for block, after in pairwise(members):
            # A picture just before an item's first line is the item's, not the one above's (not one in a
            # <dd>: a description is its term's).
            while len(block.elements) > 1 and block.elements[-1].tag != "dd" and _picture_only(block.elements[-1]):
                after.elements.insert(0, block.elements.pop())
    return _without_section_heads([block for block in blocks if block not in joined] if joined else blocks)


def _going_on(members: list[_Block]) -> set[_Block]:
    """The sibling blocks that go on with the item started before them, each compared with that item's
    first block (a <dd>'s picture after a <dd>'s topic link is still the <dt>'s)."""
    going_on: set[_Block] = set()
    head = members[0]
    for after in members[1:]:
        if (_same_target(head.link, after.link) or (head.elements[0].tag, after.elements[0].tag) == ("dt", "dd")) and (
                after.group != head.group or _picture_only(after.elements[0])):
            going_on.add(after)
        else:
            head = after
    return going_on


def _set_among_whole_blocks(children: list[Element], positions: list[int], gaps: list[int]) -> bool:
    """Whether what stands between some blocks, where most follow each other at once, is set among
    them (a box of links, an ad): it holds links, as an item's own next line seldom does, and the
    blocks are whole."""
    if gaps.count(1) * 2 <= len(gaps):
        return False
    between = [children[i] for a, b in pairwise(positions) if b - a > 1 for i in range(a + 1, b)]
    return all(next(child.iter("a"), None) is not None for child in between)


def _without_section_heads(blocks: list[_Block]) -> list[_Block]:
    """Without the blocks whose run holds two or more other blocks: a section's heading (with its
    "[edit]" link) followed by the section's table or list of items is no item, as a block holding
    several is a section. The last of a list whose other runs hold none took what follows the list
    (its page links, with no class name to make them chrome): it ends before that."""
    if all(len(block.elements) == 1 for block in blocks):
        return blocks  # most: no block took siblings
    heads = {block.elements[0] for block in blocks}
    holding: dict[_Block, int] = {}  # the blocks holding others, and where in the run the first of them is
    for block in blocks:
        held, first = 0, 0
        for index, element in enumerate(block.elements[1:], 1):
            here = sum(1 for node in element.iter() if node in heads)
            first = first or (index if here else 0)
            held += here
            if held > 1:
                holding[block] = first
                break
    kept = []
    for block in blocks:
        end = holding.get(block)
        if end is not None:
            if not _last_of_a_list(block, blocks, holding):
                continue
            block.elements = block.elements[:end]
        kept.append(block)
    return kept


def _last_of_a_list(block: _Block, blocks: list[_Block], holding: dict[_Block, int]) -> bool:
    parent = block.elements[0].getparent()
    siblings = [other for other in blocks if other.elements[0].getparent() is parent]
    return len(siblings) > 2 and siblings[-1] is block and not any(other in holding for other in siblings[:-1])


def _bound_by_separators(children: list[Element], positions: list[int], starts: list[int], ends: list[int]) -> None:
    """Where a separator (``<hr>``) stands between every two items, it bounds them.

    What lies between the separator and an item's first block (its label and
    date line above the title) is that item's, and what follows its last
    line up to the separator is too, however many lines each item has.
    """
    separators = [i for i, child in enumerate(children) if child.tag == "hr"]
    if not separators or not all(any(a < s < b for s in separators) for a, b in pairwise(positions)):
        return
    for k, position in enumerate(positions):
        before = [s for s in separators if s < position and (k == 0 or s > positions[k - 1])]
        if before:
            starts[k] = before[-1] + 1
        after = next((s for s in separators if s > position), None)
        if after is not None and (k + 1 == len(positions) or after < positions[k + 1]):
            ends[k] = after
    for k in range(len(positions) - 1):
        ends[k] = min(ends[k], starts[k + 1])


def _picture_only(node: Element) -> bool:
    return not " ".join(text_of(node).split()) and next(node.iter("img"), None) is not None


_MIN_HEADED_RUNS = 3
_MIN_TITLE_WORDS = 4  # a title says something; a menu entry names a place ("Terms of use")


_HEADS = _HEADINGS | {"dt"}  # a term heads its descriptions as a heading its paragraphs


def _linkless_headings_above(children: list[Element], positions: list[int], widest: int) -> list[int] | None:
    """Where one heading (or term) without a link (of one level) stands before each block, after the
    block above: the items' titles, whose blocks are their link lines below them. The start of each
    run; a last block with no heading of its own ("Previous issue: <a>…</a>") stands alone."""
    few = len(positions) < _MIN_HEADED_RUNS  # "Events … All events": a page's sections and their links,
    # unless terms head them (a <dt> heads its descriptions however few the items)
    found = []
    last = len(positions) - 1
    for k, position in enumerate(positions):
        floor = positions[k - 1] + 1 if k else max(0, position - widest)
        above = [i for i in range(floor, position) if children[i].tag in _HEADS]
        if not above and k == last and last >= _MIN_HEADED_RUNS:
            found.append(position)  # stands alone
            continue
        if not above or (k and len(above) > 1) or next(children[above[-1]].iter("a"), None) is not None:
            return None
        found.append(above[-1])
    if few and any(children[i].tag != "dt" for i in found):
        return None
    return found if len({children[i].tag for i in found if children[i].tag in _HEADS}) == 1 else None


def _next_heading(children: list[Element], after: int) -> int:
    return next((i for i in range(after + 1, len(children)) if children[i].tag in _HEADS), len(children))


def _leading_siblings(children: list[Element], positions: list[int]) -> int:
    """1 when each block is preceded by a short line of its own (a label or date above a title)."""
    if positions[0] == 0:
        return 0
    before = [children[p - 1] for p in positions]
    heads = {children[p] for p in positions}
    if any(node in heads for node in before):
        return 0
    shapes = {_signature(node) for node in before}
    if len(shapes) != 1:
        return 0
    texts = [" ".join(text_of(node).split()) for node in before]
    return 1 if all(0 < len(t) <= _MAX_LABEL_TEXT or _date_of(t) is not None for t in texts) else 0


_MIN_SIBLINGS = 3
_SIBLING_DEPTH = 12  # generated markup wraps a card in many a div
_OWN_LINKS = 3  # an item's own links: its title (its picture), its author, a tag; a section holds more


def _sibling_blocks(links: list[Element], chrome: _Chrome) -> list[_Block]:
    """Item blocks read from the tree's shape alone: three or more children of one tag in one
    element, each holding a link of its own (to a page no sibling links to) and only a few.

    The outermost such children are the items: a list of tags inside each post is no listing.
    Whether they are one is judged as for any region (a heading or a date in most).
    """
    children: dict[Element, dict[Element, set[str]]] = {}  # parent -> child -> the hrefs inside it
    first: dict[Element, int] = {}
    for index, link in enumerate(links):
        href = str(link.get("href")).strip()
        node = link
        for _ in range(_SIBLING_DEPTH):
            parent = node.getparent()
            if parent is None or parent.tag in ("body", "html"):
                break
            children.setdefault(parent, {}).setdefault(node, set()).add(href)
            first.setdefault(node, index)
            node = parent
    candidates: dict[Element, list[Element]] = {}
    for parent, held in children.items():
        if len(held) < _MIN_SIBLINGS:
            continue
        counts: dict[str, int] = {}
        for hrefs in held.values():
            for href in hrefs:
                counts[href] = counts.get(href, 0) + 1
        items = [child for child, hrefs in held.items() if 1 <= sum(counts[h] == 1 for h in hrefs) <= _OWN_LINKS]
        tags: dict[str, int] = {}
        for child in items:
            tags[child.tag] = tags.get(child.tag, 0) + 1
        tag = max(tags, key=tags.__getitem__, default=None)
        alike = [child for child in items if child.tag == tag]
        if len(alike) >= _MIN_SIBLINGS and len(alike) * 3 >= len(held) * 2:
            candidates[parent] = alike
    items_of = {child for alike in candidates.values() for child in alike}
    blocks: list[_Block] = []
    for parent, alike in candidates.items():
        if any(ancestor in items_of for ancestor in parent.iterancestors()):
            continue  # inside an item: its tags, its documents
        blocks.extend(_Block([child], _signature(child), -1, first[child], parent)
                      for child in alike if not chrome(child))
    return sorted(blocks + _featured(links, blocks, chrome), key=lambda b: b.first_link)


def _featured(links: list[Element], blocks: list[_Block], chrome: _Chrome) -> list[_Block]:
    """Blocks around heading links outside the repeated blocks: a featured story above them."""
    covered = {node for block in blocks for node in block.elements}
    counts: dict[str, int] = {}
    for link in links:
        href = str(link.get("href")).strip()
        counts[href] = counts.get(href, 0) + 1
    common = frozenset(href for href, count in counts.items() if count >= _MIN_SIBLINGS)
    found = []
    for index, link in enumerate(links):
        parent = link.getparent()
        if parent is None or parent.tag not in _HEADINGS or chrome(link):
            continue
        if any(node in covered for node in link.iterancestors()):
            continue
        block = _lone_block(link, _ancestors(link, _MAX_DEPTH), chrome, common)
        if block is not None:
            found.append(replace(block, first_link=index))
    return found


def _lone_block(
    link: Element, chain: list[tuple[Element, str]], chrome: _Chrome, common: frozenset[str] = frozenset()
) -> _Block | None:
    """A block around a link no other link shares a slot with: a featured story, a hero card.

    It ends below another link, but for the ``common`` ones (the same author's page after every item)
    and the item's own sub-pages ("…/comments").
    """
    href = link.get("href")
    mine = f"{_path_and_query(str(href))}/" if common else ""

    def bounds(other: Element) -> bool:
        target = other.get("href")
        if target in (None, href) or not _usable_href(target):
            return False
        if common and (target.strip() in common or _path_and_query(target).startswith(mine)):
            return False
        return not chrome(other)

    inside = None
    for node, sig in chain:
        if any(bounds(a) for a in node.iter("a")):
            break
        inside = (node, sig)
    if inside is None:
        return None
    return _Block([inside[0]], inside[1], -1, 0, inside[0].getparent())


def _regions(blocks: list[_Block]) -> Iterator[list[_Block]]:
    """Blocks grouped by shape and container, each group in page order, groups by their first block."""
    groups: dict[tuple[str, int], list[_Block]] = {}
    for block in blocks:
        # A list's items are one region whatever their classes ("<li class=pic>" among plain <li>s).
        shape = "li" if block.elements[0].tag == "li" and len(block.elements) == 1 else block.shape
        groups.setdefault((shape, id(block.container)), []).append(block)
    yield from _strays_joined(_grid_rows_joined(list(groups.values())))


def _strays_joined(groups: list[list[_Block]]) -> list[list[_Block]]:
    """A block alone in its container that one slot found with a region's blocks, of their named
    shape, is that region's: a broken end tag moved it out of the list ("</div>" closing the <ul>),
    after the list or before it (the first item, the list closed after it)."""
    joined: list[list[_Block]] = []
    by_slot: dict[tuple[str, int], list[_Block]] = {}
    for index, group in enumerate(groups):
        first = group[0]
        home = by_slot.get((first.shape, first.group))
        if len(group) == 1 and home is not None and "." in first.shape and first.group >= 0:
            home.append(first)
            continue
        following = groups[index + 1] if index + 1 < len(groups) else None
        if len(group) == 1 and following is not None and len(following) > 1:
            leader = _leading_stray(first, following)
            if leader is not None:
                following.insert(0, leader)
                continue
        joined.append(group)
        if len(group) > 1:
            by_slot.setdefault((first.shape, first.group), group)
    return joined


def _leading_stray(block: _Block, region: list[_Block]) -> _Block | None:
    """The first item of a list that a broken end tag closed after it ("</ul></div>"): the lone block
    just before the region holds one element of the region's named shape, and that is the item."""
    shape = region[0].shape
    if "." not in shape or len(block.elements) != 1 or block.first_link > region[0].first_link:
        return None
    tag = shape.partition(".")[0]
    inner = [node for node in block.elements[0].iter(tag) if _signature(node) == shape]
    if len(inner) != 1 or next(inner[0].iter("a"), None) is None:
        return None
    return _Block([inner[0]], shape, region[0].group, block.first_link, region[0].container, link=block.link)


def _grid_rows_joined(groups: list[list[_Block]]) -> list[list[_Block]]:
    """Items a few to a row (cells of a table row, cards of a grid's rows) are one region.

    Rows are sibling ``tr``s or ``div``s of one shape, nothing else beside them, each
    with as many items as the first but the last, which may hold fewer (one alone
    would not look like a listing). Sibling lists stay apart: they are sections.
    """
    rows: dict[tuple[str, int], list[list[_Block]]] = {}
    for group in groups:
        row = group[0].container
        grid = row.getparent() if row is not None else None
        if grid is not None and row.tag in ("tr", "div") and all(b.elements[0].getparent() is row for b in group):
            rows.setdefault((group[0].shape, id(grid)), []).append(group)
    grids: dict[int, list[_Block]] = {}
    for members in rows.values():
        if _a_grid(members):
            whole = [block for group in members for block in group]
            grids.update((id(group), whole) for group in members)
    found: list[list[_Block]] = []
    for group in groups:
        whole = grids.get(id(group), group)
        if whole[0] is group[0]:  # a grid in the place of its first row
            found.append(whole)
    return found


def _a_grid(rows: list[list[_Block]]) -> bool:
    containers = [group[0].container for group in rows]
    shape = _signature(containers[0])
    siblings = [child for child in containers[0].getparent() if isinstance(child.tag, str)]
    sizes = [len(group) for group in rows]
    return (
        len(rows) > 1 and len(siblings) == len(rows) and all(_signature(child) == shape for child in siblings)
        and sizes[0] > 1 and all(size == sizes[0] for size in sizes[:-1]) and sizes[-1] <= sizes[0]
    )


# --- reading a block ------------------------------------------------------------


class _Unit(msgspec.Struct):
    """A line of text: an element with text of its own, read whole."""

    node: Element
    text: str
    top: Element
    """The block element it is in."""
    in_heading: Element | None
    in_link: Element | None
    line: int = 0
    """Which line of the element, when <br>s cut its text into lines."""
    links_only: bool = False
    """All its text is the text of two or more links (a row of links)."""
    _path: str | None = None

    @property
    def path(self) -> str:
        """Its place in the block (tags and first classes): one slot across items."""
        if self._path is None:
            names = []
            node = self.node
            while node is not None:
                names.append(_signature(node))
                if node is self.top:
                    break
                node = node.getparent()
            self._path = "/".join(reversed(names)) + (f"#{self.line}" if self.line else "")
        return self._path


class _Read(msgspec.Struct):
    """What one block holds, before its fields are chosen."""

    block: _Block
    units: list[_Unit] = msgspec.field(default_factory=list)
    headings: list[Element] = msgspec.field(default_factory=list)
    links: list[Element] = msgspec.field(default_factory=list)
    images: list[Element] = msgspec.field(default_factory=list)
    times: list[Element] = msgspec.field(default_factory=list)
    rows: dict[str, _Unit] = msgspec.field(default_factory=dict)
    """Values of the rows that name a field of ours ("Titre : …", "<dt>Type</dt><dd>…</dd>"): see _field_rows."""
    not_fields: set[tuple[Element, int]] = msgspec.field(default_factory=set)
    """Lines that are no field of the item: names of fields, values of fields that are not ours (author,
    source, keywords, place), links within the page ("Back to top")."""
    not_own: set[Element] = msgspec.field(default_factory=set)
    """Elements inside the block that are not its own (items nested in it, chrome after them)."""


def _walk(block: _Block, skip: set[Element], headers: dict[Element, tuple[str | None, ...]]) -> _Read:
    """One pass through the block's elements (lxml iterates, in C), minus what is not its own."""
    from lxml.etree import Element as element_kind

    found = _Read(block)
    excluded = found.not_own = _not_own(block, skip)
    units: set[Element] = set()
    versions: list[Element] = []
    for top in block.elements:
        for node in top.iter(element_kind):
            if excluded and node in excluded:
                continue
            tag = node.tag
            if (tag in _HEADINGS or (node.get("slot") and _slotted_in_heading(node)) or _bold_line(node)
                    or _caption_of_details(node)):
                found.headings.append(node)
            elif tag == "a" or _custom_link(node):
                if _version_link(node):  # neither the item's link nor its label
                    excluded.update(node.iter())
                    continue
                if node.get("hreflang") and _in_another_language(node):
                    versions.append(node)  # the item's title in another language
                if _usable_href(node.get("href")) and not _in_a_sentence(node):
                    found.links.append(node)
            elif tag in _IMAGE_TAGS:
                found.images.append(node)
                alt = _icon_name(node)
                if alt:  # a topic's icon, named for those who cannot see it ("Press release"): a line
                    found.units.append(_unit(node, alt, top, 0))
            elif node.get("data-src") or "background-image" in (node.get("style") or ""):
                found.images.append(node)  # a picture as an element's CSS background (lazy-loaded or not)
            elif "-" in tag and node.get("src"):
                found.images.append(node)  # a web component's picture (<x-image src=…>)
            elif node.get("role") == "img" and node.get("aria-label") and not _has_own_text(node):
                # An icon that names something for screen readers ("ILO Live"): a line of that text.
                found.units.append(_unit(node, " ".join(node.get("aria-label").split()), top, 0))
                units.add(node)
            elif tag == "time" or (tag == "abbr" and _stamp(node)):
                found.times.append(node)
            elif tag in _MICRODATA_TAGS and node.get("itemprop") in _DATE_PROPERTIES and _stamp(node):
                found.times.append(node)  # schema.org microdata: <span itemprop=startDate content=2023-09-17>
            if _has_own_text(node) and not _inside(node, units, top):
                for number, line in enumerate(_lines_of(node)):
                    text = " ".join(line.split())
                    if text and not _printed_url(text):
                        found.units.append(_unit(node, text, top, number))
                if not any(child.tag in _BLOCK_TAGS for child in node):
                    units.add(node)  # its text is read whole: no line of its own below
    share = _share_links(found.links)
    if share:
        found.links = [a for a in found.links if a not in share]
    if versions:
        found.units = [unit for unit in found.units if not _a_version_row(unit, versions)]
    _field_rows(found)
    _column_fields(found, headers)
    _avatars(found)
    return found


_IMAGE_TAGS = frozenset(("img", "amp-img"))  # AMP pages have <amp-img> and no <img> outside <noscript>


def _a_version_row(unit: _Unit, versions: list[Element]) -> bool:
    """'Version française : <a hreflang=fr>…</a>': a line whose value is the item's title in
    another language, linked (after its field's name, if any), is neither a summary nor a label."""
    for link in versions:
        if link.getparent() is unit.node:
            name = unit.text.removesuffix(" ".join(text_of(link).split())).strip()
            if name != unit.text.strip() and (not name or _NAME_ONLY.fullmatch(name)):
                return True
    return False


def _printed_url(text: str) -> bool:
    """A link's address printed as a line, also after its field's name ("Permalink: https://…")."""
    if "://" not in text and "www." not in text:
        return "." in text and _HOST_NAME.fullmatch(text) is not None
    named = _FIELD_NAME.fullmatch(text)
    return bool(_PRINTED_URL.fullmatch(text) or (named and _PRINTED_URL.fullmatch(named["value"])))


def _not_own(block: _Block, skip: set[Element]) -> set[Element]:
    """Elements in the block that are not its content: code, controls, other items."""
    shape_tag = block.shape.partition(".")[0]
    own = set(block.elements)
    roots = [node for top in block.elements for node in top.iter(*_SKIPPED)]
    rows = {node.getparent() for node in roots if node.tag == "button"}
    roots += [row for row in rows if _a_row_of_controls(row, own, block)]
    for top in block.elements if "." in block.shape else ():
        # An item without a link of its own that an unclosed tag put in this one
        # (not any inner <div> of a block with no class to tell them apart, nor
        # an inner wrapper of the same name around the block's own link).
        roots += [node for node in top.iter(shape_tag) if node not in own and _signature(node) == block.shape
                  and next(node.iter(*_HEADINGS), None) is not None and next(node.iter("a"), None) is None]
    roots += [node for node in skip if node not in own and any(_inside(node, {top}, None) for top in block.elements)]
    if block.nested:
        roots += _chrome_after_items(block)
    excluded: set[Element] = set()
    for root in roots:
        excluded.update(root.iter())
    return excluded


def _chrome_after_items(block: _Block) -> list[Element]:
    """Chrome after the last item an unclosed tag put in the block: it swallowed the page's sidebar too.

    Not what the block holds before (its own share bar, its related files) nor a <header> or <footer>.
    """
    top = block.elements[-1]
    last = max(block.nested, key=lambda node: node.sourceline or 0)
    after = []
    node = last
    while node is not None and node is not top:
        after += node.itersiblings()
        node = node.getparent()
    chrome = _Chrome()
    return [inner for outer in after for inner in outer.iter()
            if isinstance(inner.tag, str) and inner.tag not in _PAGE_PARTS and chrome(inner)
            and not any(_PAGE_PART_WORDS.search(word) for word in _words(inner))]


def _a_row_of_controls(row: Element | None, own: set[Element], block: _Block) -> bool:
    """Buttons and links side by side with no text of their own ("Reblog", "Like", "Share"):
    what a reader can do with the item, not what it is; unless the item has no other link."""
    if row is None or row in own or (row.text or "").strip():
        return False
    if not all(child.tag in ("a", "button") and not (child.tail or "").strip() for child in row):
        return False
    inside = set(row.iter("a"))
    return any(a not in inside for top in block.elements for a in top.iter("a"))


_BOLD = frozenset(("strong", "b"))


def _bold_line(node: Element) -> bool:
    """A line that is all bold, "<div><strong><a>Title</a></strong></div>", over more lines: a heading to a
    reader, whatever its tag. Not inside a heading element (that is the heading), nor a bold line that
    nothing follows ("<li><b><a>More info</a></b></li>" ending a list of links): it heads nothing.
    """
    if node.tag not in _BOLD:
        return False
    line = node.getparent()
    if line is not None and line.tag == "a" and len(line) == 1:
        line = line.getparent()  # <div><a><strong>Title</strong></a></div>
    if line is None or line.tag not in _BLOCK_TAGS or line.tag in _HEADINGS:
        return False
    if any(ancestor.tag in _HEADINGS for ancestor in node.iterancestors()):
        return False
    text = " ".join(text_of(node).split())
    if not text or text != " ".join(text_of(line).split()):
        return False
    for _ in range(3):  # "<header><div><b>Title</b></div></header><p>…": what follows the line's wrappers
        if (line.tail or "").strip() or any(text_of(after).strip() for after in islice(line.itersiblings(), 4)):
            return True
        wrapper = line.getparent()
        if wrapper is None or len(wrapper) != 1:
            return False
        line = wrapper
    return False


def _slotted_in_heading(node: Element) -> bool:
    """A web component's child that its declarative shadow tree shows inside a heading:
    <x-card><template shadowrootmode=open>…<h3><slot name=heading>…</template><span slot=heading>."""
    host = node.getparent()
    shadow = next((child for child in host if child.tag == "template" and
                   (child.get("shadowrootmode") or child.get("shadowroot"))), None) if host is not None else None
    if shadow is None:
        return False
    name = node.get("slot")
    for slot in shadow.iter("slot"):
        if slot.get("name") == name:
            for ancestor in slot.iterancestors():
                if ancestor is shadow:
                    return False
                if ancestor.tag in _HEADINGS:
                    return True
    return False


def _related(node: Element, other: Element) -> bool:
    """Whether one holds the other (or they are one)."""
    return node is other or node in other.iterancestors() or other in node.iterancestors()


def _caption_of_details(node: Element) -> bool:
    """A <details>'s <summary>: what it is about, shown while it is closed; its item's heading."""
    if node.tag != "summary":
        return False
    parent = node.getparent()
    return parent is not None and parent.tag == "details"


def _inside(node: Element, holders: set[Element], top: Element | None) -> bool:
    """Whether one of ``holders`` is an ancestor of ``node`` (below ``top``)."""
    if not holders:
        return False
    for ancestor in node.iterancestors():
        if ancestor in holders:
            return True
        if ancestor is top:
            return False
    return False


def _unit(node: Element, text: str, top: Element, line: int) -> _Unit:
    heading = link = None
    ancestor = node
    while ancestor is not None:
        tag = ancestor.tag
        if tag in _HEADINGS or (tag in _BOLD and _bold_line(ancestor)) or _caption_of_details(ancestor):
            heading = ancestor
        elif link is None and (tag == "a" or _custom_link(ancestor)):
            link = ancestor
        if ancestor is top:
            break
        ancestor = ancestor.getparent()
    return _Unit(node, text, top, heading, link, line, len(node) > 1 and _links_only(node, text))


def _links_only(node: Element, text: str) -> bool:
    links = [" ".join(text_of(a).split()) for a in node.iter("a")]
    if len(links) < 2:
        return False
    for link in links:
        text = text.replace(link, "", 1)
    return not text.strip(_PUNCTUATION)


# Elements that start a line of their own: an unclosed <div> or <p> around them
# does not make their text part of its line.
_BLOCK_TAGS = frozenset(
    ("address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption", "figure", "footer", "form",
     "h1", "h2", "h3", "h4", "h5", "h6", "header", "li", "main", "nav", "ol", "p", "pre", "section", "table", "td",
     "th", "tr", "ul")
)


def _lines_of(node: Element) -> list[str]:
    """The element's lines: its own text cut at each <br>.

    Not in them: the text of the blocks inside it (an unclosed <div> or <p>
    around them; theirs are lines of their own) and of its "Read more" links.
    """
    if not any(child.tag in _BLOCK_TAGS or child.tag in ("br", "a") for child in node):
        return [text_of(node)]  # most often: no need to look at each child
    lines: list[list[str]] = [[node.text or ""]]
    for child in node:
        if child.tag == "br":
            lines.append([])
        elif child.tag in _BLOCK_TAGS:
            lines[-1].append(" ")  # its text is a line of its own; its edges still part words
        elif isinstance(child.tag, str) and child.tag not in _SKIPPED and (child.tag != "a" or not _read_more(child)):
            lines[-1].append(text_of(child))
        lines[-1].append(child.tail or "")
    return [joined(line) for line in lines]


def _read_more(link: Element) -> bool:
    """A "Read more" link, also one that tells screen readers what ("Read more<span>Title</span>",
    "<span>Leggi di più</span><span class=visually-hidden>su Title…</span>")."""
    if any(_is_read_more(text.strip(_PUNCTUATION)) for text in (text_of(link), link.text or "")):
        return True
    return len(link) > 1 and not (link.text or "").strip() and _is_read_more(_title_text(link).strip(_PUNCTUATION))


def _is_read_more(bare: str) -> bool:
    """"Read more", "Weiterlesen", "Подробнее", "[详细]" (without its brackets): the code's words, then words.json's."""
    return bool(_READ_MORE.fullmatch(bare)) or bare.casefold() in phrases("read_more")


def _has_own_text(node: Element) -> bool:
    text = node.text
    if text and not text.isspace():
        return True
    for child in node:
        tail = child.tail
        if tail and not tail.isspace():
            return True
    return False


class _Fields(msgspec.Struct):
    """A block's title, link and date, and its other lines sorted out."""

    title: str
    link: Element
    title_node: Element
    """The heading or the link whose text is the title."""
    title_heading: Element | None
    date: _Unit | None
    datetime_attr: str | None
    labels: list[tuple[int, _Unit]]
    """Short lines that could be its label, with where they stand from the title (-1: just above)."""
    others: list[_Unit]
    """Lines that are not the title, the date, a credit, a byline or a "Read more"."""
    inner_label: _Unit | None
    """A label that opens the title ("<a><span>Press release</span> More than half…</a>")."""
    title_after_label: str
    """The title without that label: the title when the label is taken."""


_SAMPLE = 16
"""Blocks of a long region read one by one before its template is trusted for the rest."""


class _Found(msgspec.Struct, frozen=True):
    """An item, where it stands in the page, and the elements its fields came from."""

    block: _Block
    item: RawItem
    nodes: dict[str, Element | None]


def _read_region(region: list[_Block], months: _MonthHeadings, loose: bool = False) -> tuple[list[_Found], int]:
    """The region's items and how many of its blocks had none.

    A long region of simple blocks is read like a profile reads a page: a
    sample of its blocks is read in full, which tells where each field stands
    in a block (a template); the template is used for the other blocks only
    if it gives the sample's items exactly, and any block it cannot read
    (no title or link where the template expects them) is read in full.
    """
    if len(region) <= 3 * _SAMPLE or any(len(b.elements) > 1 or b.nested for b in region):
        return _read_blocks(region, months, loose)
    # The first blocks and some spread over the rest: a sample of every n-th
    # block alone would miss what only every other block has.
    spread = region[_SAMPLE :: len(region) // _SAMPLE][:_SAMPLE]
    sample = region[:_SAMPLE] + spread
    read, _ = _read_blocks(sample, months, loose)
    template = _template(read, len(sample))
    if template is None or any(_by_template(found.block, template, months) != found.item for found in read):
        return _read_blocks(region, months, loose)
    return _read_with_template(region, sample, template, months, loose)


class _Template(msgspec.Struct, frozen=True):
    """Where each field stands in a region's blocks: the signatures from the block down."""

    paths: dict[str, tuple[str, ...]]
    children: frozenset[str]
    """The signatures of the sample's blocks' children: a block with another is read in full."""


def _template(sample: list[_Found], size: int) -> _Template | None:
    """One place per field across the sample, title and link in every item; None if not."""
    if len(sample) < size:
        return None  # a block without title or link: not a region to read by rote
    paths: dict[str, tuple[str, ...]] = {}
    for name in ("title", "link", "date", "label", "summary", "image"):
        places = {_path_below(found.nodes[name], found.block.elements[0]) for found in sample
                  if found.nodes[name] is not None}
        if len(places) > 1 or (name in ("title", "link") and not places):
            return None
        if places:
            paths[name] = places.pop()
    children = frozenset(_signature(child) for found in sample for child in found.block.elements[0])
    return _Template(paths, children)


def _path_below(node: Element, top: Element) -> tuple[str, ...]:
    steps = []
    while node is not None and node is not top:
        steps.append(_signature(node))
        node = node.getparent()
    return tuple(reversed(steps))


def _at(top: Element, children: dict[str, Element], path: tuple[str, ...]) -> Element | None:
    """The first element at that place, from the block's first child of each signature."""
    if not path:
        return top  # the block itself: a link that is the whole card
    node = children.get(path[0])
    for step in path[1:]:
        if node is None:
            return None
        node = next((child for child in node if _signature(child) == step), None)
    return node


def _by_template(block: _Block, template: _Template, months: _MonthHeadings) -> RawItem | None:
    """The block's item read from the template's places; None when the block differs from the sample's.

    Texts are read whole here (a full read cuts lines at <br> and leaves "Read
    more" out): the template is used only where the two agree on the sample.
    """
    top = block.elements[0]
    children: dict[str, Element] = {}
    known = template.children
    for child in top:
        signature = _SIGNATURES.get((child.tag, child.get("class"))) or _signature(child)
        if signature not in known:
            return None
        if signature not in children:
            children[signature] = child
    paths = template.paths
    title_node, link = _at(top, children, paths["title"]), _at(top, children, paths["link"])
    title = " ".join(text_of(title_node).split()) if title_node is not None else ""
    href = link.get("href") if link is not None else None
    if not title or not _usable_href(href):
        return None
    texts: dict[str, str | None] = {"date": None, "label": None, "summary": None}
    for name in texts:
        node = _at(top, children, paths[name]) if name in paths else None
        if node is not None:
            texts[name] = " ".join(text_of(node).split()) or None
    image = _at(top, children, paths["image"]) if "image" in paths else None
    machine = _machine_date(top.iter("time", "abbr"))
    return RawItem(
        title=title,
        url=str(href).strip(),
        date_text=texts["date"],
        datetime_attr=machine,
        label=texts["label"],
        summary=texts["summary"],
        image=img_url(image) if image is not None else None,
        group_date=None if machine or _full_date(texts["date"]) else months.before(block),
    )


def _read_with_template(
    region: list[_Block], sample: list[_Block], template: _Template, months: _MonthHeadings, loose: bool
) -> tuple[list[_Found], int]:
    found: list[_Found] = []
    odd: list[_Block] = []
    for block in region:
        item = _by_template(block, template, months)
        if item is None:
            odd.append(block)
        else:
            found.append(_Found(block, item, {}))
    skipped = 0
    if odd:
        # Read with the sample, so that places shared across the region still count.
        ids = {id(block) for block in odd}
        again, skipped = _read_blocks(odd + [b for b in sample if id(b) not in ids], months, loose)
        found += [f for f in again if id(f.block) in ids]
    return found, skipped


def _read_blocks(region: list[_Block], months: _MonthHeadings, loose: bool = False) -> tuple[list[_Found], int]:
    """Every block of a region read in full."""
    nested = {node for block in region for node in block.nested}
    headers: dict[Element, tuple[str | None, ...]] = {}  # per table: what its header row names
    reads = [_walk(block, nested, headers) for block in region]
    shared = _shared_hrefs(reads)
    units = [read.units for read in reads]  # _fields cuts the title's line: a second reading starts again
    chosen = [_fields(read, shared) for read in reads]
    _titles_in_one_place(reads, units, chosen, shared)
    if not (_looks_like_listing(chosen) or _a_month_listed(region, chosen, months)
            or _a_post_of_its_day(region, chosen, months) or (loose and _titles_with_teasers(chosen))):
        return [], 0
    label_slots = _label_slots(chosen, len(region))
    senders = _sender_slots(chosen)
    label_slots -= _repeated_labels(chosen, label_slots) | senders | _bylines_in_date_lines(chosen, label_slots)
    label_slots -= _beside_labels(chosen, label_slots)
    link_rows = _mostly_one_link(reads, chosen)
    summary_slots = _summary_slots(chosen)
    types_after_dates = _types_after_dates(chosen)
    types_before_dates = _types_after_dates(chosen, _type_before_date)
    headed = _all_headed_but_one(chosen)
    shared_images = _shared_images(reads)
    found = []
    skipped = 0
    for read, fields_ in zip(reads, chosen, strict=True):
        if fields_ is None:
            skipped += 1
            log.warning("skipped a repeated block with no title or link (fallback): %r", _snippet(read))
            continue
        if link_rows and _a_row_of_links(read, fields_):
            continue
        if headed and fields_.title_heading is None and not _is_dated(fields_):
            continue  # "Veille précédente : <a>…</a>" after items that all have a heading
        label = _label(read, fields_, label_slots)
        if label is None and fields_.date is not None and (types_after_dates or _known_kind_after(fields_.date)):
            # A type that varies from item to item, or one the taxonomy knows: in a section of two
            # "Press release" items, it cannot vary.
            label = _type_after_date(fields_.date)
        if label is None and fields_.date is not None and types_before_dates:
            label = _type_before_date(fields_.date)
        summary = read.rows.get("summary") or _summary(fields_, label, summary_slots, senders)
        if summary is not None:
            summary = _without_closing_link(summary, fields_.link)
        image = _image(read, shared_images)
        item = RawItem(
            title=fields_.title_after_label if label is not None and label is fields_.inner_label else fields_.title,
            url=_plain_href(read, fields_.link),
            date_text=fields_.date.text if fields_.date is not None else None,
            datetime_attr=fields_.datetime_attr,
            label=label.text if label is not None else None,
            summary=summary.text if summary is not None else None,
            image=img_url(image) if image is not None else None,
            group_date=(
                None if fields_.datetime_attr or (fields_.date and _full_date(fields_.date.text))
                else months.before(read.block)
            ),
        )
        nodes = {
            "title": fields_.title_node,
            "link": fields_.link,
            "date": fields_.date.node if fields_.date is not None else None,
            "label": label.node if label is not None else None,
            "summary": summary.node if summary is not None else None,
            "image": image,
        }
        found.append(_Found(read.block, item, nodes))
    return found, skipped


def _titles_in_one_place(
    reads: list[_Read], units: list[list[_Unit]], chosen: list[_Fields | None], shared: set[str]
) -> None:
    """Titles stand in one place across a region: an item whose title heading is elsewhere than
    most items' takes its heading at their place, if it has one there with a link (a source's
    heading above the entry's, whose link the other items share and this one does not)."""
    places: dict[tuple[str, ...], int] = {}
    mine: list[tuple[str, ...] | None] = []
    for read, fields_ in zip(reads, chosen, strict=True):
        place = None
        if fields_ is not None and fields_.title_heading is not None:
            place = _path_below(fields_.title_heading, read.block.elements[0])
            places[place] = places.get(place, 0) + 1
        mine.append(place)
    if len(places) < 2:
        return
    common = max(places, key=places.__getitem__)
    if places[common] * 2 <= len(reads):
        return
    for index, (read, place) in enumerate(zip(reads, mine, strict=True)):
        if place is None or place == common:
            continue
        cut, read.units = read.units, units[index]
        again = _fields(read, shared, common)
        if again is not None and again.title_heading is not None and (
                _path_below(again.title_heading, read.block.elements[0]) == common):
            chosen[index] = again
        else:
            read.units = cut  # as the first reading left it


def _plain_href(read: _Read, link: Element) -> str:
    """The title link's address, or the item's other link to the same page without its query's extras.

    "<h3><a href=a?utm_source=x>Title</a></h3> … <a href=a>Read more</a>": the
    campaign tags say where a click came from, not where the article is.
    """
    href = str(link.get("href")).strip()
    if "?" not in href:
        return href
    mine = _page_key(href)
    for other in read.links:
        plain = str(other.get("href")).strip()
        if len(plain) < len(href) and _page_key(plain) == mine:
            href = plain
    return href


def _mostly_one_link(reads: list[_Read], chosen: list[_Fields | None]) -> bool:
    """Whether most items of the region link to one place only (their article), and have a date."""
    single = sum(1 for read, f in zip(reads, chosen, strict=True)
                 if f is not None and f.date is not None and len(_hrefs(read)) == 1)
    return single * 2 > len(reads)


def _a_row_of_links(read: _Read, fields_: _Fields) -> bool:
    """A block among such items with no date and several links (a breadcrumb, a footer row),
    or nothing but its link ("See all meetings and events")."""
    if _is_dated(fields_):
        return False
    bare = fields_.title_heading is None and not fields_.others and not read.images
    return bare or len(_hrefs(read)) > 1


def _hrefs(read: _Read) -> set[str]:
    return {str(a.get("href")).strip() for a in read.links}


def _shared_hrefs(reads: list[_Read]) -> set[str]:
    """Links found in several items of a region: categories, "all news", not an item's own link."""
    if len(reads) < 3:
        return set()
    seen: dict[str, int] = {}
    for read in reads:
        for href in {str(a.get("href")).strip() for a in read.links}:
            seen[href] = seen.get(href, 0) + 1
    return {href for href, count in seen.items() if count > 1}


def _fields(read: _Read, shared: set[str], title_place: tuple[str, ...] | None = None) -> _Fields | None:
    title = _title(read, shared, title_place)
    if title is None:
        return None
    text, link, heading = title
    whole_heading = heading is not None and text == _heading_text(heading)
    holder = heading if whole_heading else link
    text = _without_reference(holder, text)
    inner = _inner_label(holder, text) or _kind_before_colon(holder, text)
    in_title = [
        (whole_heading and unit.in_heading is heading)
        or unit.text == text
        or (unit.in_link is link and unit.text in text and not whole_heading)
        for unit in read.units
    ]
    read.units, in_title, run_on = _around_title(read.units, in_title, text, link)
    read.units, in_title = _date_led_lines(read.units, in_title)
    not_title = [u for u, t in zip(read.units, in_title, strict=True) if not t]
    date = _date_unit(not_title)
    if date is None or _precision(date.text) in ("month", "year"):
        # "<span>17</span><span>OCT 2024</span>": the month piece alone is a date, the pieces together a day.
        split = _split_date(read, in_title)
        if split is not None and (date is None or _precision(split.text) not in ("month", "year")):
            date = split
    if date is not None:
        date = _with_time_line(_with_range_end_line(date, not_title), not_title)
    byline = _DATE_KIND.match(date.text) if date is not None else None
    if date is not None and byline and BYLINE.match(byline["kind"]):
        # "By Jane Doe | 3 May 2024": the date is what follows the byline, which names no type.
        date = replace(date, text=date.text[byline.end("kind") :].lstrip(" |·•—–"))
    machine = _machine_date(read.times)
    if date is None and machine is None:
        date = _sentence_date(not_title) or _unseen_date(read, link)
    title_at = in_title.index(True) if True in in_title else None
    labels = []
    others = []
    for index, (unit, is_title) in enumerate(zip(read.units, in_title, strict=True)):
        if is_title or unit is date or _not_a_title(unit.text) or (unit.node, unit.line) in read.not_fields:
            continue
        if unit.in_link is not None and unit.in_link is not link and _read_more(unit.in_link):
            continue  # "Read more<span class=sr-only> about Title</span>"
        if unit.in_link is link and _screen_reader_only(unit.node):
            continue  # "<a>Title<span class=sr-only> (external link)</span></a>": about the link
        if unit.in_link is link and heading is not None and not _related(link, heading):
            continue  # a title in plain text: its item's link says where it is ("Consult the report on …")

        if unit.in_link is None and _in_cell(unit, ("dt",)) and not _in_title_cell(unit, link):
            continue  # a term names the field that follows ("Details", "Category"), it is not one
        if date is not None and date.node is not unit.node and date.node in unit.node.iterancestors():
            continue  # a piece of a date split by markup
        others.append(unit)
        # No label: an icon after the title marks its link ("NEW", "PDF"); before it, it may name the kind.
        if (_label_like(unit.text) and id(unit) not in run_on and not _above_in_rank(unit, heading)
                and not _names_a_poster(unit) and not _another_link_to_it(unit, link)
                and not (unit.node.tag in _IMAGE_TAGS and title_at is not None and index > title_at)):
            labels.append((index - title_at if title_at is not None else index, unit))
    inner_label = None
    if inner is not None:
        node, label, _ = inner
        inner_label = _unit(node, label, read.block.elements[0], 0)
    return _Fields(text, link, holder, heading, date, machine, labels, others, inner_label,
                   inner[2] if inner is not None else text)


def _another_link_to_it(unit: _Unit, link: Element) -> bool:
    """A line that is a second link to the item's own page: its read-more, in whatever words
    ("Leer comunicado completo »"), not its label; a label's link leads to its kind's page."""
    return unit.in_link is not None and unit.in_link is not link and _same_target(unit.in_link, link)


_JOINTS = " \t\n\u00a0—–-:|·•,"


def _around_title(
    units: list[_Unit], in_title: list[bool], title: str, link: Element
) -> tuple[list[_Unit], list[bool], set[int]]:
    """A line that holds the title link and more: what precedes the title and what follows it
    are lines of their own, just above and just below it.

    "<li>12 May 2023 — <a>Title</a> <em>(News)</em></li>": the date line, then the label;
    "<figcaption><span>Statement</span> <a>Title</a><br>…": a kicker above the title.
    Also returns the ids of the pieces that run on from the title, which are no label:
    plain text after it continues its line ("<a>Title</a>, Geneva") unless brackets or
    an element of its own set it apart.
    """
    cut_units: list[_Unit] = []
    cut_flags: list[bool] = []
    run_on: set[int] = set()
    for unit, is_title in zip(units, in_title, strict=True):
        if is_title or title not in unit.text or not (unit.node is link or link in unit.node.iterdescendants("a")):
            cut_units.append(unit)
            cut_flags.append(is_title)
            continue
        before, _, after = unit.text.partition(title)
        before, after = before.rstrip(_JOINTS), after.lstrip(_JOINTS)  # "date — Title: summary": no piece's
        path = unit.path
        for piece, place, is_title_piece in ((before, "<", False), (title, "", True), (after, ">", False)):
            if piece:
                # A kicker before the title that is an element of its own stands in that element's place,
                # where other items' stand when their line has no text of its own ("<span>報道発表</span><a>…").
                own = _element_of(piece, unit.node, link) if place == "<" else None
                place_of = path + place if own is None else replace(unit, node=own, _path=None).path
                cut_units.append(replace(unit, text=piece, _path=place_of))
                cut_flags.append(is_title_piece)
        if after and not _set_apart(after, unit.node, link):
            run_on.add(id(cut_units[-1]))
    return cut_units, cut_flags, run_on


def _set_apart(piece: str, line: Element, link: Element) -> bool:
    """Whether a piece of a line is in brackets, or is the whole text of an element of its own."""
    return bool(_BRACKETED.fullmatch(piece)) or _element_of(piece, line, link) is not None


def _element_of(piece: str, line: Element, link: Element) -> Element | None:
    """The element of the line (not the title's link) whose whole text the piece is."""
    return next((child for child in line if child is not link and isinstance(child.tag, str)
                 and " ".join(text_of(child).split()) == piece), None)


_DATE_LED = re.compile(r"(?P<date>[^\n]{6,60}?)\s+[-\u2013\u2014]\s+(?P<rest>\S.*)")


def _date_led_lines(units: list[_Unit], in_title: list[bool]) -> tuple[list[_Unit], list[bool]]:
    """A line that is a date, a dash and the teaser ("12/09/2024 - Pela primeira vez, …"): two, the date
    and the teaser. Not a range ("12/09/2024 - 13/09/2024") nor a date and its type: the rest is a sentence;
    and only in an item with no date line of its own."""
    if not any(len(unit.text) > _MAX_DATE_TEXT for unit in units) or any(_date_of(unit.text) for unit in units):
        return units, in_title
    kept_units: list[_Unit] = []
    kept_in_title: list[bool] = []
    for unit, is_title in zip(units, in_title, strict=True):
        led = None if is_title or len(unit.text) <= _MAX_DATE_TEXT else _DATE_LED.fullmatch(unit.text)
        if led is not None and len(led["rest"]) >= _MIN_SUMMARY and _full_date(led["date"]):
            kept_units += [replace(unit, text=led["date"]), replace(unit, text=led["rest"])]
            kept_in_title += [False, False]
        else:
            kept_units.append(unit)
            kept_in_title.append(is_title)
    return kept_units, kept_in_title


def _title(
    read: _Read, shared: set[str], place: tuple[str, ...] | None = None
) -> tuple[str, Element, Element | None] | None:
    """(title, its link, its heading): the heading with a link (the one at ``place`` if there is one
    there), else the longest plain link text."""
    own = [a for a in read.links if str(a.get("href")).strip() not in shared] or read.links
    if not own:
        return None
    if "title" in read.rows:
        return _named_title(read, own)
    if not read.headings:
        lead = _lead_of_a_button(read, own)
        if lead is not None:
            return lead
    texts = {id(a): _without_times(read, a, _link_text(a)) for a in own}
    candidates = []
    for heading in read.headings:
        text = _without_times(read, heading, _heading_text(heading))
        if not text or _not_a_title(text) or _date_of(text) is not None:
            continue  # a day's or a month's heading dates items, it does not name one
        link = _link_of_heading(heading, own)
        if link is None:
            link = next((a for a in own if texts[id(a)] == text), None)
        candidates.append((link is not None, text, link, heading))
    with_link = [c for c in candidates if c[0]]
    if with_link:
        _, text, link, heading = next((c for c in with_link if _path_below(c[3], read.block.elements[0]) == place),
                                      with_link[0])
        # "<h3><small>News</small> <a>Title</a></h3>": the link is the title, the rest a label.
        inner = texts[id(link)]
        rest = text.replace(inner, "", 1).strip() if inner else ""
        if rest and link in heading.iterdescendants("a") and _label_like(rest):
            return inner, link, heading
        return text, link, heading
    best = max((a for a in own if texts[id(a)] and not _not_a_title(texts[id(a)])),
               key=lambda a: len(texts[id(a)]), default=None)
    if best is not None:
        best = _first_to_same_page(best, own, texts)
    heading_text = candidates[0][1] if candidates else ""
    if heading_text and (best is None or len(heading_text) >= len(texts[id(best)]) or len(heading_text.split()) > 3):
        _, text, _, heading = candidates[0]
        # A heading with no link of its own: a "Read more" says where the item leads, a topic's link does not.
        more = next((a for a in own if _read_more(a)), None)
        return text, more if more is not None else best if best is not None else own[0], heading
    if best is None:
        return None
    return texts[id(best)], best, None


def _first_to_same_page(best: Element, links: list[Element], texts: dict[int, str]) -> Element:
    """The first of the item's links to that page with a title's text: "<a href=p>Title</a> …
    <a href=p>A teaser, longer than the title, that links to the article too.</a>"."""
    href = str(best.get("href")).strip()
    for link in links:
        if link is best:
            break
        text = texts[id(link)]
        if (str(link.get("href")).strip() == href and len(text.split()) >= 3 and not _not_a_title(text)
                and _date_of(text) is None):
            return link
    return best


def _heading_text(heading: Element) -> str:
    """The heading's text without its permalink ("¶", "#": a link to its own anchor, no word of the title)
    and without what it says to screen readers only (``_title_text``)."""
    text = _title_text(heading)
    for link in heading.iter("a"):
        if not (link.get("href") or "").startswith("#"):
            continue  # most: the title's own link
        mark = " ".join(text_of(link).split())
        if mark and not any(ch.isalnum() for ch in mark):
            if text.endswith(mark):
                text = text[: -len(mark)].rstrip()
            elif text.startswith(mark):
                text = text[len(mark) :].lstrip()
    return text


def _link_text(link: Element) -> str:
    """A link's text; for a link around blocks (a title paragraph, then a teaser), its first line's,
    unless that is a date, or a kicker of a word or three over a longer line (the card's label above its title);
    for a whole card (or a line of it) of a title and its date, the title's (``_title_before_date``)."""
    if next(link.iterdescendants(*_BLOCK_TAGS), None) is None:
        return _line_text(link)  # most: a link around words
    lines = [text for text in map(_line_text, _card_lines(link))
             if any(ch.isalpha() for ch in text) and _date_of(text) is None]  # not a date, nor a date box's day
    if len(lines) > 1 and _a_kicker_over(lines[0], lines[1]):
        return lines[1]
    if lines:
        return lines[0]
    first = next((node for node in link.iterdescendants(*_BLOCK_TAGS) if _has_own_text(node)), None)
    return _title_text(first if first is not None else link)


def _line_text(node: Element) -> str:
    title = _title_before_date(node)
    return title if title is not None else _title_text(node)


_CARD_LINE_TAGS = frozenset((*_BLOCK_TAGS, "span", "strong", "b", "small", "time"))


def _card_lines(link: Element) -> Iterator[Element]:
    """The lines of a link around blocks: its blocks with text of their own before their inner blocks (not
    one whose only text trails them: a button's words), and the inline pieces that stand alone in a block
    with none ("<div><span>News</span><strong>Title</strong></div>"), in page order."""
    for node in link.iterdescendants(*_CARD_LINE_TAGS):
        if node.tag in _BLOCK_TAGS:
            if _leads_with_text(node):
                yield node
            continue
        parent = node.getparent()
        if (parent is link or parent.tag in _BLOCK_TAGS) and not _has_own_text(parent):
            yield node


def _a_kicker_over(kicker: str, title: str) -> bool:
    return (len(kicker.split()) <= 3 and _label_like(kicker) and len(title.split()) >= _MIN_TITLE_WORDS
            and not title.endswith((".", "!", "…")))  # a title may ask ("…: what role?"); a teaser states


def _leads_with_text(node: Element) -> bool:
    """Whether the block has text of its own before any block inside it."""
    if not _has_own_text(node):
        return False
    if node.text and not node.text.isspace():
        return True
    for child in node:
        if child.tag in _BLOCK_TAGS:
            return False
        if child.tail and not child.tail.isspace():
            return True
    return True


def _title_before_date(link: Element) -> str | None:
    """A whole card that is a title and its date: lines cut by <br> with a date among the later ones
    (the first line); a first line of a bold title with only its date after it (the bold part); a
    first line that leads with a day in an element of its own (what follows it)."""
    lines = [line for line in _lines_of(link) if line] if next(link.iter("br"), None) is not None else []
    if len(lines) > 1 and any(_date_of(line) is not None for line in lines[1:]):
        return " ".join(lines[0].split())
    lead = link[0] if len(link) and not (link.text or "").strip() and link[0].tag not in _BLOCK_TAGS else None
    if lead is None:
        return None
    piece, first = " ".join(text_of(lead).split()), " ".join((lines[0] if lines else text_of(link)).split())
    rest = first[len(piece) :].strip(" ()[]|·•—–-:,") if piece and first.startswith(piece) else ""
    if not rest:
        return None
    if lead.tag in ("b", "strong") and _date_of(rest) is not None:
        return piece
    if _precision(piece) == "day" and _date_of(rest) is None:
        return rest  # "<span>27 June 2024</span> — Title": the date leads, the title follows
    return None


_SCREEN_READER_ONLY = re.compile(
    r"(?:^|-)(?:sr-only|sr-text|visually-?hidden|hidden-visually|screen-reader(?:-text|-only)?|element-invisible"
    r"|show-for-sr|a11y-hidden|assistive-text|offscreen|hide-accessible)$"
)
"""The class names of the CSS idiom that hides text from sight and keeps it for screen readers."""


def _screen_reader_only(node: Element) -> bool:
    return any(_SCREEN_READER_ONLY.search(word) for word in _words(node))


def _title_text(node: Element) -> str:
    """A title's text without what it says to screen readers only at its start or end: " (externer
    Link)", "(opens in a new window)", "Article: " are about the link, not words of its title."""
    text = " ".join(text_of(node).split())
    for span in node.iterdescendants("span"):
        if _screen_reader_only(span):
            piece = " ".join(text_of(span).split())
            if piece and piece != text:
                text = text.removesuffix(piece).removeprefix(piece).strip()
    return text


def _without_times(read: _Read, holder: Element, text: str) -> str:
    """The text without the ``<time>`` in it: "<a>Title<br><time>28 July 2022</time></a>".

    A machine-readable date inside a title link dates the item; it is no word of its title.
    """
    for time in read.times:
        if _inside(time, {holder}, read.block.elements[0]):
            shown = " ".join(text_of(time).split())
            rest = " ".join(text.replace(shown, "", 1).split()) if shown else text
            text = rest or text
    return text


def _inner_label(holder: Element, title: str) -> tuple[Element, str, str] | None:
    """(element, label, title without it): "<a><span>Press release</span> More than half…</a>".

    A short inline element that opens the title, followed by a longer text that
    is not punctuation ("<em>Ukraine</em>: the ILO…" stays one title).
    """
    while len(holder) == 1 and not (holder.text or "").strip() and not (holder[0].tail or "").strip():
        holder = holder[0]  # <h3><a><span>Press release</span> Title</a></h3>
    first = holder[0] if len(holder) else None
    if first is None or (holder.text or "").strip() or not isinstance(first.tag, str):
        return None
    if first.tag in _BLOCK_TAGS or first.tag in ("em", "i", "q", "cite", "code", "abbr", "br", "img"):
        return None
    label = " ".join(text_of(first).split())
    rest = title[len(label) :].strip() if label and title.startswith(label) else ""
    if not _label_like(label) or len(rest.split()) < 3 or not rest[0].isalnum():
        return None
    return first, label, rest


def _without_reference(holder: Element, title: str) -> str:
    """'<b>DOC-INT 2024/131</b> Title…': a reference number in an element of its own that opens the
    title is no word of it (three digits or more, no fewer than letters, a mark between its parts);
    a name with a number ("COP28", "G20", "COVID-19") is."""
    first = holder[0] if len(holder) and not (holder.text or "").strip() else None
    if first is None or not isinstance(first.tag, str) or first.tag in _BLOCK_TAGS:
        return title
    reference = " ".join(text_of(first).split())
    rest = title[len(reference) :].strip() if reference and title.startswith(reference) else ""
    if len(rest.split()) < 3 or len(reference.split()) > 3 or not any(ch in "/-._" for ch in reference):
        return title
    digits = sum(ch.isdigit() for ch in reference)
    letters = sum(ch.isalpha() for ch in reference)
    return rest if letters and digits >= max(3, letters) else title


_KIND_COLON = re.compile(r"(?P<kind>[^:]{2,40}?)\s*:\s+(?P<rest>\S.*)")


def _kind_before_colon(holder: Element, title: str) -> tuple[Element, str, str] | None:
    """(holder, kind, title without it): "Press release: More than half…", "Comunicado de prensa: …".

    Only a kind of item the taxonomy knows (its labels): "Ukraine: the ILO…" or "SDG Action Weekend,
    High Impact Initiatives: …" stay one title.
    """
    match = _KIND_COLON.fullmatch(title)
    if match is None or len(match["rest"].split()) < 3 or not _a_known_kind(match["kind"]):
        return None
    return holder, match["kind"], match["rest"]


_BY = re.compile(r"\b(?:by|par|por)\s+(?P<name>\S.*)", re.IGNORECASE)


def _names_a_poster(unit: _Unit) -> bool:
    """'Last post by <a>tomas_r</a> »', 'Posté par <a>jo</a>': who posted, linked after "by", is no label."""
    names = [by["name"] for by in _BY.finditer(unit.text)]
    return bool(names) and any(
        (link := " ".join(text_of(a).split())) and any(name.startswith(link) for name in names)
        for a in unit.node.iter("a")
    )


def _above_in_rank(unit: _Unit, title_heading: Element | None) -> bool:
    """A heading that outranks the title's ("<h2>À la une</h2>" over the item's <h3>) heads its section:
    no label."""
    heading = unit.in_heading
    return (heading is not None and title_heading is not None and heading.tag in _HEADINGS
            and title_heading.tag in _HEADINGS and heading.tag < title_heading.tag)


def _link_of_heading(heading: Element, links: list[Element]) -> Element | None:
    for link in links:
        if link is heading or heading in link.iterancestors() or link in heading.iterancestors():
            return link
    return None


@lru_cache(maxsize=4096)
def _not_a_title(text: str) -> bool:
    """A "Read more" link, a photo credit or a byline."""
    bare = text.strip(_PUNCTUATION)
    if not bare or _is_read_more(bare):
        return True
    return bool(_CREDIT.match(text) or BYLINE.match(text)) or _credit_in_other_words(text)


_CREDIT_NAME = re.compile(r"(?P<name>[^\d:：]{1,20}?)\s*[:：]")


def _credit_in_other_words(text: str) -> bool:
    """A photo credit in another language: "Фото: МОТ", "Bild: ILO", "صورة: ...", "图片来源：…"."""
    named = _CREDIT_NAME.match(text)
    return named is not None and named["name"].strip().casefold() in phrases("credits")


def _date_unit(units: list[_Unit]) -> _Unit | None:
    """The first date line, or a more exact one of the same day (its range, its time)."""
    best: tuple[int, _Unit] | None = None
    first: When | None = None
    for unit in units:
        when = _date_of(unit.text)
        if when is None:
            continue
        if first is None:
            first = when
        elif when.start.date() != first.start.date():
            continue
        rank = (when.end is not None) * 2 + (when.precision == "minute")
        if best is None or rank > best[0]:
            best = (rank, unit)
    if best is None:  # a date that a heading's year completes (normalize does)
        return next((unit for unit in units if _yearless_date(unit.text)), None)
    return best[1]


def _split_date(read: _Read, in_title: list[bool]) -> _Unit | None:
    """A date whose day, month and year are pieces of markup: "<span>12</span> <span>Mar</span> …"."""
    tried: set[Element] = set()
    for unit, is_title in zip(read.units, in_title, strict=True):
        parent = unit.node.getparent()
        if is_title or parent is None or parent in tried or parent is unit.top.getparent():
            continue
        tried.add(parent)
        text = " ".join(text_of(parent).split())
        if len(text) <= 40 and _date_of(text) is not None:
            end = _split_range_end(parent)
            return _Unit(parent, f"{text} – {end}" if end else text, unit.top, None, None)
    return None


def _split_range_end(chip: Element) -> str | None:
    """The last day of a range of two date boxes: "<x-date>27 Jun 2023</x-date> – <x-date>28 Jun 2023</x-date>"."""
    between = [chip.tail or ""]
    for sibling in islice(chip.itersiblings(), 3):
        if sibling.tag == chip.tag:
            text = " ".join(text_of(sibling).split())
            joined_by = " ".join(joined(between).split())
            if _RANGE_JOINER.fullmatch(joined_by) and len(text) <= 40 and _date_of(text) is not None:
                return text
            return None
        between += [text_of(sibling), sibling.tail or ""]
    return None


def _precision(text: str) -> str | None:
    when = _date_of(text)
    return when.precision if when is not None else None


_TIME_LINE = re.compile(r"\d{1,2}\s?(?::|h|\.)\s?\d{2}\b")  # "09:00", "9h00", "9 h 00"
# A line that is a time: one word may stand before it, its part of the day or "hour" ("下午 3:00", "Saat 11:00").
_TIME_LINE_START = re.compile(rf"(?:[^\s\d,，、;；:：]+\s*)?{_TIME_LINE.pattern}")  # a word: no \w (Devanagari's marks)


def _with_time_line(date: _Unit, units: list[_Unit]) -> _Unit:
    """A day's date and a line of its own that is only the time ("09:00 (Europe/Zurich)"): one date."""
    when = _date_of(date.text)
    if when is None or when.precision != "day" or when.end is not None:
        return date
    for unit in units:
        if (unit is date or len(unit.text) > 40 or not _TIME_LINE_START.match(unit.text)
                or _date_of(unit.text) is not None):
            continue
        joined = f"{date.text}, {unit.text}"
        timed = _date_of(joined)
        if timed is not None and timed.precision == "minute" and timed.start.date() == when.start.date():
            return replace(date, text=joined)
    return date


_UNTIL = re.compile(r"(?:until|till|through|jusqu['’]au|hasta(?: el)?)\s+\S*\d", re.IGNORECASE)


def _with_range_end_line(date: _Unit, units: list[_Unit]) -> _Unit:
    """'15/03/2022 –' and, on the next line, '16/03/2022': a range cut by a <br>, one date; and a
    day's date with a line of its own that gives the last day ("jusqu'au 28/06/2023")."""
    if date not in units:
        return date
    if date.text.endswith(("-", "\u2013", "\u2014")):
        after = units.index(date) + 1
        ends = units[after : after + 1]
    else:
        ends = [unit for unit in units if unit is not date and _UNTIL.match(unit.text) and len(unit.text) <= 40]
    for end in ends:
        joined = f"{date.text} {end.text}"
        when = _date_of(joined)
        if when is not None and when.end is not None:
            return replace(date, text=joined)
    return date


_RANGE_JOINER = re.compile(r"[-\u2013\u2014\u2192]|to|au|al|a|hasta|y|et|and", re.IGNORECASE)


_MICRODATA_TAGS = frozenset(("span", "meta", "div", "p", "small"))
_DATE_PROPERTIES = frozenset(("datePublished", "dateCreated", "startDate", "endDate"))
"""Schema.org's dates of an item, in microdata: machine dates as a <time datetime> is."""
_ISO_STAMP = re.compile(r"\s*\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d)?")
"""A machine date in an ``<abbr title>`` (microformats' abbr pattern: "<abbr title=2022-07-28T09:40:00-05:00>9:40")."""


def _stamp(time: Element) -> str:
    if time.tag == "abbr":
        title = time.get("title") or ""
        return title.strip() if _ISO_STAMP.match(title) else ""
    if time.tag != "time":
        content = time.get("content") or ""
        return content.strip() if _ISO_STAMP.match(content) else ""
    return (time.get("datetime") or "").strip()


def _machine_date(times: Iterable[Element]) -> str | None:
    """The first ``<time datetime>`` (or ``<abbr title>`` of a date); two that a dash joins
    ("<time datetime=…></time> – <time datetime=…></time>"), a range, as ISO 8601 writes one: 'start/end'."""
    stamped = [t for t in times if _stamp(t)]
    if not stamped:
        return None
    first = _stamp(stamped[0])
    if len(stamped) > 1 and _joined_by_range_word(stamped[0], stamped[1]):
        return f"{first}/{_stamp(stamped[1])}"
    return first


def _joined_by_range_word(first: Element, second: Element) -> bool:
    between = [first.tail or ""]
    for sibling in first.itersiblings():
        if sibling is second:
            return bool(_RANGE_JOINER.fullmatch(" ".join(joined(between).split())))
        if not isinstance(sibling.tag, str) or len(between) > 6:
            return False
        between += [text_of(sibling), sibling.tail or ""]
    return False


_MAX_SENTENCE = 200


def _sentence_date(units: list[_Unit]) -> _Unit | None:
    """An item with no date line: a sentence after its teaser that holds a full date
    ("Cette session a été diffusée le dimanche 17 septembre 2023, à la veille du Sommet.").

    Not the teaser (the first long line): what it tells of happened, not when the item was posted.
    """
    from .dates import parse_date, split_kind

    teaser = next((unit for unit in units if len(unit.text) >= _MIN_SUMMARY), None)
    for unit in units:
        if unit is teaser or not _MAX_DATE_TEXT < len(unit.text) <= _MAX_SENTENCE or not _DIGIT.search(unit.text):
            continue
        when = parse_date(unit.text, languages=_LANGUAGES.get()[0])
        if when is not None and when.precision != "month" and split_kind(unit.text)[0] is None:
            return unit
    return None


_PATH_DATE = re.compile(r"/((?:19|20)\d\d)/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?:/|$)")
"""A day in a link's path ("/2023/09/17/slug/"), as blogs and news sites file their posts."""


def _unseen_date(read: _Read, link: Element) -> _Unit | None:
    """An item whose text shows no date: the date a reader sees only as a tooltip or an image's
    alt text ('<span title="12 September 2024">2 years ago</span>', a calendar icon's alt), else
    the day in its link's path. A last resort: any visible date comes first."""
    top = read.block.elements[0]
    for element in read.block.elements:
        for node in element.iter():
            if node in read.not_own:
                continue
            for name in ("title", "alt"):
                text = " ".join((node.get(name) or "").split()) if isinstance(node.tag, str) else ""
                when = _date_of(text) if text else None
                if when is not None and when.precision != "month":
                    return _unit(node, text, top, 0)
    day = _PATH_DATE.search(_path_of(link.get("href") or ""))
    if day is None:
        return None
    year, month, number = day.groups()
    return _unit(link, f"{year}-{int(month):02d}-{int(number):02d}", top, 0)


_DIGIT = re.compile(r"\d")


def _date_of(text: str) -> When | None:
    if len(text) > _MAX_DATE_TEXT:
        return _date_of_fields(text)
    if not _DIGIT.search(text):
        return None
    languages, dates = _LANGUAGES.get()
    if text in dates:
        return dates[text]
    from .dates import parse_date

    return _remember(dates, text, parse_date(text, languages=languages))  # type: ignore[no-any-return]


_FIELD_SEPARATOR = re.compile(r"\s[|·•]\s")


def _date_of_fields(text: str) -> When | None:
    """A date line of short fields, the date first: 'September 12, 2024 | Geneva, Switzerland |
    International Labour Organization | Press release' is that day's line, however long."""
    if "|" not in text and "·" not in text and "•" not in text:
        return None
    fields_ = _FIELD_SEPARATOR.split(text)
    if len(fields_) < 2 or any(len(field) > _MAX_LABEL_TEXT for field in fields_):
        return None
    return _date_of(fields_[0].strip())


_A_YEAR = re.compile(r"(?<!\d)(?:1[89]|2[01])\d\d(?!\d)")
_YEAR_HEADING = re.compile(r"(?:1[89]|2[01])\d\d(?:\s*(?:年|년|г\.?|р\.?))?")
"""A heading that is a year: "2022", and as other languages write one: "2022年", "2022년", "2022 г."."""


def _yearless_date(text: str) -> bool:
    """A day and month without a year: "17 September", "Publicado el 17 de septiembre"."""
    if len(text) > _MAX_DATE_TEXT or not _DIGIT.search(text) or _A_YEAR.search(text):
        return False
    when = _date_of(f"{text} 2000")  # a leap year: 29 February is a day too
    return when is not None and when.precision != "month"


def _full_date(text: str | None) -> bool:
    return text is not None and _date_of(text) is not None


def _looks_like_listing(chosen: list[_Fields | None]) -> bool:
    """Most blocks have a heading title or a date; a lone block needs both (and a link)."""
    if len(chosen) == 1:
        only = chosen[0]
        return only is not None and only.title_heading is not None and _is_dated(only)
    good = sum(1 for f in chosen if f is not None and (f.title_heading is not None or _is_dated(f)))
    return good * 2 > len(chosen)


def _titles_with_teasers(chosen: list[_Fields | None]) -> bool:
    """Three or more items, each with a title of a few words, most with a teaser, all to pages of their own."""
    if len(chosen) < _MIN_SIBLINGS or any(f is None for f in chosen):
        return False
    fields_ = [f for f in chosen if f is not None]
    if len({str(f.link.get("href")).strip() for f in fields_}) < len(fields_):
        return False
    if not all(len(f.title.split()) >= 3 for f in fields_):
        return False
    teasers = sum(1 for f in fields_ if any(len(u.text) >= _MIN_SUMMARY and u.text != f.title for u in f.others))
    return teasers * 2 > len(fields_)  # an item with no teaser among those with one is still theirs


def _a_month_listed(region: list[_Block], chosen: list[_Fields | None], months: _MonthHeadings) -> bool:
    """Three or more entries, none with a heading or a date, under a heading that names a month
    ("March 2022 Archives by thread") or a day: a month's archive, whose heading dates them all."""
    if len(chosen) < _MIN_HEADED_RUNS or any(f is None or f.title_heading is not None or _is_dated(f) for f in chosen):
        return False
    # Entries are titles; a page's list of places ("Careers", "Privacy policy") below the month's entries is not.
    if sum(len(f.title.split()) >= _MIN_TITLE_WORDS for f in chosen if f is not None) * 2 <= len(chosen):
        return False
    heading = months.before(region[0])
    if heading is None or _A_YEAR.fullmatch(heading):
        return False
    # The month's heading is the nearest above: not a page title over a listing, then a tag list.
    nearest = region[0].elements[0].xpath("preceding::*[self::h1 or self::h2 or self::h3 or self::h4][1]")
    return bool(nearest) and " ".join(text_of(nearest[0]).split()) == heading


def _a_post_of_its_day(region: list[_Block], chosen: list[_Fields | None], months: _MonthHeadings) -> bool:
    """A lone block with a heading title and a link under a heading that names its day: a blog's
    one post of that day, where other days have several (its block then stands at another level)."""
    only = chosen[0] if len(chosen) == 1 else None
    if only is None or only.title_heading is None:
        return False
    heading = months.before(region[0])
    when = _date_of(heading) if heading is not None else None
    return when is not None and when.precision == "day"


def _all_headed_but_one(chosen: list[_Fields | None]) -> bool:
    """Three or more blocks with a heading title and one without: that one is not of their kind."""
    without = sum(1 for f in chosen if f is not None and f.title_heading is None)
    return without == 1 and len(chosen) - without >= _MIN_HEADED_RUNS


def _is_dated(fields_: _Fields) -> bool:
    return fields_.date is not None or fields_.datetime_attr is not None


_NOT_LETTERS = re.compile(r"[\W\d_]+")


def _counted_in_other_words(text: str) -> bool:
    """A count, a reading time or an age in another language ("412 просмотров", "5 Min. Lesezeit",
    "阅读 1,234", "vor 2 Jahren"): its words without the number are words.json's."""
    if not any(ch.isdigit() for ch in text):
        return False
    words = " ".join(_NOT_LETTERS.sub(" ", text).casefold().split())
    return words in phrases("counts") or words in phrases("ages")


@lru_cache(maxsize=4096)
def _label_like(text: str) -> bool:
    """Short words; not a sentence, and not a reference number ("ILO/24/38", "C102": more digits than letters)."""
    if len(text) > _MAX_LABEL_TEXT or len(text.split()) > _MAX_LABEL_WORDS or text.endswith((".", "!", "?", ":")):
        return False
    letters = sum(ch.isalpha() for ch in text)
    if letters <= sum(ch.isdigit() for ch in text) or _READING_TIME.search(text) or _DOWNLOAD.search(text):
        return False
    if _COUNT.match(text) or _TIME_LINE.search(text) or _AGE.fullmatch(text) or _counted_in_other_words(text):
        return False  # "412 views": how the article did; "a las 9:40": when it was posted
    if " " not in text and _date_of(f"1 {text} 2000") is not None:
        return False  # "juin", "sept.": a month, the piece of a date box, not a label
    return _date_of(text) is None  # "— last modified Feb 10, 2022": another date of the item, not its label


_AGE_UNITS = (r"(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|secondes?|heures?|jours?"
              r"|semaines?|mois|ans?|années?|segundos?|minutos?|horas?|días?|dias?|semanas?|meses|mes|años?)")
_AGE = re.compile(
    rf"(?:about |an? |\d+ ){_AGE_UNITS} ago|il y a (?:environ |un |une |\d+ ){_AGE_UNITS}"
    rf"|hace (?:unos? |\d+ ){_AGE_UNITS}",
    re.IGNORECASE,
)
"""How long ago ("2 years ago", "il y a 3 jours", "hace 2 años"): the item's age, not its label."""


_ORGANISATION_NOUNS = frozenset((
    "organization", "organisation", "office", "department", "ministry", "agency", "institute", "secretariat",
    "council", "commission", "foundation", "association", "university", "federation", "confederation",
    "bureau", "département", "ministère", "agence", "institut", "secrétariat", "conseil", "fondation",
    "université", "fédération", "confédération",
    "organización", "oficina", "departamento", "ministerio", "agencia", "instituto", "secretaría", "consejo",
    "comisión", "fundación", "asociación", "universidad", "federación", "confederación",
))
_MIN_ORGANISATION_WORDS = 3  # "Office news", "Commission report": a type that names an office's work


def _an_organisation(text: str) -> bool:
    """A name of three words or more with an organisation's noun (in other languages, words.json's):
    "ILO Regional Office for Arab States", "Organisation internationale du Travail · Genève",
    "Ministerio de Trabajo", "(Cortesia do Escritório da OIT em Lisboa)"."""
    words = [word.strip(_PUNCTUATION) for word in text.casefold().split()]
    return len(words) >= _MIN_ORGANISATION_WORDS and any(
        word in _ORGANISATION_NOUNS or word in phrases("organisations") for word in words
    )


def _label_slots(chosen: list[_Fields | None], size: int) -> set[str]:
    """Places where at least two items of the region (or the only one) have a short line."""
    counts: dict[str, int] = {}
    for fields_ in chosen:
        if fields_ is None:
            continue
        paths = {unit.path for _, unit in fields_.labels}
        if fields_.inner_label is not None:
            paths.add(fields_.inner_label.path)
        for path in paths:
            counts[path] = counts.get(path, 0) + 1
    need = 1 if size == 1 else 2
    return {path for path, count in counts.items() if count >= need}


def _sender_slots(chosen: list[_Fields | None]) -> set[str]:
    """Places of short lines where most items name an organisation: who published or sent each
    item (a sender, a source), neither what kind of item it is nor its summary. One office among
    other short names in one place ("ILO", "SOCPRO": a column of sources) leaves it a label's."""
    counts: dict[str, int] = {}
    organisations: dict[str, int] = {}
    for fields_ in chosen:
        if fields_ is None:
            continue
        for path, text in {unit.path: unit.text for _, unit in reversed(fields_.labels)}.items():
            counts[path] = counts.get(path, 0) + 1
            organisations[path] = organisations.get(path, 0) + _an_organisation(text)
    return {path for path, count in counts.items() if organisations[path] * 2 > count}


def _repeated_labels(chosen: list[_Fields | None], slots: set[str]) -> set[str]:
    """Label places whose text is the same in every item that has one (three or more), where the items
    also have category links that differ: a field's name ("Tags" above each tag link), the one author
    atop every preview.

    A text that every item repeats tells no item from another; the link that
    differs names each one's category. Without such links, a label shared by
    every item (a listing of press releases) is still their label.
    """
    texts: dict[str, set[str]] = {}
    counts: dict[str, int] = {}
    linked: set[str] = set()
    for fields_ in chosen:
        if fields_ is None:
            continue
        firsts: dict[str, _Unit] = {}  # the line the label would be, where an item has several in one place
        for _, unit in fields_.labels:
            if unit.path in slots:
                firsts.setdefault(unit.path, unit)
        for path, unit in firsts.items():
            texts.setdefault(path, set()).add(unit.text)
            counts[path] = counts.get(path, 0) + 1
            if unit.in_link is not None or next(unit.node.iterdescendants("a"), None) is not None:
                linked.add(path)
    repeated = {path for path, seen in texts.items() if len(seen) == 1 and counts[path] >= 3}
    differing_links = {path for path in linked if len(texts[path]) > 1}
    return repeated if differing_links else set()


def _beside_labels(chosen: list[_Fields | None], slots: set[str]) -> set[str]:
    """Places below the title where most items that have a line there (two or more) have their label
    above it: that line is something else (the place of an event, its source), and an item with no
    label above has none, rather than its place."""
    have: dict[str, int] = {}
    beside: dict[str, int] = {}
    for fields_ in chosen:
        if fields_ is None:
            continue
        above = any(at < 0 and unit.path in slots for at, unit in fields_.labels) or (
            fields_.inner_label is not None and fields_.inner_label.path in slots)
        for path in {unit.path for at, unit in fields_.labels if at > 0 and unit.path in slots}:
            have[path] = have.get(path, 0) + 1
            beside[path] = beside.get(path, 0) + above
    above_somewhere = {unit.path for fields_ in chosen if fields_ is not None for at, unit in fields_.labels if at < 0}
    return {path for path, count in have.items()
            if beside[path] >= 2 and beside[path] * 2 > count and path not in above_somewhere}


def _bylines_in_date_lines(chosen: list[_Fields | None], slots: set[str]) -> set[str]:
    """Label places on the date's line, after the date, whose text is the same in every item (three
    or more): "Sep 12, 2024 ∙ <a>The team</a>" names the author or publisher, as the same text after
    most dates does in one line of text (see _types_after_dates)."""
    texts: dict[str, set[str]] = {}
    counts: dict[str, int] = {}
    for fields_ in chosen:
        if fields_ is None or fields_.date is None:
            continue
        for _, unit in fields_.labels:
            if unit.path in slots and _on_the_date_line(unit, fields_.date) and _after(unit.node, fields_.date.node):
                texts.setdefault(unit.path, set()).add(unit.text)
                counts[unit.path] = counts.get(unit.path, 0) + 1
    return {path for path, seen in texts.items() if len(seen) == 1 and counts[path] >= 3}


def _on_the_date_line(unit: _Unit, date: _Unit | None) -> bool:
    """Whether the line is a piece of the date's line (a <time> with an author beside it; not a
    table's next cell beside a date cell)."""
    return (date is not None and date.node.tag not in _BLOCK_TAGS and unit.node.getparent() is date.node.getparent()
            and unit.node is not date.node)


def _after(node: Element, other: Element) -> bool:
    return any(sibling is node for sibling in other.itersiblings())


def _label(read: _Read, fields_: _Fields, slots: set[str]) -> _Unit | None:
    """The label inside the title, else nearest above it, else the first below it, else the date's type.

    "Feb 3, 2022 — <a>News</a>": else a link in the date line. The type
    before a date ("Feature | 28 July 2022") stays in the date text, as a
    profile's would: normalize makes it the label of an item with none.
    """
    if "label" in read.rows:
        return _field_value(read.rows["label"])
    if fields_.inner_label is not None and fields_.inner_label.path in slots:
        return fields_.inner_label
    candidates = [(at, unit) for at, unit in fields_.labels if unit.path in slots]
    above = [c for c in candidates if c[0] < 0]
    if above:
        nearest = max(above, key=lambda c: c[0])[1]
        # Lines in one place (tags in a row, no class to tell them apart): the first stands where
        # the other items' one line stands; a badge after it ("Featured") is the item's alone.
        first = min((c for c in above if c[1].path == nearest.path), key=lambda c: c[0])[1]
        if _a_path_between(first.node, nearest.node):
            first = nearest  # "News › Press release": a breadcrumb's last crumb is the item's kind
        return _unbracketed(_field_value(_category_link_text(read, first)))
    below = [c for c in candidates if c[0] > 0]
    if below:
        return _unbracketed(_field_value(_category_link_text(read, below[0][1])))
    date = fields_.date
    linked = _link_in_date_line(date, fields_.link) if date is not None else None
    if linked is not None:
        return linked
    return None


_BRACKETED = re.compile(
    r"\((?P<round>[^()]+)\)|\[(?P<square>[^\[\]]+)\]"
    # CJK brackets around a label: 【新闻】, 〔声明〕, 「お知らせ」, full-width （…） and ［…］
    r"|[【〔「（［](?P<cjk>[^【】〔〕「」（）［］]+)[】〕」）］]"
)


_CRUMB_SEPARATORS = frozenset("›>/»→|:")


def _a_path_between(first: Element, last: Element) -> bool:
    """Whether two sibling lines are crumbs of a path: a separator stands between them ("›", "/", an
    icon with no text), not only a space (tags in a row: "ILO Live Featured")."""
    if first is last or first.getparent() is not last.getparent():
        return False
    between = [first.tail or ""]
    for sibling in first.itersiblings():
        if sibling is last:
            text = "".join(between).strip()
            return bool(text) and set(text.replace(" ", "")) <= _CRUMB_SEPARATORS
        if not isinstance(sibling.tag, str):
            continue
        between += [text_of(sibling) or ("›" if sibling.tag not in ("br", "wbr") else ""), sibling.tail or ""]
    return False


def _unbracketed(unit: _Unit) -> _Unit:
    """'(ILO Live)' -> 'ILO Live': brackets around a whole label set it apart from the title beside it."""
    bracketed = _BRACKETED.fullmatch(unit.text)
    if bracketed is None:
        return unit
    return replace(unit, text=(bracketed["round"] or bracketed["square"] or bracketed["cjk"]).strip())


_FIELD_NAME = re.compile(r"(?P<name>[^\d:：]{1,30}?)\s*[:：]\s*(?P<value>\S.*)")  # and CJK's full-width colon


_SEPARATORS = " |·•"


def _field_value(unit: _Unit) -> _Unit:
    """'Type de contenu : Déclaration' -> 'Déclaration': a line that names its field gives the value.

    The name is often visually hidden, there for screen readers only.
    """
    named = _FIELD_NAME.fullmatch(unit.text)
    value = unit.text if named is None or len(named["name"].split()) > 3 else named["value"]
    # "Tema: <a>Pensioni</a> | <a>Leggi tutto</a>": the read-more left its line, not the "|" before it.
    value = value.rstrip(_SEPARATORS) or value
    return unit if value == unit.text else replace(unit, text=value)


# What pages call an item's fields in a row that names them ("Type : Déclaration", "<dt>Titre</dt>
# <dd>…</dd>", "<span>Thème : </span><span>ILO Live</span>"), in lower case, in the default
# languages (en, fr, es; other languages' are in words.json): a name is one of these, or starts or
# ends with one ("Type de contenu", "Content type"). "other" names fields that are neither an
# item's label nor its summary. A name in none of them ("Kind of content") is read as before: its
# value may be the label.
_FIELD_NAMES: dict[str, frozenset[str]] = {
    "title": frozenset(("title", "titre", "título", "titulo", "name", "nom", "nombre")),
    "label": frozenset(("type", "tipo", "category", "categories", "catégorie", "catégories", "categoría",
                        "categorías", "theme", "thème", "tema", "topic", "sujet", "rubrique", "section", "sección")),
    "summary": frozenset(("summary", "résumé", "resume", "resumen", "abstract", "description", "descripción")),
    "link": frozenset(("link", "lien", "enlace", "url")),
    "other": frozenset(("author", "authors", "auteur", "auteurs", "autor", "autores", "by", "written by",
                        "écrit par", "escrito por", "source", "sources", "fuente", "fuentes", "keywords",
                        "mots-clés", "mots clés", "palabras clave", "place", "venue", "where", "lieu", "lugar",
                        "location", "contact")),
}
_NAME_ONLY = re.compile(r"(?P<name>[^\d:：]{1,30}?)\s*[:：]")


def _field_kind(name: str) -> str | None:
    """Which of our fields a row's name names ("Type de contenu" -> "label"), if any."""
    name = " ".join(name.lower().split())
    words = name.split()
    if not words or len(words) > 3:
        return None
    for table in (_FIELD_NAMES, field_names()):
        for kind, names in table.items():
            if name in names or words[0] in names or words[-1] in names:
                return kind
    return None


def _in_title_cell(unit: _Unit, link: Element) -> bool:
    """Whether the line's <dt> holds the item's title link: a forum's topic cell (its icon's alt, its
    poster), not a term that names a field."""
    cell = next((node for node in (unit.node, *unit.node.iterancestors()) if node.tag == "dt"), None)
    return cell is not None and cell in link.iterancestors()


def _in_cell(unit: _Unit, tags: tuple[str, ...]) -> bool:
    """Whether the line is, or lies in, one of these cells of its block (a <dt> whose text a
    wrapper holds: "<dt><div>Details</div></dt>")."""
    for node in (unit.node, *unit.node.iterancestors()):
        if node.tag in tags:
            return True
        if node is unit.top:
            return False
    return False


def _field_rows(read: _Read) -> None:
    """Rows that name their field: a line "Name : value", or a name line ("Name :", a <dt> or <th>)
    and the line after it. Our fields' values are kept by kind; names and other fields' values are
    no label or summary (an author, a source, keywords, a place)."""
    units = read.units
    for index, unit in enumerate(units):
        if unit.in_link is not None and (unit.in_link.get("href") or "").strip().startswith("#"):
            read.not_fields.add((unit.node, unit.line))  # "Back to top", "Haut de page": a move within the page
            continue
        named = _FIELD_NAME.fullmatch(unit.text)
        term = _in_cell(unit, ("dt", "th"))
        if named is not None and not term:
            kind = _field_kind(named["name"])
            if kind == "other":
                read.not_fields.add((unit.node, unit.line))
            elif kind is not None and kind not in read.rows and (kind != "label" or _label_like(named["value"])):
                read.rows[kind] = replace(unit, text=named["value"])
            continue
        name = _NAME_ONLY.fullmatch(unit.text)
        if name is None and not term:
            continue
        kind = _field_kind(name["name"] if name is not None else unit.text)
        if kind is None:
            continue
        read.not_fields.add((unit.node, unit.line))
        value = units[index + 1] if index + 1 < len(units) else None
        if value is None or value.node in unit.node.iterancestors() or _NAME_ONLY.fullmatch(value.text):
            continue
        if kind == "other":
            read.not_fields.add((value.node, value.line))
        elif kind not in read.rows and (kind != "label" or _label_like(value.text)):
            read.rows[kind] = value


def _column_fields(read: _Read, headers: dict[Element, tuple[str | None, ...]]) -> None:
    """The cells of a table row that its table's header row names ("Nombre | Fecha | Tipo | Enlace |
    Resumen"), as a row that names its field: the title, label, summary and link cells. (A column
    of another field, "Source", "Author", may still give the label, as a column no header names.)"""
    row = read.block.elements[0]
    if row.tag != "tr" or len(read.block.elements) > 1:
        return
    table = next(row.iterancestors("table"), None)
    if table is None:
        return
    kinds = headers.get(table)
    if kinds is None:
        kinds = headers[table] = _header_kinds(table)
    cells = [cell for cell in row if cell.tag in ("td", "th")]
    if not any(kinds) or len(cells) != len(kinds):
        return
    for cell, kind in zip(cells, kinds, strict=True):
        if kind is None or kind in read.rows:
            continue
        if kind == "link":
            link = next((a for a in cell.iter("a") if a in read.links), None)
            if link is not None:
                read.rows["link"] = _unit(link, " ".join(text_of(link).split()), row, 0)
            continue
        mine = [unit for unit in read.units if (unit.node is cell or cell in unit.node.iterancestors())
                and any(ch.isalnum() for ch in unit.text)]  # not an empty cell's zero-width space
        if kind != "other" and mine and (kind != "label" or _label_like(mine[0].text)):
            read.rows[kind] = mine[0]


def _header_kinds(table: Element) -> tuple[str | None, ...]:
    """What each column of the table's header row (a row of <th>s only) names, by the field names."""
    for row in table.iter("tr"):
        cells = [cell for cell in row if isinstance(cell.tag, str)]
        if cells and all(cell.tag == "th" for cell in cells):
            return tuple(_field_kind(" ".join(text_of(cell).split()).rstrip(" :")) for cell in cells)
        if any(cell.tag == "td" for cell in cells):
            break  # the first row with data: no header above it
    return ()


def _lead_of_a_button(read: _Read, own: list[Element]) -> tuple[str, Element, None] | None:
    """An item whose only link is a button ("Read on ilo.org", role=button): its title is its first
    line that is no label, date, field name or link text, of a few words (the button's text never is)."""
    label = read.rows.get("label")
    links = [a for a in own if label is None or (a is not label.node and label.node not in a.iterancestors())]
    if not links or not all(a.get("role") == "button" or _read_more(a) for a in links):
        return None
    for unit in read.units:
        if unit.in_link is not None or (unit.node, unit.line) in read.not_fields or len(unit.text.split()) < 3:
            continue
        if label is not None and unit.node is label.node:
            continue
        if _date_of(unit.text) is None and not _not_a_title(unit.text):
            return unit.text, links[0], None
    return None


def _avatars(read: _Read) -> None:
    """A person's photo beside their name ("<div><img src=photo><span>Jane Doe</span></div>", no link),
    after the title (a byline): an author, whose name is no label and whose photo is no item picture.

    Not an icon beside a label ("<span><img src=video.svg>Video</span>"): an SVG or a tiny picture;
    not a badge on the item's picture ("<div><img src=photo><span>Video</span></div>" above the title).
    """
    for img in list(read.images):
        holder = img.getparent()
        if img.tag != "img" or holder is None or holder.tag in ("a", "figure", "picture") or _custom_link(holder):
            continue  # a figure's caption names the picture (a credit, a legend), not a person beside it
        url = img_url(img) or ""
        if url.partition("?")[0].lower().endswith(".svg") or _tiny(img.get("width")) or _tiny(img.get("height")):
            continue
        if len(holder.findall(".//img")) != 1 or next(holder.iter("a"), None) is not None:
            continue
        name = " ".join(text_of(holder).split())
        if not name or not _label_like(name) or len(name.split()) > 4 or _date_of(name) or _not_a_title(name):
            continue
        mine = [unit.node is holder or holder in unit.node.iterancestors() for unit in read.units]
        first = mine.index(True) if True in mine else 0
        if not any(unit.in_heading is not None or unit.in_link is not None for unit in read.units[:first]):
            continue  # nothing titled before it: a badge on the picture, not a byline
        read.images.remove(img)
        read.not_fields.update((unit.node, unit.line) for unit, is_mine in zip(read.units, mine, strict=True)
                               if is_mine)


def _named_title(read: _Read, own: list[Element]) -> tuple[str, Element, Element | None]:
    """A title row's text, with its link, else the link row's, else the item's first."""
    row = read.rows["title"]
    # The row that names the link first: a title may link to a copy (an export's page of the row).
    holders = ([read.rows["link"].node] if "link" in read.rows else []) + [row.node]
    for holder in holders:
        link = next((a for a in own if a is holder or holder in a.iterancestors() or a in holder.iterdescendants()),
                    None)
        if link is not None:
            return row.text, link, None
    return row.text, own[0], None


_AFTER_DATE = re.compile(r"\s(?P<separator>[|·•\-–—])\s(?P<kind>[^|·•–—]+)$")


def _type_after_date(date: _Unit) -> _Unit | None:
    """'jul. 28, 2022 · Artículo', 'Jueves 12/09/2024 - Comunicado de prensa': the type after a date
    line's separator, as a label."""
    found = _AFTER_DATE.search(date.text)
    if found is None:
        return None
    kind = found["kind"].strip()
    if not _label_like(kind) or _date_of(kind) is not None or BYLINE.match(kind) or _an_organisation(kind):
        return None
    if _date_of(date.text[: found.start()].strip()) is None:
        return None
    if found["separator"] in "-–—" and not _a_known_kind(kind):
        return None  # "12/09/2024 - Genève": a dash sets a place apart as often as a type
    return replace(date, text=kind)


def _known_kind_after(date: _Unit) -> bool:
    found = _AFTER_DATE.search(date.text)
    return found is not None and _a_known_kind(found["kind"].strip())


def _a_known_kind(text: str) -> bool:
    """A kind of item the taxonomy knows ("Comunicado de prensa", "ILO Live")."""
    from .categories import default_taxonomy, fold_label

    return fold_label(text) in default_taxonomy().labels


def _type_before_date(date: _Unit) -> _Unit | None:
    """'<p><span>新闻稿</span> 2024年9月12日</p>', '<dt>2023.09.17<span>お知らせ</span></dt>': an element of its
    own that starts or ends the date line, with no separator, as a label (not one read by screen readers
    only: 'Datum ')."""
    node = date.node
    children = [child for child in node if isinstance(child.tag, str)]
    if not children:
        return None
    ends = []
    if not (node.text or "").strip():
        ends.append((children[0], True))
    if not (children[-1].tail or "").strip():
        ends.append((children[-1], False))
    for child, first in ends:
        if child.tag in ("a", "time", "br", "img") or _screen_reader_only(child):
            continue
        text = " ".join(text_of(child).split())
        if not text or not _label_like(text) or BYLINE.match(text):
            continue
        if not (date.text.startswith(text) if first else date.text.endswith(text)):
            continue
        rest = (date.text[len(text) :] if first else date.text[: -len(text)]).strip()
        named = None if first else _NAMED_LAST.search(rest)
        if named is not None and _field_kind(named["name"]) == "other":
            continue  # "… | Source: <b>Ministry of Labour and Employment</b>": who sent it, not what it is
        if rest and _date_of(rest) is not None:
            return replace(date, node=child, text=text)
    return None


_NAMED_LAST = re.compile(r"(?P<name>[^\d:：|·•]{1,30}?)\s*[:：]$")


def _types_after_dates(chosen: list[_Fields | None], find: Callable[[_Unit], _Unit | None] | None = None) -> bool:
    """Whether what follows the region's dates (or, with ``find``, what else stands in their line) names
    their types: it varies from item to item.

    The same text after most dates ("… | International Labour Organization") is
    the publisher or a place, not a type; the same before them ("Published"), a word of the line.
    """
    find = find or _type_after_date
    kinds = [found.text for fields_ in chosen if fields_ is not None and fields_.date is not None
             for found in [find(fields_.date)] if found is not None]
    if len(kinds) < 2:
        return False
    most = max(kinds.count(kind) for kind in set(kinds))
    return most * 2 <= len(kinds)


def _link_in_date_line(date: _Unit, title_link: Element) -> _Unit | None:
    """'Feb 3, 2022 — <a>News</a>', 'Publié le 1er mars 2023 dans <a>Rapport</a>': the link names the label."""
    for link in date.node.iterdescendants("a"):
        if link is title_link or not _usable_href(link.get("href")) or _in_a_sentence(link):
            continue
        text = " ".join(text_of(link).split())
        if text == " ".join(text_of(date.node).split()):
            continue  # '<span title="12 September 2024"><a>2 years ago</a></span>': the date's face
        if any(by["name"].startswith(text) for by in _BY.finditer(date.text)):
            continue  # 'by <a>moderator_ana</a> » Thu Sep 12, 2024': who posted it
        if text and _label_like(text) and not _not_a_title(text) and _date_of(text) is None:
            return replace(date, node=link, text=text)
    return None


def _category_link_text(read: _Read, unit: _Unit) -> _Unit:
    """'Posted in Statements' -> 'Statements': a line around a category link names the link."""
    for link in read.links:
        if link is unit.node or link in unit.node.iterancestors():
            return unit
        if link in unit.node.iterdescendants("a"):
            text = " ".join(text_of(link).split())
            if text and unit.text.endswith(text) and text != unit.text and any(ch.isalpha() for ch in text):
                return replace(unit, node=link, text=text)
    return unit


def _summary_slots(chosen: list[_Fields | None]) -> set[str]:
    """Places where some item of the region has a long text, not a label's ("en Reuniones Anuales
    del Banco Mundial y el FMI" among "en ILO Live" in a meta line): a short one there is a summary too."""
    return {place for fields_ in chosen if fields_ is not None for place, unit in _places(fields_.others)
            if len(unit.text) >= _MIN_SUMMARY and not _label_like(unit.text)}


def _places(units: list[_Unit]) -> Iterator[tuple[str, _Unit]]:
    """Each line with its place: its path, and which of the item's lines of that path it is
    (with no class names, the place line and the summary under it are both 'div/p')."""
    seen: dict[str, int] = {}
    for unit in units:
        nth = seen.get(unit.path, 0)
        seen[unit.path] = nth + 1
        yield (f"{unit.path}@{nth}" if nth else unit.path), unit


def _summary(fields_: _Fields, label: _Unit | None, slots: set[str], senders: set[str]) -> _Unit | None:
    for place, unit in _places(fields_.others):
        if label is not None and (unit.node, unit.line, unit.path) == (label.node, label.line, label.path):
            continue
        if label is not None and _label_like(unit.text) and unit.node in label.node.iterancestors():
            continue  # "en <a>Reuniones Anuales del Banco Mundial y el FMI</a>": the label's line
        if unit.links_only or unit.path in senders or _mostly_links(unit):
            continue  # "Copyright | Privacy policy": a row of links; who sent the item
        if _READING_TIME.search(unit.text) and len(unit.text) < _MIN_SUMMARY:
            continue  # "3 min read"
        if len(unit.text) < _MIN_SUMMARY and _on_the_date_line(unit, fields_.date):
            continue  # "<time>Sep 12, 2024</time> ∙ <a>The team</a>": the date line's byline
        if len(unit.text) >= _MIN_SUMMARY or (place in slots and len(unit.text.split()) >= 3):
            return unit
    return None


def _without_closing_link(summary: _Unit, link: Element) -> _Unit:
    """'Teaser… <a>Leer comunicado completo »</a>' in a <p> never closed: a link that ends the teaser's
    line and leads to the item (or says "Read more") is no word of it."""
    for other in summary.node.iterdescendants("a"):
        words = " ".join(text_of(other).split())
        if (words and summary.text.endswith(words) and len(words) < len(summary.text)
                and (_same_target(other, link) or _read_more(other))):
            return replace(summary, text=summary.text[: -len(words)].rstrip())
    return summary


def _mostly_links(unit: _Unit) -> bool:
    """'212 points by <a>jo</a> <a>2 years ago</a> | <a>hide</a> | <a>87 comments</a>': three links
    or more that make most of the line are a row of the item's links, not its teaser."""
    links = [" ".join(text_of(a).split()) for a in unit.node.iter("a")]
    return len(links) >= 3 and 2 * sum(map(len, links)) > len(unit.text)


def _image(read: _Read, shared: set[str]) -> Element | None:
    for img in read.images:
        if _tiny(img.get("width")) or _tiny(img.get("height")):
            continue  # an icon, a tracking pixel
        url = img_url(img)
        if url and url not in shared:
            return img
    return None


def _shared_images(reads: list[_Read]) -> set[str]:
    """Pictures in most items of a region: a sprite, an icon, a placeholder, not one item's picture."""
    if len(reads) < 3:
        return set()
    seen: dict[str, int] = {}
    for read in reads:
        for url in {img_url(img) for img in read.images}:
            if url:
                seen[url] = seen.get(url, 0) + 1
    return {url for url, count in seen.items() if count * 2 > len(reads)}


def _icon_name(image: Element) -> str:
    """The alt text of an icon (an image under 32 pixels each way), which names what it marks."""
    if not (_tiny(image.get("width")) and _tiny(image.get("height"))):
        return ""
    return " ".join((image.get("alt") or "").split())


def _tiny(size: str | None) -> bool:
    number = whole_number(size)
    return number is not None and number < 32


class _MonthHeadings:
    """An archive's "July 2022" (or "2022") heading above each entry that has no full date of its own,
    or a day's ("jueves, 28 de julio de 2022": a blog's day heading over that day's posts).

    The nearest heading before the entry, not counting the headings inside
    entries (their titles), if it names a month or a day, or is a year (which
    completes a date shown without one). Found in one walk through
    the page, the first time an entry needs it: looking back from each entry
    would cost the square of the page on a long archive.
    """

    def __init__(self, blocks: list[_Block]) -> None:
        self._entries = {node for block in blocks for node in block.elements}
        self._found: dict[Element, str | None] | None = None

    def before(self, block: _Block) -> str | None:
        if self._found is None:
            self._found = self._walk(block.elements[0].getroottree().getroot())
        return self._found.get(block.elements[0])

    def _walk(self, root: Element) -> dict[Element, str | None]:
        found: dict[Element, str | None] = {}
        last: str | None = None
        for node in root.iter():
            if node in self._entries:
                found[node] = last
            elif node.tag in _HEADINGS and not any(a in self._entries for a in node.iterancestors()):
                text = " ".join(text_of(node).split())
                when = _date_of(text)
                month_or_day = when is not None and when.precision in ("month", "day")
                last = text if month_or_day or _YEAR_HEADING.fullmatch(in_ascii_digits(text)) else None
        return found


_SOME_BASE = "https://page.invalid"


def _page_key(href: str) -> str:
    """The link's canonical URL (as entry ids are made), to compare two links of one page.

    Any base will do for that (the page's own is not known here).
    """
    if href.startswith("/") and not href.startswith("//") and "?" not in href:
        return _SOME_BASE + (href.partition("#")[0].rstrip("/") or "/")  # canonical_url's, for less
    from .normalize import absolute_url, canonical_url

    url = absolute_url(href, _SOME_BASE + "/")
    return canonical_url(url) if url is not None else href


def _merge_repeats(items: list[RawItem]) -> list[RawItem]:
    """One article listed twice (a featured box and the list) is one item at its first place."""
    kept: dict[str, int] = {}
    merged: list[RawItem] = []
    for item in items:
        key = _page_key(item.url)
        if key in kept:
            first = merged[kept[key]]
            merged[kept[key]] = replace(
                first,
                date_text=first.date_text or item.date_text,
                datetime_attr=first.datetime_attr or item.datetime_attr,
                label=first.label or item.label,
                summary=first.summary or item.summary,
                image=first.image or item.image,
                group_date=first.group_date or item.group_date,
            )
            continue
        kept[key] = len(merged)
        merged.append(item)
    return merged


def _snippet(read: _Read) -> str:
    return " ".join(u.text for u in read.units)[:80]
