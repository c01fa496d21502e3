"""RawItem -> Item: clean text, absolute links, dates, categories, ids. Pure."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import msgspec
from msgspec.structs import replace

from .categories import Taxonomy, default_taxonomy
from .dates import DEFAULT_LANGUAGES, in_ascii_digits, lexicon, page_zone, parse_date, parse_machine_date, split_kind
from .models import Item, Precision, RawItem, When

log = logging.getLogger(__name__)

# XML 1.0 allows tab, LF, CR and everything from U+0020 except surrogates and
# U+FFFE/U+FFFF; feedgen raises on the rest, so they never get that far.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# Strings, compiled by ``re`` when first used (and cached): most links have no query, most
# dates a year (~0.4 ms a process at import).
_TRACKING = r"(?i)^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid|_hsenc|_hsmi|mkt_tok)$"
_MAX_TITLE = 500
_MAX_SUMMARY = 4000
_MAX_KIND = 60  # a type is a few words; a longer prefix is some other text before a date


class Context(msgspec.Struct, frozen=True):
    """What normalizing needs to know about the page the items came from."""

    base_url: str
    tz: tzinfo
    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    """Languages whose month names dates may use (CLDR codes)."""
    taxonomy: Taxonomy = msgspec.field(default_factory=default_taxonomy)
    """Where labels map to canonical categories (``categories.load_taxonomy``)."""

    @classmethod
    def for_page(
        cls,
        base_url: str,
        timezone: str | None = None,
        languages: Iterable[str] = DEFAULT_LANGUAGES,
        taxonomy: Taxonomy | None = None,
    ) -> Context:
        """ConfigError for a zone or language that does not exist, before any page is read."""
        langs = tuple(languages)
        lexicon(langs)
        return cls(
            base_url=base_url,
            tz=page_zone(timezone),
            languages=langs,
            taxonomy=taxonomy if taxonomy is not None else default_taxonomy(),
        )


def normalize_items(raw_items: Iterable[RawItem], context: Context) -> list[Item]:
    """Normalize in page order; drop items without a usable link, and repeats."""
    items: list[Item] = []
    seen: dict[str, int] = {}
    for raw in raw_items:
        item = normalize_item(raw, context)
        if item is None:
            continue
        if item.id in seen:
            # The same article listed twice (a hero and the list): keep the
            # first place, fill its gaps from the second.
            index = seen[item.id]
            items[index] = _merge(items[index], item)
            continue
        seen[item.id] = len(items)
        items.append(item)
    return items


def normalize_item(raw: RawItem, context: Context) -> Item | None:
    title = clean_text(raw.title, limit=_MAX_TITLE)
    url = absolute_url(raw.url, context.base_url)
    if not title or url is None:
        log.warning("skipped item %r: no title or no http(s) link", raw.title[:80])
        return None
    kind = item_kind(raw)
    label = clean_text(raw.label) or _kind_as_label(kind)
    image = absolute_url(raw.image, context.base_url) if raw.image else None
    return Item(
        id=canonical_url(url),
        title=title,
        url=url,
        published=_with_kind(_best_date(raw, context), kind),
        category=label,
        category_slug=context.taxonomy.classify(label, kind),
        summary=clean_text(raw.summary, limit=_MAX_SUMMARY),
        image=image,
    )


def item_kind(raw: RawItem) -> str | None:
    """The type prefix of the date line ("Press release | 01 March 2023")."""
    if not raw.date_text:
        return None
    return clean_text(split_kind(raw.date_text)[0])


def _kind_as_label(kind: str | None) -> str | None:
    """An item with no label of its own is labelled by its date line's type ("Feature | 28 July 2022"),
    whoever read the page: a profile and the generic fallback store the same item."""
    if kind is None or len(kind) > _MAX_KIND or len(kind.split()) > 10:
        return None
    return kind


def item_date(raw: RawItem, context: Context) -> When | None:
    """The machine date if there is one, else the visible one, else the group's.

    Whichever dates the item, it keeps the date line's type prefix as its kind.
    """
    return _with_kind(_best_date(raw, context), item_kind(raw))


def _with_kind(when: When | None, kind: str | None) -> When | None:
    return replace(when, kind=kind) if when is not None and when.kind != kind else when


def _best_date(raw: RawItem, context: Context) -> When | None:
    visible = parse_date(raw.date_text, context.tz, context.languages)
    machine = parse_machine_date(raw.datetime_attr, context.tz)
    if machine is not None:
        if visible is not None and _within_month(visible, machine):
            return visible  # "<time datetime=2022-07>28 July 2022</time>": the day shown is more exact
        if visible is not None and visible.start.date() == machine.start.date():
            if visible.precision == "day" and _noon_utc(machine):
                return visible  # a date-only field as Drupal stores it: the day, not an instant
            precision: Precision = "minute" if "minute" in (visible.precision, machine.precision) else "day"
            start = visible.start if visible.precision == "minute" else machine.start
            if "minute" == visible.precision == machine.precision:
                start = _at_shown_offset(machine.start, visible.start)
            return When(start=start, end=visible.end or machine.end, precision=precision)
        return machine
    if visible is not None:
        return visible
    completed = _completed_by_group(raw.date_text, raw.group_date, context)
    if completed is not None:
        return completed
    if raw.group_date:
        group = parse_date(raw.group_date, context.tz, context.languages)
        if group is not None:  # a month's heading; or a day's, over that day's posts
            return replace(group, end=None, precision="day" if group.precision == "day" else "month")
    return None


def _noon_utc(machine: When) -> bool:
    """A timestamp at 12:00:00 UTC: how Drupal (and others) store a date without a time, so that it
    falls on the same day in every zone."""
    moment = machine.start.astimezone(timezone.utc)
    return machine.precision == "minute" and (moment.hour, moment.minute, moment.second) == (12, 0, 0)


_MAX_OFFSET = timedelta(hours=14)


def _at_shown_offset(instant: datetime, shown: datetime) -> datetime:
    """The machine's instant at the offset of the wall time shown beside it: "10:00 Beirut time" next
    to 08:00Z is 10:00+02:00, whatever zone the reader assumed; the shown time when they disagree
    by more than a zone's offset."""
    offset = shown.replace(tzinfo=None) - instant.astimezone(timezone.utc).replace(tzinfo=None)
    if abs(offset) > _MAX_OFFSET or offset % timedelta(minutes=15):
        return shown
    if offset == shown.utcoffset():
        return shown
    return instant.astimezone(timezone(offset))


