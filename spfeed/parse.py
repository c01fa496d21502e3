"""Find the news items in a page's HTML, with lxml.

What to look for on a page is data, not code: a layout profile (TOML, shipped
in ``spfeed/profiles/``, or a user's file) names a detection selector and the
CSS selectors of an item and of each of its fields. When no profile fits, a
generic fallback reads the page's structure instead (``fallback.py``).

The page is parsed by lxml (libxml2's HTML parser) directly: building
BeautifulSoup's tree of the same parse costs some 15 times as much (every
tag and string becomes a Python object through a callback), and a profile
needs no more than lxml's elements.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

import msgspec

from .dates import DEFAULT_LANGUAGES, page_languages
from .errors import ConfigError, ParseError
from .markup import img_url as _img_url
from .markup import text_of
from .markup import tree as _tree
from .models import RawItem
from .selectors import Descendants, check, compiled, first

if TYPE_CHECKING:
    from lxml.etree import _Element as Element

log = logging.getLogger(__name__)


Selectors = tuple[str, ...]
"""CSS selectors tried in order: the first that matches inside an item wins."""

_REQUIRED_KEYS = ("name", "detect", "item", "title", "link")
_SELECTOR_KEYS = ("title", "link", "date", "datetime", "label", "summary", "image", "group", "next_page")
FALLBACK = "fallback"
"""The profile name reported when items came from the generic fallback."""
_FALLBACK_NEXT: Selectors = ('a[rel~="next"]', 'link[rel~="next"]')


class Profile(msgspec.Struct, frozen=True):
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
        known = set(cls.__struct_fields__)  # not structs.fields(): that evaluates every annotation (~0.3 ms)
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
        for key in ("detect", "item", "exclude", *_SELECTOR_KEYS):
            value = getattr(self, key)
            for selector in (value,) if isinstance(value, str) else value:
                problem = check(selector) if selector else None
                if problem:
                    raise ConfigError(f"profile {origin}: '{key}' is not a valid CSS selector ({problem})")


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
    import tomllib  # here: a refresh with no profiles file of its own reads none

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


class ParsedPage(msgspec.Struct, frozen=True):
    """The items of one page, in page order, and where its links point from."""

    base_url: str
    items: list[RawItem]
    profile: str
    next_page: str | None = None
    skipped: int = 0
    """Blocks that looked like items but had no title or link."""
    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    """The languages its dates were read in, the first deciding a numeric date's order (``reading_order``)."""
    language: str | None = None
    """The language the page declares (``declared_language``), or None."""


@lru_cache(maxsize=1)
def builtin_profiles() -> tuple[Profile, ...]:
    """The profiles shipped with spfeed, in detection order.

    Files are read in name order (``10-…``, ``20-…``): the most specific
    layout comes first, so a page matching several is read the narrow way.
    """
    # The .toml files are what people edit; a refresh reads their JSON twin
    # (no tomllib to import and run), held equal to them by tests/test_parse.py.
    compiled = msgspec.json.decode((resources.files("spfeed") / PROFILES_COMPILED).read_bytes())
    return tuple(Profile.from_dict(data, name, check=False) for name, data in sorted(compiled.items()))


PROFILES_COMPILED = "profiles.json"


def builtin_profile_files() -> dict[str, Any]:
    """Each profiles/*.toml as tomllib reads it, by file name: what profiles.json must hold."""
    import tomllib

    folder = resources.files("spfeed") / "profiles"
    return {
        entry.name: tomllib.loads(entry.read_text("utf-8"))
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".toml")
    }


