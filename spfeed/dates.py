"""Turn the date text of ILO pages into aware datetimes. Pure functions.

Forms understood (English, French and Spanish month names, from CLDR via
Babel, so another language is a setting rather than code):

- "17 September 2023", "1er mars 2023", "17 de septiembre de 2023",
  "September 17, 2023";
- ranges: "27-28 June 2023", "30 June - 2 July 2023",
  "30 December 2023 - 2 January 2024" (start, and end);
- a time and a named zone: "24 March 2023 at 09:00 (Europe/Zurich)",
  "24 mars 2023 à 09h00 (Europe/Zurich)";
- a type prefix: "Press release | 01 March 2023" (the prefix is kept as kind);
- a place around the date: "New York, 21 September 2016";
- a month alone, as in archive headings: "July 2022" (precision "month");
- machine dates from ``<time datetime>``: ISO 8601 or UNIX seconds.

A date without a time is pinned to midnight in the page's zone, because the
ILO publishes from Geneva and a reader in UTC should see the day the page
shows. Text that is not a date gives None: never an exception, never a guess.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .models import When

DEFAULT_TIMEZONE = "Europe/Zurich"
DEFAULT_LANGUAGES = ("en", "fr", "es")

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_MAX_TEXT = 300  # a date line is short; longer text is a summary, not a date


@lru_cache(maxsize=32)
def month_names(languages: tuple[str, ...]) -> dict[str, int]:
    """Lower-case month names and abbreviations (without dots) -> month number."""
    from babel.dates import get_month_names

    names: dict[str, int] = {}
    for language in languages:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, language).items():
                    key = _fold(name).rstrip(".")
                    names.setdefault(key, number)
    return names


@lru_cache(maxsize=32)
def _patterns(languages: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    months = sorted(month_names(languages), key=len, reverse=True)
    m = "(?:" + "|".join(re.escape(name) for name in months) + r")\.?"
    d = r"(?:[12]\d|3[01]|0?[1-9])(?:er|st|nd|rd|th|º|°)?"
    y = r"(?:1[89]|2[01])\d\d"
    sep = r"(?:\s*-\s*|\s+(?:to|au|al|a|until|jusqu'au|hasta el)\s+)"
    b, e = r"(?<![\w])", r"(?![\w])"
    return (
        # 30 December 2023 - 2 January 2024 / 30 June - 2 July 2023 / 27-28 June 2023
        re.compile(
            rf"{b}(?P<d1>{d})(?:\s+(?P<m1>{m})(?:\s+(?P<y1>{y}))?)?{sep}"
            rf"(?P<d2>{d})\s+(?P<m2>{m})\s+(?P<y2>{y}){e}"
        ),
        # June 27-28, 2023 / June 30 - July 2, 2023
        re.compile(
            rf"{b}(?P<m1>{m})\s+(?P<d1>{d}){sep}(?:(?P<m2>{m})\s+)?(?P<d2>{d})\s+(?P<y2>{y}){e}"
        ),
        re.compile(rf"{b}(?P<d1>{d})\s+(?P<m1>{m})\s+(?P<y1>{y}){e}"),
        re.compile(rf"{b}(?P<m1>{m})\s+(?P<d1>{d})\s+(?P<y1>{y}){e}"),
        re.compile(rf"{b}(?P<m1>{m})\s+(?P<y1>{y}){e}"),
    )


_TIME = re.compile(
    r"(?:\b(?:at|à|a\s+las|a\s+la|from|de)\s+)?"
    r"(?<![\d:])(?P<h>[01]?\d|2[0-3])\s*(?::|h)\s*(?P<min>[0-5]\d)?(?![\d:])"
)
_ZONE = re.compile(r"\(\s*(?P<zone>[A-Za-z]+(?:/[A-Za-z_+\-]+)+|UTC|GMT)\s*\)")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def clean_date_text(text: str) -> str:
    """Fold case, dashes, spaces and Spanish "de" so the patterns stay few."""
    text = _fold(text)
    text = text.translate({ord(c): "-" for c in _DASHES})
    text = text.replace("\u00a0", " ").replace(",", " ")
    text = re.sub(r"\b(?:de|del)\b(?=\s+(?:\d|[^\W\d]))", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def get_zone(name: str | None, default: tzinfo | None = None) -> tzinfo:
    """The zone called ``name``, else ``default``, else the ILO's (Geneva)."""
    if name:
        if name.upper() in ("UTC", "GMT"):
            return timezone.utc
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return default if default is not None else ZoneInfo(DEFAULT_TIMEZONE)