def _within_month(visible: When, machine: When) -> bool:
    """A machine date of month precision and a visible date in that month."""
    start = visible.start
    return machine.precision == "month" and (start.year, start.month) == (machine.start.year, machine.start.month)


_A_YEAR = r"(?<!\d)(?:1[89]|2[01])\d\d(?!\d)"  # a string, as _TRACKING


def _completed_by_group(date_text: str | None, group: str | None, context: Context) -> When | None:
    """A day and month shown without a year ("17 September", "Publicado el 17 de septiembre") under
    a heading that names the year ("2023", "July 2023"): the date in that year."""
    if not date_text or not group or re.search(_A_YEAR, in_ascii_digits(date_text)):
        return None
    year = re.search(_A_YEAR, in_ascii_digits(group))
    if year is None:
        return None
    return parse_date(f"{date_text} {year.group()}", context.tz, context.languages)


def clean_text(text: str | None, *, limit: int | None = None) -> str | None:
    """One line of plain text that XML can carry; None when nothing is left."""
    if text is None:
        return None
    text = unicodedata.normalize("NFC", _XML_FORBIDDEN.sub("", text))
    text = " ".join(text.split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text or None


def absolute_url(href: str | None, base_url: str) -> str | None:
    """``href`` resolved against the page; None unless it is http(s)."""
    if not href:
        return None
    href = _XML_FORBIDDEN.sub("", href).strip()
    origin = _origin(base_url)
    if origin is not None and _is_plain_path(href):
        # Most links of a page: what urljoin would make of them, without its cost.
        return origin + href
    return _resolved(href, base_url)


def _resolved(href: str, base_url: str) -> str | None:
    try:
        # The base too: a <base href> with a control character (found by fuzzing) taints every link.
        url = _XML_FORBIDDEN.sub("", urljoin(base_url, href))
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises for "host: Paraguay<" (found by fuzzing), which canonical_url reads
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return urlunsplit(parts._replace(path=parts.path or "/"))


@lru_cache(maxsize=64)
def _origin(base_url: str) -> str | None:
    """What a plain path is joined to ("https://www.ilo.org" for any page there); None for no http(s) page."""
    root = _resolved("/", base_url)
    return root[:-1] if root is not None else None


# A path without anything urljoin or urlsplit would rewrite: no dot segments or
# empty segments (checked apart), no ";params", no tab/CR/LF (urlsplit drops
# them), and a query or fragment only when not empty (urlunsplit drops those).
_PLAIN_PATH = re.compile(r"/[^/;?#\t\r\n][^;?#\t\r\n]*(?:\?[^#\t\r\n]+)?(?:#[^\t\r\n]+)?|/")


def _is_plain_path(href: str) -> bool:
    """True when ``urljoin(base, href)`` is the base's origin followed by ``href`` as it is."""
    if not _PLAIN_PATH.fullmatch(href):
        return False
    path = href.partition("#")[0].partition("?")[0]
    return "//" not in path and "/." not in path


# An http(s) URL whose canonical form needs no parsing: a lower-case host of
# plain characters (no port, user or brackets), no query, no fragment.
_PLAIN_URL = re.compile(r"https?://([a-z0-9.\-]+)(/[^?#\t\r\n]*)?")


def canonical_url(url: str) -> str:
    """The identity of an article: https, lower-case host, no fragment, no tracking.

    http/https and a trailing slash make no difference to which article a
    link means, so they make none to its id either.
    """
    plain = _PLAIN_URL.fullmatch(url)
    if plain:
        return f"https://{plain[1]}{(plain[2] or '').rstrip('/') or '/'}"
    return _canonical_of_parts(url)


def _canonical_of_parts(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    path = parts.path.rstrip("/") or "/"
    query = urlencode(
        sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not re.match(_TRACKING, k))
    )
    return urlunsplit(("https", host, path, query, ""))


def _merge(first: Item, second: Item) -> Item:
    return replace(
        first,
        url=_plainer_url(first.url, second.url),
        published=first.published or second.published,
        category=first.category or second.category,
        category_slug=first.category_slug or second.category_slug,
        summary=first.summary or second.summary,
        image=first.image or second.image,
    )


def _plainer_url(first: str, second: str) -> str:
    """Of two links to one article, the https one without tracking noise.

    A promoted duplicate (a hero, a "featured" box) is often linked with
    ``http://`` or ``?utm_source=…``; readers should get the plain link.
    """
    return min((first, second), key=lambda url: (urlsplit(url).scheme != "https", len(url)))