def parse_page(
    html: str,
    page_url: str,
    *,
    base_url: str | None = None,
    profile: str | None = None,
    profiles: tuple[Profile, ...] = (),
    languages: tuple[str, ...] = DEFAULT_LANGUAGES,
    page_first: bool = False,
) -> ParsedPage:
    """Extract the listing's items from ``html``.

    ``profiles`` (a user's) are tried before the built-in ones. ``profile``
    names the one to use ("fallback" for the generic one); otherwise the first whose ``detect`` selector
    matches is used, and when none matches (or it finds nothing) the generic
    fallback looks for repeated blocks with a link and a date or heading.

    ``base_url`` overrides where relative links resolve from; otherwise the
    page's ``<base href>``, then (for a page read from disk) its canonical
    link or ``og:url``, then ``page_url``.

    ``languages`` are those the fallback reads dates in, and normalizing after
    it, with the page's declared language second, or first with ``page_first``
    (no language is configured: see ``reading_order``).
    """
    root = _tree(html)
    declared = declared_language(root)
    languages = reading_order(languages, declared, page_first=page_first)
    candidates = (*profiles, *builtin_profiles())
    resolved_base = base_url or _base_url(root, page_url)
    if profile == FALLBACK:
        chosen = None
    elif profile:
        chosen = _named_profile(candidates, profile)
    else:
        chosen = _detect_profile(root, candidates)
    if chosen is not None:
        items, skipped, blocks = _extract_items(root, chosen)
        if items or profile:
            next_page = _next_page(root, chosen.next_page)
            name = chosen.name
            if not profile:  # a layout named by the user (or learned) is read as it says
                items, name = _completed_if_partial(root, chosen, blocks, items, resolved_base, languages)
            return _parsed(resolved_base, items, name, next_page, skipped, languages, declared)
        log.warning("layout '%s' matched but found no items; trying the generic fallback", chosen.name)
    from .fallback import fallback_items  # here: a page a profile reads does not need it (~10 ms of regexes)

    items, skipped = fallback_items(root, languages)
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
    return _parsed(
        resolved_base, items, FALLBACK, _next_page(root, _FALLBACK_NEXT), skipped, languages, declared
    )


def completed_name(profile: str) -> str:
    """The name reported for a profile's reading that the generic fallback completed."""
    return f"{profile}+{FALLBACK}"


def _completed_if_partial(
    root: Element, profile: Profile, blocks: list[Element], items: list[RawItem], base: str, languages: tuple[str, ...]
) -> tuple[list[RawItem], str]:
    """The profile's items, completed by the generic fallback when there is a sign that the
    profile read the page only in part (see completeness.py); and the name of what read them."""
    from .completeness import completed, doubt

    reason = doubt(root, profile, blocks, items)
    if reason is None:
        return items, profile.name
    from .fallback import fallback_items

    better = completed(items, fallback_items(root, languages)[0], root, base)
    if better is None:
        log.info("layout '%s': %s, but the generic fallback found nothing more", profile.name, reason)
        return items, profile.name
    merged, added, filled = better
    log.warning(
        "layout '%s' read the page only in part (%s): the generic fallback added %d item(s) and %d field(s)",
        profile.name, reason, added, filled,
    )
    return merged, completed_name(profile.name)


def page_language(root: Element) -> str | None:
    """The language the page says it is in: ``<html lang>`` (or ``xml:lang``), else ``<body lang>``,
    else ``<meta http-equiv="content-language">`` or ``og:locale`` (a BCP 47 tag or a locale)."""
    body = root.find("body")
    for value in (root.get("lang"), root.get("xml:lang"), body.get("lang") if body is not None else None):
        if value and value.strip():
            return str(value)
    head = root.find("head")
    for meta in head.iter("meta") if head is not None else ():
        named = (meta.get("http-equiv") or "").casefold() == "content-language" or meta.get("property") == "og:locale"
        content = (meta.get("content") or "").split(",")[0].strip()
        if named and content:
            return str(content)
    return None


_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")
"""A BCP 47 tag or a locale that starts with a language ("de", "EN-gb", "pt_BR"); not a
private-use or grandfathered one ("x-klingon", "i-klingon")."""
_NO_LANGUAGE = frozenset({"und", "mul", "zxx", "mis"})
"""BCP 47's codes for an undetermined, several, no or an uncoded language: none to read dates in."""


def declared_language(root: Element) -> str | None:
    """The language ``page_language`` declares, as spfeed names languages: its primary
    subtag in lower case ("EN-gb" is "en", "pt_BR" is "pt"), when CLDR knows it.
    None when the page declares none, or something that names no language CLDR knows
    ("x-klingon", "und", "tlh")."""
    tag = (page_language(root) or "").strip()
    if not _LANGUAGE_TAG.fullmatch(tag):
        return None
    primary = re.split("[-_]", tag, maxsplit=1)[0].casefold()
    if primary in _NO_LANGUAGE:
        return None
    known = page_languages((), primary)  # (primary,) when CLDR knows it, else ()
    return known[0] if known else None


def reading_order(languages: tuple[str, ...], declared: str | None, *, page_first: bool = False) -> tuple[str, ...]:
    """The languages to read a page's dates in; the first decides which of day and
    month a numeric date puts first. ``languages`` lead (a configured language first:
    it wins) and the page's ``declared`` language comes second; with ``page_first``
    (no language configured) the declared one leads."""
    if page_first and declared:
        return (declared, *(language for language in languages if language != declared))
    return page_languages(languages, declared)