def parse_date(
    text: str | None,
    tz: tzinfo | None = None,
    languages: Iterable[str] = DEFAULT_LANGUAGES,
) -> When | None:
    """Parse the visible date text of an item; None when it holds no date."""
    if not text or len(text) > _MAX_TEXT:
        return None
    zone = tz if tz is not None else get_zone(None)
    kind, text = split_kind(text)
    zone_match = _ZONE.search(text)
    if zone_match:
        zone = get_zone(zone_match["zone"], zone)
        text = text[: zone_match.start()] + " " + text[zone_match.end() :]
    cleaned = clean_date_text(text)
    langs = tuple(languages)
    for pattern in _patterns(langs):
        match = pattern.search(cleaned)
        if match is None:
            continue
        # The first form that matches decides: an impossible date ("31
        # February") is no date, not a looser reading of the same text.
        return _when_from_match(match, month_names(langs), zone, cleaned, kind)
    return None


def split_kind(text: str) -> tuple[str | None, str]:
    """'Press release | 01 March 2023' -> ('Press release', '01 March 2023')."""
    if "|" not in text:
        return None, text
    head, _, tail = text.partition("|")
    head = " ".join(head.split())
    if not head or any(ch.isdigit() for ch in head):
        return None, text
    return head, tail


def _when_from_match(
    match: re.Match[str],
    months: dict[str, int],
    zone: tzinfo,
    cleaned: str,
    kind: str | None,
) -> When | None:
    groups = match.groupdict()
    y2 = groups.get("y2")
    m2 = groups.get("m2")
    year1 = int(groups.get("y1") or y2 or 0)
    month1 = _month(groups["m1"] or m2, months)
    if groups.get("d1") is None:
        start = _make(year1, month1, 1, zone)
        return When(start=start, precision="month", kind=kind) if start else None
    start = _make(year1, month1, _day(groups["d1"]), zone)
    if start is None:
        return None
    end = None
    if groups.get("d2") is not None:
        end = _make(int(y2 or year1), _month(m2 or groups["m1"], months), _day(groups["d2"]), zone)
        if end is None or end < start:
            return None
    rest = cleaned[match.end() :] + " " + cleaned[: match.start()]
    time = _TIME.search(cleaned[match.end() :]) or (_TIME.search(rest) if end is None else None)
    if time is not None and end is None:
        start = start.replace(hour=int(time["h"]), minute=int(time["min"] or 0))
        start = _normalize_wall_time(start, zone)
        return When(start=start, precision="minute", kind=kind)
    return When(start=start, end=end, precision="day", kind=kind)


def _month(name: str | None, months: dict[str, int]) -> int:
    return months.get((name or "").rstrip("."), 0)


def _day(text: str) -> int:
    return int(re.match(r"\d+", text).group())  # type: ignore[union-attr]


def _make(year: int, month: int, day: int, zone: tzinfo) -> datetime | None:
    try:
        return datetime(year, month, day, tzinfo=zone)
    except ValueError:
        return None


def _normalize_wall_time(value: datetime, zone: tzinfo) -> datetime:
    """Resolve a wall time that a DST change skipped to a real instant."""
    return value.astimezone(timezone.utc).astimezone(zone)


def parse_machine_date(value: str | None, tz: tzinfo | None = None) -> When | None:
    """Parse ``<time datetime>``: ISO 8601 or UNIX seconds, shown in ``tz``.

    A timestamp that falls on midnight in the page's zone is a date without a
    time (that is how the current ilo.org cards encode days).
    """
    if not value:
        return None
    zone = tz if tz is not None else get_zone(None)
    value = value.strip()
    try:
        if re.fullmatch(r"-?\d{9,11}", value):
            moment = datetime.fromtimestamp(int(value), timezone.utc).astimezone(zone)
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            day = datetime.fromisoformat(value)
            return When(start=day.replace(tzinfo=zone), precision="day")
        else:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            moment = moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)
    except (ValueError, OverflowError, OSError):
        return None
    if not 1900 <= moment.year <= 2199:
        return None
    if moment.time() == datetime.min.time():
        return When(start=moment, precision="day")
    return When(start=moment, precision="minute")


def iso(when: When | None, *, end: bool = False) -> str | None:
    """The JSON form: a date, a month, or a datetime with its UTC offset."""
    if when is None:
        return None
    value = when.end if end else when.start
    if value is None:
        return None
    if when.precision == "month":
        return value.strftime("%Y-%m")
    if when.precision == "day":
        return value.date().isoformat()
    return value.isoformat()

