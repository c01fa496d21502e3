"""Find the news items in a page's HTML. The only module that imports bs4/lxml.

What to look for on a page is data, not code: a layout profile (TOML, shipped
in ``spfeed/profiles/``, or a user's file) names a detection selector and the
CSS selectors of an item and of each of its fields. When no profile fits, a
generic fallback reads the page's structure instead (see below).
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from .errors import ConfigError, ParseError
from .models import RawItem
from .selectors import compiled, first

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag

log = logging.getLogger(__name__)


Selectors = tuple[str, ...]
"""CSS selectors tried in order: the first that matches inside an item wins."""

_REQUIRED_KEYS = ("name", "detect", "item", "title", "link")
_SELECTOR_KEYS = ("title", "link", "date", "datetime", "label", "summary", "image", "group", "next_page")
FALLBACK = "fallback"
"""The profile name reported when items came from the generic fallback."""


@dataclass(frozen=True)
class Profile:
    """How to find items on one page layout. Empty selectors are not used.

    ``detect`` and ``item`` are single CSS selectors (a comma list matches in
    page order); each field is a selector or a list of selectors tried in
    order, so a profile can prefer ``p.date-extra`` to ``time`` whatever their
    order on the page. ``exclude`` names regions whose blocks are never items.
    """

    name: str
    detect: str
    item: str
    title: Selectors
    link: Selectors
    description: str = ""
    date: Selectors = ()
    datetime: Selectors = ()
    label: Selectors = ()
    summary: Selectors = ()
    image: Selectors = ()
    group: Selectors = ()
    next_page: Selectors = ()
    exclude: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, object], origin: str, *, check: bool = True) -> Profile:
        """Build and check a profile; ``origin`` says where it came from in errors.

        ``check`` compiles every selector now, so a user's typo is reported
        with its key before any page is read (the shipped profiles are
        checked by the tests instead: compiling costs start-up time).
        """
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"profile {origin}: unknown key(s) {', '.join(unknown)}")
        for key in _REQUIRED_KEYS:
            if not data.get(key):
                raise ConfigError(f"profile {origin}: '{key}' is required")
        values: dict[str, object] = {}
        for key, value in data.items():
            if key in _SELECTOR_KEYS:
                values[key] = _selector_list(value, key, origin)
            elif isinstance(value, str):
                values[key] = value
            else:
                raise ConfigError(f"profile {origin}: '{key}' must be a string")
        profile = cls(**values)  # type: ignore[arg-type]
        if check:
            profile.check_selectors(origin)
        return profile

    def check_selectors(self, origin: str) -> None:
        """ConfigError naming the key of the first selector CSS cannot read."""
        import soupsieve

        for key in ("detect", "item", "exclude", *_SELECTOR_KEYS):
            value = getattr(self, key)
            for selector in (value,) if isinstance(value, str) else value:
                if not selector:
                    continue
                try:
                    soupsieve.compile(selector)
                except soupsieve.SelectorSyntaxError as e:
                    problem = str(e).splitlines()[0]
                    raise ConfigError(
                        f"profile {origin}: '{key}' is not a valid CSS selector ({problem})"
                    ) from e


def _selector_list(value: object, key: str, origin: str) -> Selectors:
    if isinstance(value, str):
        return (value,) if value else ()
    if isinstance(value, list) and all(isinstance(v, str) and v for v in value):
        return tuple(value)
    raise ConfigError(f"profile {origin}: '{key}' must be a CSS selector or a list of them")


def load_profiles(path: str | Path) -> tuple[Profile, ...]:
    """The ``[[profile]]`` tables of a TOML file, in file order.

    Raises ConfigError naming the file, the profile and the key at fault.
    """
    file = Path(path)
    try:
        data = tomllib.loads(file.read_text("utf-8"))
    except FileNotFoundError as e:
        raise ConfigError(f"{file}: no such profiles file") from e
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{file}: cannot read profiles file ({e})") from e
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{file}: not valid TOML ({e})") from e
    tables = data.get("profile")
    if not isinstance(tables, list) or not tables:
        raise ConfigError(f"{file}: no [[profile]] table found")
    return profiles_from_tables(tables, str(file))


def profiles_from_tables(tables: Sequence[object], where: str) -> tuple[Profile, ...]:
    """Profiles from parsed ``[[profile]]`` tables (a profiles file's or the config's).

    ``where`` names their file in errors.
    """
    profiles = []
    for number, table in enumerate(tables, start=1):
        name = table.get("name") if isinstance(table, Mapping) else None
        origin = f"{where} [[profile]] #{number}" + (f" ('{name}')" if isinstance(name, str) else "")
        if not isinstance(table, Mapping):
            raise ConfigError(f"profile {origin}: must be a table")
        profiles.append(Profile.from_dict(dict(table), origin))
    names = [p.name for p in profiles]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ConfigError(f"{where}: profile name(s) used twice: {', '.join(repeated)}")
    return tuple(profiles)


@dataclass(frozen=True)
class ParsedPage:
    """The items of one page, in page order, and where its links point from."""

    base_url: str
    items: list[RawItem]
    profile: str
    next_page: str | None = None
    skipped: int = 0
    """Blocks that looked like items but had no title or link."""


@lru_cache(maxsize=1)
def builtin_profiles() -> tuple[Profile, ...]:
    """The profiles shipped with spfeed, in detection order.

    Files are read in name order (``10-…``, ``20-…``): the most specific
    layout comes first, so a page matching several is read the narrow way.
    """
    folder = resources.files("spfeed") / "profiles"
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            data = tomllib.loads(entry.read_text("utf-8"))
            found.append(Profile.from_dict(data, entry.name, check=False))
    return tuple(found)


def parse_page(
    html: str,
    page_url: str,
    *,
    base_url: str | None = None,
    profile: str | None = None,
    profiles: tuple[Profile, ...] = (),
) -> ParsedPage:
    """Extract the listing's items from ``html``.

    ``profiles`` (a user's) are tried before the built-in ones. ``profile``
    names the one to use ("fallback" for the generic one); otherwise the first whose ``detect`` selector
    matches is used, and when none matches (or it finds nothing) the generic
    fallback looks for repeated blocks with a link and a date or heading.

    ``base_url`` overrides where relative links resolve from; otherwise the
    page's ``<base href>``, then (for a page read from disk) its canonical
    link or ``og:url``, then ``page_url``.
    """
    soup = _soup(html)
    candidates = (*profiles, *builtin_profiles())
    resolved_base = base_url or _base_url(soup, page_url)
    if profile == FALLBACK:
        chosen = None
    elif profile:
        chosen = _named_profile(candidates, profile)
    else:
        chosen = _detect_profile(soup, candidates)
    if chosen is not None:
        items, skipped = _extract_items(soup, chosen)
        if items or profile:
            next_page = _next_page(soup, chosen.next_page)
            return _parsed(resolved_base, items, chosen.name, next_page, skipped)
        log.warning("layout '%s' matched but found no items; trying the generic fallback", chosen.name)
    items, skipped = _fallback_items(soup)
    if not items:
        found = f"with layout '{chosen.name}'" if chosen else "with any known layout"
        raise ParseError(
            page_url,
            f"no items found {found} nor by the generic fallback: the layout changed or "
            "the page is under maintenance (name a profile with --profile, or add one "
            "with --profiles FILE)",
        )
    log.warning(
        "no layout profile matched; the generic fallback found %d item(s): check them, "
        "or add a profile for this page",
        len(items),
    )
    return _parsed(resolved_base, items, FALLBACK, _next_page(soup, _FALLBACK_NEXT), skipped)


def _parsed(base: str, items: list[RawItem], name: str, next_page: str | None, skipped: int) -> ParsedPage:
    return ParsedPage(
        base_url=base,
        items=items,
        profile=name,
        next_page=_join(base, next_page) if next_page else None,
        skipped=skipped,
    )


def _soup(html: str) -> BeautifulSoup:
    from bs4 import BeautifulSoup

    return BeautifulSoup(_without_lone_surrogates(html), "lxml")


def _without_lone_surrogates(text: str) -> str:
    """U+FFFD for each lone surrogate: bs4 and lxml encode to UTF-8 and would raise."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return text


def _named_profile(candidates: tuple[Profile, ...], wanted: str) -> Profile:
    for candidate in candidates:
        if candidate.name == wanted:
            return candidate
    names = ", ".join(dict.fromkeys([*(c.name for c in candidates), FALLBACK]))
    raise ConfigError(f"unknown layout profile '{wanted}' (known: {names})")


def _join(base: str, href: str) -> str | None:
    """``href`` resolved against ``base``; None for a malformed one ("http://[::1")."""
    try:
        return urljoin(base, href)
    except ValueError:
        return None


def _detect_profile(soup: BeautifulSoup, candidates: tuple[Profile, ...]) -> Profile | None:
    for candidate in candidates:
        if compiled(candidate.detect).select_one(soup) is not None:
            return candidate
    return None


def _base_url(soup: BeautifulSoup, page_url: str) -> str:
    base = _first_attr(soup, ("base[href]",), "href")
    joined = _join(page_url, base) if base else None
    if joined:
        return joined
    if not page_url.startswith(("http://", "https://")):
        for selector, attr in (('link[rel="canonical"]', "href"), ('meta[property="og:url"]', "content")):
            found = _first_attr(soup, (selector,), attr)
            if found and found.startswith(("http://", "https://")):
                return found
    return page_url


def _next_page(soup: BeautifulSoup, selectors: Selectors) -> str | None:
    href = _first_attr(soup, selectors, "href")
    # An empty or "#" href (a disabled "next" on the last page) is no next page.
    return href if href and not href.startswith("#") else None


def _extract_items(soup: BeautifulSoup, profile: Profile) -> tuple[list[RawItem], int]:
    items: list[RawItem] = []
    skipped = 0
    blocks = compiled(profile.item).select(soup)
    if profile.exclude:
        blocks = [block for block in blocks if not _inside(block, profile.exclude)]
    headings = _group_headings(soup, blocks, profile.group)
    for block in blocks:
        item = _item_from_block(block, profile, headings.get(id(block)))
        if item is None:
            skipped += 1
            log.warning(
                "skipped a listing block with no title or link (profile %s): %r",
                profile.name,
                _snippet(block),
            )
            continue
        items.append(item)
    return items, skipped


def _inside(block: Tag, selector: str) -> bool:
    region = compiled(selector)
    return any(region.match(node) for node in (block, *block.parents) if node.name)


def _snippet(block: Tag) -> str:
    return " ".join(block.get_text(" ").split())[:80]


def _item_from_block(block: Tag, profile: Profile, group_heading: str | None) -> RawItem | None:
    title = _text(block, profile.title)
    link = _first_attr(block, profile.link, "href")
    if not title or not link:
        return None
    return RawItem(
        title=title,
        url=link,
        date_text=_text(block, profile.date),
        datetime_attr=_first_attr(block, profile.datetime, "datetime"),
        label=_text(block, profile.label),
        summary=_text(block, profile.summary),
        image=_image_src(block, profile.image),
        group_date=group_heading,
    )


def _text(scope: Tag | BeautifulSoup, selectors: Selectors) -> str | None:
    for selector in selectors:
        node = compiled(selector).select_one(scope)
        if node is not None:
            text = node.get_text(" ")
            if text.strip():
                return text
    return None


def _first_attr(scope: Tag | BeautifulSoup, selectors: Selectors, attr: str) -> str | None:
    node = first(selectors, scope, lambda node: _nonblank(node.get(attr)))
    return str(node.get(attr)).strip() if node is not None else None


def _nonblank(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _image_src(block: Tag, selectors: Selectors) -> str | None:
    for selector in selectors:
        node = compiled(selector).select_one(block)
        if node is not None:
            return _img_url(node)
    return None


def _img_url(img: Tag) -> str | None:
    """The img's own src; only when it has none, its <picture>'s first source.

    ``srcset`` lists candidates with size descriptors ("a.jpg 1x, b.jpg 2x");
    the first URL is one real image, which is all a feed needs.
    """
    for attr in ("src", "data-src"):
        value = img.get(attr)
        if isinstance(value, str) and value.strip() and not value.startswith("data:"):
            return value.strip()
    sources = [img]
    # libxml2 does not know <source> is void, so the img may sit inside one.
    picture = img.find_parent("picture")
    if picture is not None:
        sources += picture.find_all("source")
    for node in sources:
        srcset = node.get("srcset")
        if isinstance(srcset, str) and srcset.strip():
            return srcset.strip().split(",")[0].split()[0]
    return None


def _group_headings(soup: BeautifulSoup, blocks: list[Tag], selectors: Selectors) -> dict[int, str]:
    """For each block (by id), the text of the nearest group heading before it.

    One walk through the page in document order, remembering the last
    heading seen: looking back from each block instead costs the square of
    the page's size on a long archive page.
    """
    if not selectors or not blocks:
        return {}
    heading = compiled(", ".join(selectors))
    wanted = {id(block) for block in blocks}
    found: dict[int, str] = {}
    last: str | None = None
    for node in soup.descendants:
        if node.name is None:
            continue
        if id(node) in wanted and last is not None:
            found[id(node)] = last
        if heading.match(node):
            text = node.get_text(" ")
            last = text if text.strip() else None
    return found


# ---------------------------------------------------------------------------
# The generic fallback: no profile knows this page, so look for its shape.
# A listing is a run of sibling blocks of one kind, each with a link and a
# date or a heading. Navigation, breadcrumbs, footers, language switchers,
# pagination and "related links" are lists of links too, so their regions are
# ruled out first: by tag, ARIA role, and class or id words.

_FALLBACK_NEXT: Selectors = ('a[rel~="next"]', 'link[rel~="next"]')
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


def _fallback_items(soup: BeautifulSoup) -> tuple[list[RawItem], int]:
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