def _parsed(
    base: str,
    items: list[RawItem],
    name: str,
    next_page: str | None,
    skipped: int,
    languages: tuple[str, ...],
    declared: str | None,
) -> ParsedPage:
    return ParsedPage(
        base_url=base,
        items=items,
        profile=name,
        next_page=_join(base, next_page) if next_page else None,
        skipped=skipped,
        languages=languages,
        language=declared,
    )


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


def _detect_profile(root: Element, candidates: tuple[Profile, ...]) -> Profile | None:
    for candidate in candidates:
        if compiled(candidate.detect).select_one(root) is not None:
            return candidate
    return None


def _base_url(root: Element, page_url: str) -> str:
    base = _first_attr(root, ("base[href]",), "href")
    joined = _join(page_url, base) if base else None
    if joined:
        return joined
    if not page_url.startswith(("http://", "https://")):
        for selector, attr in (('link[rel="canonical"]', "href"), ('meta[property="og:url"]', "content")):
            found = _first_attr(root, (selector,), attr)
            if found and found.startswith(("http://", "https://")):
                return found
    return page_url


def _next_page(root: Element, selectors: Selectors) -> str | None:
    href = _first_attr(root, selectors, "href")
    # An empty or "#" href (a disabled "next" on the last page) is no next page.
    return href if href and not href.startswith("#") else None


def _extract_items(root: Element, profile: Profile) -> tuple[list[RawItem], int, list[Element]]:
    """The items the profile reads, how many blocks it skipped, and its item blocks."""
    items: list[RawItem] = []
    skipped = 0
    blocks = compiled(profile.item).select(root)
    if profile.exclude:
        blocks = _outside(blocks, root, profile.exclude)
    headings = _group_headings(root, blocks, profile.group)
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
    return items, skipped, blocks


def _outside(blocks: list[Element], root: Element, selector: str) -> list[Element]:
    regions = set(compiled(selector).select(root))
    return [block for block in blocks if block not in regions and not any(a in regions for a in block.iterancestors())]


def _snippet(block: Element) -> str:
    return " ".join(text_of(block).split())[:80]


def _item_from_block(element: Element, profile: Profile, group_heading: str | None) -> RawItem | None:
    block = Descendants(element)
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


def _text(scope: Element | Descendants, selectors: Selectors) -> str | None:
    for selector in selectors:
        node = compiled(selector).select_one(scope)
        if node is not None:
            text = text_of(node)
            if text.strip():
                return text
    return None


def _first_attr(scope: Element | Descendants, selectors: Selectors, attr: str) -> str | None:
    node = first(selectors, scope, lambda node: _nonblank(node.get(attr)))
    return str(node.get(attr)).strip() if node is not None else None


def _nonblank(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _image_src(block: Descendants, selectors: Selectors) -> str | None:
    for selector in selectors:
        node = compiled(selector).select_one(block)
        if node is not None:
            return _img_url(node)
    return None


def _group_headings(root: Element, blocks: list[Element], selectors: Selectors) -> dict[int, str]:
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
    headings = set(heading.select(root))
    for node in root.iter():
        if id(node) in wanted and last is not None:
            found[id(node)] = last
        if node in headings:
            text = text_of(node)
            last = text if text.strip() else None
    return found


# --- for learn.py, which derives a profile from a page and reads candidate
# selectors exactly as a refresh will read them -------------------------------


def page_root(html: str) -> Element:
    """The page's lxml root, parsed as ``parse_page`` parses it."""
    return _tree(html)


def page_base_url(root: Element, page_url: str) -> str:
    """Where the page's relative links point from (see ``parse_page``)."""
    return _base_url(root, page_url)


def read_text(block: Descendants, selectors: Selectors) -> str | None:
    """A text field of an item block, as a profile with these selectors reads it."""
    return _text(block, selectors)


def read_attr(block: Descendants, selectors: Selectors, attr: str = "href") -> str | None:
    """A link (or another attribute) of an item block, as a profile reads it."""
    return _first_attr(block, selectors, attr)


def read_image(block: Descendants, selectors: Selectors) -> str | None:
    """An item block's image URL as written, as a profile reads it."""
    return _image_src(block, selectors)

