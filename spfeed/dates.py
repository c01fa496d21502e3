"""Turn the date text of ILO pages into aware datetimes. Pure functions.

Forms understood, in any language CLDR knows the month names of (via Babel;
English, French and Spanish by default and shipped, so another language is a
setting rather than code; for another, what CLDR's patterns say too: genitive
months, the words around the numbers, a.m./p.m. words, the order of a numeric
date; digits of any script; CJK dates; see README, "Dates"):

- single dates: "17 September 2023", "1er mars 2023" (also ``1<sup>er</sup>``),
  "17 de septiembre de 2023", "September 17, 2023", "Sep 17, 2023",
  "jeudi 7 sept. 2023", a visible ISO date "2023-09-17";
- ranges: "27-28 June 2023", "30 June - 2 July 2023", "du 30 juin au 2 juillet
  2023", "30 December 2023 - 2 January 2024", "Sep 7, 2023 – Jan 2, 2024"
  (start, and end);
- a time: "24 March 2023 at 09:00 (Europe/Zurich)", "24 mars 2023 à 09h00",
  "24 de marzo de 2023 a las 9:00", "Sep 7, 2023, 9:05 PM", with a named zone
  (its real offset that day), a UTC offset ("+0200", "UTC+2"), the page zone's
  own abbreviation ("CEST"), or none (the page's zone);
- a type prefix: "Press release | 01 March 2023" (the prefix is kept as kind);
- a place around the date: "New York, 21 September 2016";
- a month alone, as in archive headings: "July 2022" (precision "month");
- numeric dates: "17.09.2023", "17/09/2023", "17-09-2023", "2023/09/17", also
  a range of two ("17.09.2023 - 18.09.2023") and a time after one ("24.03.2023,
  09:00"), and "17.09.23" (dd.mm.yy, this century); see ``numeric_date`` for
  which of day and month comes first;
- machine dates from ``<time datetime>``: ISO 8601 or UNIX seconds.

A date without a time is pinned to midnight in the page's zone, because the
ILO publishes from Geneva and a reader in UTC should see the day the page
shows. Text that is not a date gives None: never an exception, never a guess
(a day and month without a year, a two-digit year, a time in a zone we cannot
identify: the part we cannot be sure of is left out).
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from importlib import resources
from itertools import islice
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec

from .errors import ConfigError
from .models import When

log = logging.getLogger(__name__)

DEFAULT_TIMEZONE = "Europe/Zurich"
DEFAULT_LANGUAGES = ("en", "fr", "es")

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2192"  # and an arrow: "27 → 28 juin"
_MAX_TEXT = 300  # a date line is short; longer text is a summary, not a date
_KIND_SEPARATORS = "|\u00b7\u2022\u2014\u2013"  # "Press release | 01 March 2023", "·", "•", "—", "–"
_DATE_AFTER_DASH = re.compile(r"\s*\S*\d")  # "Artículo — 28 de julio", not the range "June – July 2023"
BYLINE = re.compile(
    r"^(?i:by|par|por|posted by|written by|publié par|publicado por)\s+(?i:(?:the|le|la|les|l’|l'|el|los|las)\s*)?"
    r"[A-ZÀ-Þ][\w.'-]*(?:\s+\S+){0,8}$"
)
"""A byline names a person or an office: "By Jane Doe", "Par le Département de la communication",
not "Por qué ..." (a title)."""


class Lexicon(msgspec.Struct, frozen=True):
    """The words of dates in some languages, from CLDR: month and weekday names."""

    months: dict[str, int]
    """Lower-case month names and abbreviations (without dots) -> month number."""
    weekdays: frozenset[str]
    forms: tuple[str, ...]
    """The date forms (``_forms``), each compiled when a date first needs it (``_compiled``):
    most pages' dates need one to three of the seven, and compiling one costs ~0.1-0.5 ms."""
    weekday_form: str
    weekdays_are_words: bool
    """Every weekday name a word of letters: a text with no such word in ``weekdays``
    has no weekday to drop, and needs no pattern compiled (``_drop_weekdays``)."""
    periods: dict[str, str] = msgspec.field(default_factory=dict)
    """CLDR's words for a.m. and p.m. in languages spfeed does not ship (Korean "오후", Chinese "下午",
    Arabic "م") -> "am" or "pm"."""
    dot_times: bool = False
    """Whether one of the languages writes its times with a dot ("15.30": Danish, Finnish, Indonesian)."""
    date_words: str | None = None
    """The words CLDR's date patterns write around the numbers (Lithuanian "2023 m. rugsėjo 17 d.",
    Kazakh "2023 ж.", Latvian "2023. gada"), as a pattern: no part of the date, so they go before
    the forms look."""


@lru_cache(maxsize=32)
def lexicon(languages: tuple[str, ...]) -> Lexicon:
    """CLDR names for ``languages``; ConfigError for a language CLDR lacks."""
    months: dict[str, int] = {}
    weekdays: set[str] = set()
    try:
        for language in languages:
            names = _shipped_names().get(language) or cldr_names(language)
            for number, name in names["months"]:
                months.setdefault(_fold(name).rstrip("."), number)
            weekdays.update(_fold(name).rstrip(".") for name in names["weekdays"])
        for language in languages:
            for number, name in _regional_months(language) if language not in _shipped_names() else ():
                months.setdefault(_fold(name).rstrip("."), number)
            for number, name in _dual_months(language) if language not in _shipped_names() else ():
                months.setdefault(name, number)
        # Pages typed without their accents: "fevrier", "marco", "Marz", "Agustos"
        for name, number in list(months.items()):
            months.setdefault(_unaccented(name), number)
        weekdays.update([_unaccented(name) for name in weekdays])
    except LookupError as e:
        raise ConfigError(f"unknown date language in {list(languages)!r}: use CLDR codes such as en, fr, es") from e
    words_only = all(_MONTH_WORD.fullmatch(name) for name in months)
    month = _MONTH_WORD.pattern if words_only else _alternatives(months)
    # What CLDR's patterns and words.json say of the languages not shipped (Babel's data, loaded once).
    others = tuple(language for language in languages if language not in _shipped_names())
    date_words = {word for language in others for word in _cldr_date_words(language)}
    if others:
        from .words import date_words as more_date_words

        date_words |= more_date_words(others)
    date_words -= set(months) | weekdays
    return Lexicon(
        months=months,
        weekdays=frozenset(weekdays),
        forms=_forms(month, year_first=any(_cldr_year_first(language) for language in others)),
        weekday_form=_weekday_pattern(weekdays, months, month),
        weekdays_are_words=all(_MONTH_WORD.fullmatch(name) for name in weekdays),
        periods={word: period for language in others for word, period in _cldr_periods(language).items()},
        dot_times=any(_cldr_dot_time(language) for language in others),
        date_words=rf"(?<![^\W\d_]){_alternatives(date_words)}\.?(?![^\W\d_])" if date_words else None,
    )


def _cldr_periods(language: str) -> dict[str, str]:
    from babel import UnknownLocaleError
    from babel.dates import get_period_names

    found: dict[str, str] = {}
    for width in ("abbreviated", "wide"):
        try:
            names = get_period_names(width, "format", language)
        except (UnknownLocaleError, ValueError, TypeError):
            return {}
        found.update((_fold(str(names[period])), period) for period in ("am", "pm") if period in names)
    return {word: period for word, period in found.items() if word not in ("am", "pm")}


def _cldr_dot_time(language: str) -> bool:
    from babel import UnknownLocaleError
    from babel.dates import get_time_format

    try:
        return "." in get_time_format("short", locale=language).pattern
    except (UnknownLocaleError, ValueError, TypeError):
        return False


_DOT_TIME = r"(?<![\d.])((?:[01]?\d|2[0-3]))\.([0-5]\d)(?![\d.])"  # a string, as _TIME


def _with_periods_after(text: str, periods: dict[str, str]) -> str:
    """'오후 3:00' and '3:00 下午' as '3:00 pm': the form ``_TIME`` reads."""
    pattern = _periods_pattern(tuple(sorted(periods)))
    return pattern.sub(lambda m: f"{m['t1'] or m['t2']} {periods[m['p1'] or m['p2']]}", text)


@lru_cache(maxsize=16)
def _periods_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    period = _alternatives(words)
    time = r"(?:[01]?\d|2[0-3])\s*:\s*[0-5]\d"
    return re.compile(rf"(?<![^\W\d_])(?P<p1>{period})\s*(?P<t1>{time})|(?P<t2>{time})\s*(?P<p2>{period})(?![^\W\d_])")


_QUOTED = r"'([^']*)'"  # strings, as _TIME: read once per language not shipped
_LETTERS = r"[^\W\d_]+"


def _cldr_date_words(language: str) -> set[str]:
    """The words of ``language``'s CLDR date patterns: quoted ones ("y 'm'. MMMM d 'd'.") and
    letters that are no pattern field (ASCII letters are fields: "y թ. MMMM d")."""
    from babel import UnknownLocaleError
    from babel.dates import get_date_format

    words: set[str] = set()
    for width in ("full", "long", "medium", "short"):
        try:
            pattern = get_date_format(width, locale=language).pattern
        except (UnknownLocaleError, ValueError, TypeError):
            return set()
        words.update(word for quoted in re.findall(_QUOTED, pattern) for word in re.findall(_LETTERS, quoted))
        words.update(word for word in re.findall(_LETTERS, re.sub(_QUOTED, " ", pattern)) if not word.isascii())
    return {_fold(word) for word in words}


@lru_cache(maxsize=32)
def _regional_months(language: str) -> tuple[tuple[int, str], ...]:
    """The month names of ``language``'s regional and script variants in CLDR: the Levantine
    Arabic months ("كانون الثاني", "أيلول"), Austrian German "Jänner", Serbian in Latin script."""
    from babel import localedata
    from babel.dates import get_month_names

    found: dict[str, int] = {}
    for locale in localedata.locale_identifiers():
        if locale.partition("_")[0] != language or locale == language:
            continue
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                found.update((name, number) for number, name in get_month_names(width, context, locale).items())
    return tuple((number, name) for name, number in found.items())


@lru_cache(maxsize=32)
def _dual_months(language: str) -> tuple[tuple[int, str], ...]:
    """A month named in two of ``language``'s regional variants at once, as UN and Arab news style
    writes it: "أيلول/سبتمبر", "سبتمبر/أيلول" (folded)."""
    names: dict[int, set[str]] = {}
    for number, name in (*cldr_names(language)["months"], *_regional_months(language)):
        names.setdefault(number, set()).add(_fold(name).rstrip("."))
    return tuple(
        (number, f"{first}/{second}")
        for number, same in names.items() if 1 < len(same) <= 6
        for first in same for second in same if first != second and "." not in first + second
    )


CLDR_NAMES_FILE = "cldr-names.json"
"""``cldr_names`` of the default languages, shipped with spfeed: loading Babel's
locale data costs a refresh more than normalizing 2,000 items. A test checks
that they are Babel's (``pytest --update-golden`` rewrites them)."""


def cldr_names(language: str) -> dict[str, list[Any]]:
    """Month names (``[number, name]``) and weekday names of ``language``, from CLDR via Babel,
    in every width and context; LookupError for a language CLDR lacks."""
    from babel import UnknownLocaleError
    from babel.dates import get_day_names, get_month_names

    months: list[Any] = []
    weekdays: list[str] = []
    try:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                months.extend([number, name] for number, name in get_month_names(width, context, language).items())
                weekdays.extend(get_day_names(width, context, language).values())
        glued = _glued_to_month(language)
    except (UnknownLocaleError, ValueError, TypeError) as e:
        raise LookupError(f"no CLDR date names for {language!r}") from e
    months.extend([number, f"{prefix}{name}"] for prefix in glued for number, name in list(months))
    return {"months": months, "weekdays": weekdays}


_GLUED_PREFIX = r"([^\W\d_A-Za-z]+)M{3,}"  # pattern letters are ASCII: literals are not


def _glued_to_month(language: str) -> set[str]:
    """Letters CLDR's date patterns glue before the month's name: Hebrew "d בMMMM y" writes
    "17 בספטמבר 2023" ("in September")."""
    from babel.dates import get_date_format

    patterns = (get_date_format(width, locale=language).pattern for width in ("full", "long", "medium"))
    return {prefix for pattern in patterns for prefix in re.findall(_GLUED_PREFIX, pattern.replace("'", ""))}


@lru_cache(maxsize=1)
def _shipped_names() -> dict[str, dict[str, list[Any]]]:
    text = (resources.files("spfeed") / CLDR_NAMES_FILE).read_text("utf-8")
    names: dict[str, dict[str, list[Any]]] = json.loads(text)
    return names


def months_as_written(language: str) -> tuple[str, ...]:
    """The twelve months as a date spells them in ``language`` (CLDR "format", "wide"):
    "janvier", …; LookupError for a language CLDR lacks."""
    names = _shipped_names().get(language) or cldr_names(language)
    return tuple(name for _, name in names["months"][:12])


def page_languages(languages: tuple[str, ...], page_language: str | None) -> tuple[str, ...]:
    """The languages to read a page's dates in: ``languages`` (the configured one
    first), and the page's own (its ``lang``: "pt-BR" is "pt") second when it is
    another that CLDR knows. A source left at its default language still reads a
    German page's "17. September 2023"; the configured language keeps deciding
    the order of an ambiguous numeric date."""
    primary = (page_language or "").strip().replace("_", "-").partition("-")[0].casefold()
    if not primary.isalpha() or primary in languages or not _known_language(primary):
        return languages
    return (*languages[:1], primary, *languages[1:])


@lru_cache(maxsize=64)
def _known_language(language: str) -> bool:
    try:
        lexicon((language,))
    except ConfigError:
        return False
    return True


def month_names(languages: tuple[str, ...]) -> dict[str, int]:
    """Lower-case month names and abbreviations (without dots) -> month number."""
    return lexicon(languages).months


def _alternatives(words: Iterable[str]) -> str:
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:\.?(?:er|st|nd|rd|th|º|°|ª))?\.?"
_YEAR = r"(?:1[89]|2[01])\d\d"
# "to"/"au"/"al"/"a"/"hasta": the words of ranges in the default languages; "and"/"et"/"y" join
# the days of one event ("les 27 et 28 juin 2023", "27 y 28 de junio de 2023"): its first and last
# Other languages' words of ranges, where the web writes them between two days: German "bis",
# Dutch "tot" and "t/m", Italian "al", Russian "по"/"до", Arabic "إلى"/"الى", Persian "تا"; "и", "e"
# and "و" join days as "and" does.
_RANGE_WORDS = (
    "to", "until", "till", "and", "au", "jusqu'au", "et", "al", "a", "hasta", "y",
    "bis", "tot", "t/m", "и", "e", "по", "до", "إلى", "الى", "و", "تا",
)
_RANGE_SEP = r"(?:\s*-\s*|\s+(?:" + "|".join(_RANGE_WORDS).replace("hasta", r"hasta(?:\s+el)?") + r")\s+)"
_B, _E = r"(?<![\w])", r"(?![\w])"


_MONTH_WORD = re.compile(r"[^\W\d_]+")
"""A word of letters. Where a month stands, the date forms take any such word and
the month table says whether it is a month: an alternation of some sixty names,
seven times over, costs a process's first date ~3 ms more to compile."""


@lru_cache(maxsize=256)
def _compiled(form: str) -> re.Pattern[str]:
    return re.compile(form)


@lru_cache(maxsize=64)
def _spelled_out_form(languages: tuple[str, ...], number: int) -> re.Pattern[str]:
    """One date form with the month names of ``languages`` spelled out (each compiled when first needed)."""
    return re.compile(_forms(_alternatives(lexicon(languages).months))[number])


_RANGE_FORMS = 2
"""The first forms, ranges, have optional parts: a word that is no month may hide
another reading of the same place (see ``_first_form``)."""


def _forms(month: str, *, year_first: bool = False) -> tuple[str, ...]:
    """The date forms, most specific first, with ``month`` where a month name stands; with
    ``year_first``, the forms of languages that write the year first (``_cldr_year_first``)."""
    m = month + r"\.?"
    d, y, sep = _DAY, _YEAR, _RANGE_SEP
    return (
        # 30 December 2023 - 2 January 2024 / 30 June - 2 July 2023 / 27-28 June 2023
        rf"{_B}(?P<d1>{d})(?:\s+(?P<m1>{m})(?:\s+(?P<y1>{y}))?)?{sep}(?P<d2>{d})\s+(?P<m2>{m})\s+(?P<y2>{y}){_E}",
        # June 27-28, 2023 / June 30 - July 2, 2023 / Dec 30, 2023 - Jan 2, 2024
        rf"{_B}(?P<m1>{m})\s+(?P<d1>{d})(?:\s+(?P<y1>{y}))?{sep}(?:(?P<m2>{m})\s+)?(?P<d2>{d})\s+(?P<y2>{y}){_E}",
        rf"{_B}(?P<d1>{d})\s+(?P<m1>{m})\s+(?P<y1>{y}){_E}",
        rf"{_B}(?P<m1>{m})\s+(?P<d1>{d})\s+(?P<y1>{y}){_E}",
        rf"{_B}(?P<m1>{m})\s+(?P<y1>{y}){_E}",
    ) + ((
        # year first, as Hungarian and Lithuanian write it: "2023. szeptember 17."
        rf"{_B}(?P<y1>{y})\.?\s+(?P<m1>{m})\s+(?P<d1>{d}){_E}",
        # year, day, month: Latvian "2023. gada 17. septembris", Kazakh "2023 ж. 17 қыркүйек"
        rf"{_B}(?P<y1>{y})\.?\s+(?P<d1>{d})\s+(?P<m1>{m}){_E}",
    ) if year_first else ())


@lru_cache(maxsize=64)
def _cldr_year_first(language: str) -> bool:
    """Whether one of ``language``'s CLDR date patterns with a month name puts the year first."""
    from babel import UnknownLocaleError
    from babel.dates import get_date_format

    try:
        patterns = [get_date_format(width, locale=language).pattern for width in ("full", "long", "medium")]
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return any(pattern.replace("EEEE", "").lstrip(", ").startswith("y") for pattern in patterns if "MMM" in pattern)


def _weekday_pattern(weekdays: set[str], months: dict[str, int], month: str) -> str:
    # A weekday name between the parts of a range ("Thu, Sep 7 – Sat, Sep 9")
    # would split it, so weekdays go. Some are also month abbreviations
    # (Spanish "mar" is Tuesday and March): those go only where a day and a
    # month follow, which is where a weekday stands and a month cannot
    # (``month`` names it as group "month": ``_drop_weekdays`` checks a word).
    plain = weekdays - set(months)
    both = weekdays & set(months)
    parts = [rf"{_B}{_alternatives(plain)}\.?{_E}"] if plain else []
    if both:
        parts.append(rf"{_B}{_alternatives(both)}\.?(?=\s+{_DAY}\s+(?P<month>{month}){_E})")
    return "|".join(parts) or r"(?!)"


def _drop_weekdays(text: str, words: Lexicon) -> str:
    if words.weekdays_are_words and words.weekdays.isdisjoint(_MONTH_WORD.findall(text)):
        # The pattern matches a weekday name only as a whole word: here there is none.
        return text
    weekday_re = _compiled(words.weekday_form)
    if "month" not in weekday_re.groupindex:
        return weekday_re.sub(" ", text)

    def dropped(weekday: re.Match[str]) -> str:
        month = weekday.group("month")
        return " " if month is None or month in words.months else weekday.group()

    return weekday_re.sub(dropped, text)


# A pattern kept as a string (_TIME, _OFFSET, _TIME_RANGE_END, _ISO_*, _SPLIT_ORDINAL, _LINK_WORDS,
# _NUMERIC_*): few pages' dates need it, so ``re`` compiles it when first used (and caches it),
# not each process at import (0.1-0.5 ms each).
_TIME = (
    r"(?<![\d:.])(?P<h>[01]?\d|2[0-3])"
    # the hour's mark: "9:05", "9h05", Chinese and Japanese "16时30分", "16時30分", "16点30分", Korean "16시 30분"
    r"(?:\s*(?::|h|[时時点點시])\s*(?P<min>[0-5]\d)(?:分|분)?(?::(?P<s>[0-5]\d))?"
    r"(?:\s*(?P<ampm1>[ap])\.?\s?m\.?(?!\w)|\s*(?:heures?|horas?|hrs?|uhr)(?!\w))?"  # "3:00 horas (GMT-5)"
    # "9 h", "à 9 heures", "a las 9 horas", "um 9 Uhr", "16时", "16点", "16시"
    r"|\s*(?:h|heures?|horas?|uhr)(?!\w)|\s*[时時点點시]"
    r"|\s*(?P<ampm2>[ap])\.?\s?m\.?(?!\w))"
    r"(?![\d:])"
)
# What may follow a time: a UTC offset, UTC/GMT, or a zone abbreviation.
_OFFSET = (
    r"\s*\(?\s*(?:(?:utc|gmt)\s*(?P<sign>[+-])\s*(?P<oh>\d{1,2})(?::?(?P<om>\d\d))?"
    r"|(?P<sign2>[+-])(?P<oh2>\d\d):?(?P<om2>\d\d)"
    r"|(?P<utc>utc|gmt|z)"
    r"|(?P<abbr>[a-z]{2,3}t))(?!\w)"
)
# "15:00–16:30": the end of a time range, not the UTC offset -16:30 (dashes are hyphens by then).
_TIME_RANGE_END = r"\s*-\s*(?:[01]?\d|2[0-3])\s*[:h]\s*[0-5]\d(?![\d:])"
_ZONE = re.compile(r"\(\s*(?P<zone>[A-Za-z]+(?:/[A-Za-z0-9_+\-]+)+|UTC|GMT)\s*\)")
_ISO_DATE = r"(?<![\d-])(\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d)?(?:Z|[+-]\d\d:?\d\d)?)?)(?![\d-])"
_UNKNOWN_ZONE = object()


def _unaccented(text: str) -> str:
    """Latin letters without their marks ("février" -> "fevrier", "ağustos" -> "agustos"); other
    scripts as they are (their marks are letters' parts: Hindi, Arabic vowels)."""
    if text.isascii():
        return text
    kept: list[str] = []
    base = ""
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and base.isascii():
            continue  # a mark on a Latin letter
        if not unicodedata.combining(ch):
            base = ch
        kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept))


def _fold(text: str) -> str:
    # A typographic apostrophe is the apostrophe: "jusqu’au" is "jusqu'au".
    return unicodedata.normalize("NFC", text).casefold().replace("\u2019", "'")


_TO_HYPHEN = str.maketrans(dict.fromkeys(_DASHES, "-"))
# The commas, colons, parentheses and tildes of other scripts (Arabic "،", CJK full-width
# "，：（）～"), and the marks that only set a direction (RLM, LRM, ALM), as the forms expect them.
_OTHER_SCRIPTS_PUNCTUATION = str.maketrans(
    {"\u060c": ",", "\uff0c": ",", "\u3001": ",", "\uff1a": ":", "\uff08": "(", "\uff09": ")",
     "\uff5e": "~", "\u301c": "~", "\u200e": None, "\u200f": None, "\u061c": None}
)


def in_ascii_digits(text: str) -> str:
    """``text`` with the digits of any script as ASCII ones (Arabic-Indic "١٧", Devanagari "१७",
    full-width "１７": Unicode decimal digits) and other scripts' commas and colons as ASCII's."""
    if text.isascii():
        return text
    text = text.translate(_OTHER_SCRIPTS_PUNCTUATION)
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii() else ch for ch in text)


# Year, month and day with the marks of Chinese and Japanese (年月日, 号) or Korean (년월일):
# "2023年9月17日", a range "2023年6月27日至28日" (or 到, ~, -), a month "2022年7月".
# a weekday after the day: "(日)", "周日", "星期一", "日曜日", "(월)"
_CJK_WEEKDAY = r"(?:\s*(?:\([^()]{1,3}\)|(?:星期|周|週)[一二三四五六日天]|[月火水木金土日]曜日))?"
_CJK_DAY = rf"(?:[12]\d|3[01]|0?[1-9])\s*[日号號일]{_CJK_WEEKDAY}"
_CJK_MONTH = r"(?:1[0-2]|0?[1-9])\s*[月월]"
_CJK_DATE = (
    rf"(?<!\d)(?P<y1>{_YEAR})\s*[年년]\s*(?P<m1>{_CJK_MONTH})\s*(?:(?P<d1>{_CJK_DAY})"
    rf"(?:\s*(?:至|到|~|-)\s*(?:(?P<y2>{_YEAR})\s*[年년]\s*)?(?:(?P<m2>{_CJK_MONTH})\s*)?(?P<d2>{_CJK_DAY}))?)?"
)


@lru_cache(maxsize=1)
def _cjk_date() -> re.Pattern[str]:
    """``_CJK_DATE`` compiled when a text first holds a 年 or 년 (1.4 ms: not on every process's first date)."""
    return re.compile(_CJK_DATE)


_NUMBERED_MONTHS = {f"{n}{sep}{mark}": n for n in range(1, 13) for sep in ("", " ") for mark in "月월"} | {
    f"0{n}{sep}{mark}": n for n in range(1, 10) for sep in ("", " ") for mark in "月월"
}
"""What ``_CJK_DATE`` finds where a month stands -> its number (for ``_when_from_match``)."""
_SPACES = re.compile(r"\s+")
# "1 <sup>er</sup> mars" comes out of get_text() as "1 er mars"
_SPLIT_ORDINAL = r"(?<!\d)(\d{1,2}) (er|º|ª)(?!\w)"
_SPACED_SLASH = r"(?<=[^\W\d_])\s+/\s*|(?<=[^\W\d_])/\s+(?=[^\W\d_])"  # "آذار / مارس"
# "17. 9. 2023" (Czech, Slovak), "2023. 9. 17." (Korean, Hungarian): numeric dates with a space after each dot
_SPACED_DOTS = r"(?<=\d)\. (?=\d{1,4}(?:\.|\s|$))"
# The word for "year" after one: Russian "2023 г.", Ukrainian "2023 р." (CLDR: "d MMMM y 'г'."),
# and Polish "2023 r.", and the Arabic era letter glued to the year ("2023م": of the common era)
_YEAR_WORD = r"(?<=\d)\s?(?:г|р|r)\.(?!\w)|(?<=\d\d\d\d)\s?م(?![^\W\d_])"
_LINK_WORDS = r"\b(?:de|del|du|le)\b(?=\s+(?:\d|[^\W\d]))"


def clean_date_text(text: str, words: Lexicon | None = None) -> str:
    """Fold case, dashes, spaces, weekdays and Spanish "de" so the patterns stay few."""
    text = _fold(text)
    text = text.translate(_TO_HYPHEN)
    text = text.replace(",", " ")
    text = _SPACES.sub(" ", text)
    # Each substitution only where the words it needs are: most dates have neither.
    if " er" in text or " º" in text or " ª" in text:
        text = re.sub(_SPLIT_ORDINAL, r"\1\2", text)
    if ". " in text:
        text = re.sub(_SPACED_DOTS, ".", text)
    if " /" in text or "/ " in text:
        text = re.sub(_SPACED_SLASH, "/", text)
    if "г." in text or "р." in text or " r." in text or "م" in text:
        text = re.sub(_YEAR_WORD, "", text)
    if "de" in text or "du" in text or "le" in text:
        text = re.sub(_LINK_WORDS, " ", text)
    if words is not None:
        text = _drop_weekdays(text, words)
    return _SPACES.sub(" ", text).strip()


def get_zone(name: str | None, default: tzinfo | None = None) -> tzinfo:
    """The zone called ``name``, else ``default``, else the ILO's (Geneva)."""
    zone = _known_zone(name) if name else None
    if zone is not None:
        return zone
    return default if default is not None else ZoneInfo(DEFAULT_TIMEZONE)


def page_zone(name: str | None) -> tzinfo:
    """The configured zone of a page (Geneva when unset); ConfigError for an unknown name."""
    if not name:
        return get_zone(None)
    zone = _known_zone(name)
    if zone is None:
        raise ConfigError(f"unknown time zone '{name}': use an IANA name such as Europe/Zurich")
    return zone


def _known_zone(name: str) -> tzinfo | None:
    if name.upper() in ("UTC", "GMT"):
        return timezone.utc
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder of zones ("America/Argentina")
        return None


def parse_date(
    text: str | None,
    tz: tzinfo | None = None,
    languages: Iterable[str] = DEFAULT_LANGUAGES,
) -> When | None:
    """Parse the visible date text of an item; None when it holds no date."""
    if not text or len(text) > _MAX_TEXT:
        return None
    page_zone = tz if tz is not None else get_zone(None)
    # A long page repeats its dates: read each text once. Only for zones that
    # compare by identity (ZoneInfo; UTC is one object): timezone(offset, name)
    # objects of one offset compare equal whatever their names.
    read = _read_date_once if type(page_zone) is ZoneInfo or page_zone is timezone.utc else _read_date
    when, unknown_zone_time = read(text, page_zone, tuple(languages))
    if unknown_zone_time is not None:
        log.info("time %r in an unknown zone: kept the date only", unknown_zone_time)
    return when


def _read_date(text: str, page_zone: tzinfo, languages: tuple[str, ...]) -> tuple[When | None, str | None]:
    """parse_date's reading, and the time it left out because its zone is unknown (for the log)."""
    zone: tzinfo | object = page_zone
    kind, text = split_kind(_in_common_era(in_ascii_digits(text), languages))
    zone_match = _ZONE.search(text)
    if zone_match:
        zone = _known_zone(zone_match["zone"]) or _UNKNOWN_ZONE
        text = text[: zone_match.start()] + " " + text[zone_match.end() :]
    elif any(language not in _shipped_names() for language in languages):
        zone_match = _zone_names(languages).search(text)
        name = _zone_names_of(languages).get(zone_match.group().casefold()) if zone_match else None
        named = _known_zone(name) if name else None
        if zone_match and named:
            zone = named
            text = text[: zone_match.start()] + " " + text[zone_match.end() :]
    words = lexicon(languages)
    cleaned = clean_date_text(text, words)
    if words.date_words is not None:
        cleaned = _SPACES.sub(" ", re.sub(words.date_words, " ", cleaned)).strip()
    if words.periods:
        cleaned = _with_periods_after(cleaned, words.periods)
    if words.dot_times and "." in cleaned:
        cleaned = re.sub(_DOT_TIME, r"\1:\2", cleaned)
    cjk = _cjk_date().search(cleaned) if "年" in cleaned or "년" in cleaned else None
    if cjk is not None:
        return _when_from_match(cjk, _NUMBERED_MONTHS, page_zone, zone, cleaned, kind)
    match = _first_form(cleaned, words, languages)
    if match is not None:
        # The first form that matches decides: an impossible date ("31
        # February") is no date, not a looser reading of the same text.
        return _when_from_match(match, words.months, page_zone, zone, cleaned, kind)
    iso_match = re.search(_ISO_DATE, text)
    if iso_match:
        found = parse_machine_date(iso_match.group(1), page_zone)
        if found is None:
            return None, None
        return When(start=found.start, end=_iso_range_end(text, iso_match, found, page_zone),
                    precision=found.precision, kind=kind), None
    if any(ch in cleaned for ch in "./-"):
        yearless = re.fullmatch(_NUMERIC_DAY_AND_MONTH, cleaned) if len(cleaned) <= 13 else None
        if yearless is not None:
            return _day_and_month_with_year(yearless, languages, page_zone, kind), None
        month = (
            re.fullmatch(_NUMERIC_MONTH, cleaned)
            or re.fullmatch(_ISO_MONTH, cleaned)
            or re.match(_ISO_MONTH_FIRST, cleaned)
        )
        if month is not None:
            start = _make(int(month["y"]), int(month["m"]), 1, page_zone)
            return (When(start=start, precision="month", kind=kind) if start else None), None
        return _numeric_when(cleaned, languages, page_zone, zone, kind)
    return None, None


_ISO_RANGE_SEP = r"\s*[-\u2013\u2014]\s*|\s+(?:to|au|al|a|hasta|et|y|and)\s+"  # a string, as _ISO_DATE


def _iso_range_end(text: str, first: re.Match[str], start: When, page_zone: tzinfo) -> datetime | None:
    """The last day of "2023-06-27 – 2023-06-28": a second ISO date that a dash or a range word joins."""
    second = re.compile(_ISO_DATE).search(text, first.end())  # re's cached pattern
    if second is None or not re.fullmatch(_ISO_RANGE_SEP, text[first.end() : second.start()]):
        return None
    end = parse_machine_date(second.group(1), page_zone)
    return end.start if end is not None and end.start > start.start else None


def _first_form(cleaned: str, words: Lexicon, languages: tuple[str, ...]) -> re.Match[str] | None:
    """The match of the first date form found in ``cleaned``, as the forms with the
    month names spelled out find it.

    A word form's first match is theirs when its words are months: any match of
    theirs at an earlier place, or earlier in the same place, would be one of the
    word form's too. When a word is no month ("centre 2022" in a photo credit), a
    form without optional parts reads each place one way only, and no match of it
    can start inside another (a month starts a word, a day a number): its next
    match is the one to look at. For a range, the spelled-out form decides.
    """
    if not _FOUR_DIGITS.search(cleaned):
        return None  # every form ends in a year
    ranges = _may_join_a_range(cleaned)
    for number, form in enumerate(words.forms):
        if number < _RANGE_FORMS and not ranges:
            continue
        pattern = _compiled(form)
        if number >= _RANGE_FORMS:
            match = next((found for found in pattern.finditer(cleaned) if _names_months(found, words.months)), None)
        else:
            match = pattern.search(cleaned)
            if match is not None and not _names_months(match, words.months):
                match = _spelled_out_form(languages, number).search(cleaned)
        if match is not None:
            return match
    return None


_FOUR_DIGITS = re.compile(r"\d{4}")


def _may_join_a_range(cleaned: str) -> bool:
    """Whether ``_RANGE_SEP`` may match in ``cleaned`` (in which any space is one " " by now).

    Most dates are no range: they then need neither range form compiled nor run.
    """
    return "-" in cleaned or any(f" {word} " in cleaned for word in _RANGE_WORDS)


def _names_months(match: re.Match[str], months: dict[str, int]) -> bool:
    return all(
        name is None or name.rstrip(".") in months for name in (match.group("m1"), match.groupdict().get("m2"))
    )


# Day, month and a four-digit year in digits, one separator throughout; or year first; or
# dd.mm.yy, two digits each with dots (day first, this century: "17.10.24"; not "3.11.10").
_NUMERIC_DATE = (
    rf"(?<![\w.,/])(?:(?P<a>\d{{1,2}})(?P<sep>[./-])(?P<b>\d{{1,2}})(?P=sep)(?P<y>{_YEAR})"
    rf"|(?P<y0>{_YEAR})(?P<sep0>[./])(?P<m0>\d{{1,2}})(?P=sep0)(?P<d0>\d{{1,2}})"
    rf"|(?P<d2>\d\d)\.(?P<m2>\d\d)\.(?P<y2>\d\d))(?![\w/]|\.\d)"
)
_NUMERIC_MONTH = rf"(?P<m>0?[1-9]|1[0-2])(?P<sep>[./-])(?P<y>{_YEAR})"
"""A month and year alone ("07/2022"): within a longer text ("Decree 07/2022"), a reference number."""
_ISO_MONTH = rf"(?P<y>{_YEAR})-(?P<m>0[1-9]|1[0-2])"
"""An ISO month alone ("2022-07"), likewise."""
_ISO_MONTH_FIRST = rf"(?P<y>{_YEAR})-(?P<m>0[1-9]|1[0-2])(?=\s*[|\u00b7\u2022]\s)"
"""Or first in a line of fields, the type after it: "2022-07 · Vídeo"."""
MONTH_FIRST_LANGUAGES = frozenset(("en",))
"""Of the shipped languages, those whose pages write an ambiguous numeric date month first
(US English: 09/17/2023); of the others, CLDR's short date pattern says (``month_first``)."""
_NUMERIC_DAY_AND_MONTH = rf"\[?(?P<a>\d\d)(?P<sep>[./-])(?P<b>\d\d)\.?\]? (?P<y>{_YEAR})"
"""Two two-digit numbers, a day and a month ("[11-30]", "30.11."), and the year a heading above gave
them (normalize appends it): nothing else may stand in the text."""


def month_first(language: str) -> bool:
    """Whether ``language`` writes a numeric date's month before its day: English (US) "9/17/2023",
    Chinese "2023/9/17" and "11-30"; not German "17.09.2023" nor French "17/09/2023"."""
    if language in _shipped_names() or not language:
        return language in MONTH_FIRST_LANGUAGES
    return _cldr_month_first(language)


@lru_cache(maxsize=64)
def _cldr_month_first(language: str) -> bool:
    from babel import UnknownLocaleError
    from babel.dates import get_date_format

    try:
        pattern = get_date_format("short", locale=language).pattern
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    month, day = pattern.find("M"), pattern.find("d")
    return 0 <= month < day


def _day_and_month_with_year(
    match: re.Match[str], languages: tuple[str, ...], zone: tzinfo, kind: str | None
) -> When | None:
    a, b = int(match["a"]), int(match["b"])
    month, day = (a, b) if month_first(languages[0] if languages else "") else (b, a)
    start = _make(int(match["y"]), month, day, zone)
    return When(start=start, precision="day", kind=kind) if start else None




def numeric_date(match: re.Match[str], language: str) -> tuple[int, int, int]:
    """(year, month, day) of a numeric date (``_make`` tells whether it exists).

    Year first is always year, month, day ("2023/09/17"). Dots are always day
    first ("17.09.2023": German, Swiss, Russian... pages; no one writes the month
    first with dots). With a slash or a hyphen, a number above 12 is the day;
    when both could be the month, the page's language decides: month first in
    English ("09/10/2023" is 10 September), day first in the others.
    A two-digit year only as dd.mm.yy, and in this century: "17.10.24" is 17
    October 2024 (news listings write last century's dates in full). With a
    slash or a hyphen ("10/11/12": any of three orders) or unpadded ("3.11.10":
    a version number more likely) it stays no date.
    """
    if match["y0"]:
        return int(match["y0"]), int(match["m0"]), int(match["d0"])
    if match["y2"]:
        return 2000 + int(match["y2"]), int(match["m2"]), int(match["d2"])
    a, b, year = int(match["a"]), int(match["b"]), int(match["y"])
    if match["sep"] == "." or a > 12:
        return year, b, a
    if b > 12 or month_first(language):
        return year, a, b
    return year, b, a


def _numeric_when(
    cleaned: str, languages: tuple[str, ...], page_zone: tzinfo, named_zone: tzinfo | object, kind: str | None
) -> tuple[When | None, str | None]:
    found = list(islice(re.finditer(_NUMERIC_DATE, cleaned), 2))
    if not found:
        return None, None
    language = languages[0] if languages else ""
    start = _make(*numeric_date(found[0], language), page_zone)
    if start is None:
        return None, None
    if len(found) == 2 and re.fullmatch(_RANGE_SEP, cleaned[found[0].end() : found[1].start()]):
        end = _make(*numeric_date(found[1], language), page_zone)
        if end is None or end < start:
            return None, None
        return When(start=start, end=end if end > start else None, precision="day", kind=kind), None
    moment, unknown_zone_time = _time_of_day(
        start, cleaned[found[0].end() :], cleaned[: found[0].start()], page_zone, named_zone
    )
    if moment is not None:
        return When(start=moment, precision="minute", kind=kind), None
    return When(start=start, precision="day", kind=kind), unknown_zone_time


_read_date_once = lru_cache(maxsize=1024)(_read_date)


def _in_common_era(text: str, languages: tuple[str, ...]) -> str:
    """Years of other calendars' eras as the common era's: Japanese "令和5年" -> "2023年", Taiwanese
    "民國112年" -> "2023年", a Thai "พ.ศ. 2566" (or 2566 alone on a Thai page) -> "2023"."""
    if all(language in _shipped_names() for language in languages):
        return text
    pattern, buddhist = _era_patterns(languages)
    if pattern is not None:
        starts = _eras_of(languages)
        text = pattern.sub(lambda m: f"{starts[m['era']] + (1 if m['n'] == '元' else int(m['n']))}年", text)
    if buddhist is not None:
        text = buddhist.sub(lambda m: str(int(m["y"]) - 543), text)
    return text


@lru_cache(maxsize=16)
def _eras_of(languages: tuple[str, ...]) -> dict[str, int]:
    from .words import eras

    return eras(languages)


@lru_cache(maxsize=16)
def _era_patterns(languages: tuple[str, ...]) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    from .words import buddhist_era

    names = _eras_of(languages)
    era = re.compile(rf"(?P<era>{_alternatives(names)})\s*(?P<n>元|\d{{1,3}})\s*年") if names else None
    markers = buddhist_era(languages)
    if markers is None:
        return era, None
    marker = rf"(?:{_alternatives(markers)}\s*)?" if markers else ""
    return era, re.compile(rf"{marker}(?<!\d)(?P<y>2[4-6]\d\d)(?!\d)")


@lru_cache(maxsize=16)
def _zone_names_of(languages: tuple[str, ...]) -> dict[str, str]:
    """What names a time's zone in the languages spfeed does not ship (lower case -> IANA name): the
    cities CLDR names each zone by ("16:00 بتوقيت بيروت", "10:00 Uhr Berliner Zeit" has none), and
    words.json's ("(мск)", "（北京时间）", "MESZ")."""
    from babel import Locale, UnknownLocaleError

    from .words import zone_words

    others = tuple(language for language in languages if language not in _shipped_names())
    names: dict[str, str] = {}
    for language in others:
        try:
            zones = Locale.parse(language).time_zones
        except (UnknownLocaleError, ValueError, TypeError):
            continue
        names.update((str(data["city"]).casefold(), zone) for zone, data in zones.items() if data.get("city"))
    names.update((word.casefold(), zone) for word, zone in zone_words(others).items())
    return names


@lru_cache(maxsize=16)
def _zone_names(languages: tuple[str, ...]) -> re.Pattern[str]:
    names = _zone_names_of(languages)
    if not names:
        return re.compile(r"(?!)")
    return re.compile(rf"(?<![^\W\d_]){_alternatives(names)}(?![^\W\d_])", re.IGNORECASE)




def split_kind(text: str) -> tuple[str | None, str]:
    """'Press release | 01 March 2023' -> ('Press release', '01 March 2023').

    A dash separates a type only from a date that starts with a number; a
    byline before the date ("By Jane Doe | 3 May 2024") is no type.
    """
    for separator in _KIND_SEPARATORS:
        if separator not in text:
            continue
        head, _, tail = text.partition(separator)
        head = " ".join(head.split())
        if not head or any(ch.isdigit() for ch in head):
            continue
        if separator in "\u2014\u2013" and not _DATE_AFTER_DASH.match(tail):
            continue
        return (None if BYLINE.match(head) else head), tail
    return None, text


def _when_from_match(
    match: re.Match[str],
    months: dict[str, int],
    page_zone: tzinfo,
    named_zone: tzinfo | object,
    cleaned: str,
    kind: str | None,
) -> tuple[When | None, str | None]:
    """The date a pattern matched, and a time left out for its unknown zone."""
    groups = match.groupdict()
    y2 = groups.get("y2")
    m2 = groups.get("m2")
    year1 = int(groups.get("y1") or y2 or 0)
    month1 = _month(groups["m1"] or m2, months)
    if groups.get("d1") is None:
        start = _make(year1, month1, 1, page_zone)
        return (When(start=start, precision="month", kind=kind) if start else None), None
    start = _make(year1, month1, _day(groups["d1"]), page_zone)
    if start is None:
        return None, None
    if groups.get("d2") is not None:
        end = _make(int(y2 or year1), _month(m2 or groups["m1"], months), _day(groups["d2"]), page_zone)
        if end is None or end < start:
            return None, None
        return When(start=start, end=end if end > start else None, precision="day", kind=kind), None
    moment, unknown_zone_time = _time_of_day(
        start, cleaned[match.end() :], cleaned[: match.start()], page_zone, named_zone
    )
    if moment is not None:
        return When(start=moment, precision="minute", kind=kind), None
    return When(start=start, precision="day", kind=kind), unknown_zone_time


def _time_of_day(
    day: datetime, after: str, before: str, page_zone: tzinfo, named_zone: tzinfo | object
) -> tuple[datetime | None, str | None]:
    """The time shown next to the date, as an instant; None when there is none or
    its zone is unknown (then also the time's text, for the log)."""
    if not any(ch.isdigit() for ch in after) and not any(ch.isdigit() for ch in before):
        return None, None  # an hour is a number: most dates stand alone, with no time to look for
    time = re.search(_TIME, after)
    tail = after[time.end() :] if time else ""
    if time is None:
        time = re.search(_TIME, before)
        tail = before[time.end() :] if time else ""
    if time is None:
        return None, None
    hour = _hour(time)
    if hour is None:
        return None, None
    zone = _zone_after_time(tail, named_zone, page_zone, day)
    if zone is None:
        return None, time.group()
    # Naive on purpose: a wall-clock time, given its zone (and a DST fold) just below.
    wall = datetime(day.year, day.month, day.day, hour, int(time["min"] or 0), int(time["s"] or 0))  # noqa: DTZ001
    return _resolve_wall_time(wall, zone), None


def _hour(time: re.Match[str]) -> int | None:
    hour = int(time["h"])
    ampm = time["ampm1"] or time["ampm2"]
    if not ampm:
        return hour
    if not 1 <= hour <= 12:
        return None  # "14:00 pm" is not a time we can trust
    return hour % 12 + (12 if ampm == "p" else 0)


def _zone_after_time(tail: str, named_zone: tzinfo | object, page_zone: tzinfo, day: datetime) -> tzinfo | None:
    if named_zone is _UNKNOWN_ZONE:
        return None
    zone = named_zone if isinstance(named_zone, tzinfo) else page_zone
    range_end = re.match(_TIME_RANGE_END, tail)
    found = re.match(_OFFSET, tail[range_end.end() :] if range_end else tail)
    if found is None:
        return zone
    if found["utc"]:
        return timezone.utc
    sign, hours, minutes = found["sign"] or found["sign2"], found["oh"] or found["oh2"], found["om"] or found["om2"]
    if sign:
        offset = timedelta(hours=int(hours), minutes=int(minutes or 0))
        if offset >= timedelta(hours=24):
            return None
        return timezone(offset if sign == "+" else -offset)
    # An abbreviation is trusted only when it is the one the zone itself uses
    # that day ("CEST" in Geneva in summer); "EST" there is another zone.
    names = {_fold(zone.tzname(day.replace(hour=h)) or "") for h in (0, 12, 23)}
    return zone if found["abbr"] in names else None


def _month(name: str | None, months: dict[str, int]) -> int:
    return months.get((name or "").rstrip("."), 0)


_DIGITS = re.compile(r"\d+")


def _day(text: str) -> int:
    return int(_DIGITS.match(text).group())  # type: ignore[union-attr]


def _make(year: int, month: int, day: int, zone: tzinfo) -> datetime | None:
    try:
        return datetime(year, month, day, tzinfo=zone)
    except ValueError:
        return None


def _resolve_wall_time(wall: datetime, zone: tzinfo) -> datetime:
    """The instant of a wall time in ``zone``; one a DST change skipped moves forward."""
    return wall.replace(tzinfo=zone).astimezone(timezone.utc).astimezone(zone)


def parse_machine_date(value: str | None, tz: tzinfo | None = None) -> When | None:
    """Parse ``<time datetime>``: ISO 8601 or UNIX seconds, shown in ``tz``.

    A timestamp that falls on midnight in the page's zone is a date without a
    time (that is how the current ilo.org cards encode days), and so is an ISO
    datetime at midnight UTC (how scripts write a day: "2024-09-12T00:00:00.000Z"). A month
    ("2022-07", HTML's valid month string) is a date of month precision; an
    ISO 8601 interval of two days ("2022-03-15/2022-03-16") is a range.
    """
    if not value:
        return None
    zone = tz if tz is not None else get_zone(None)
    value = value.strip()
    if "/" in value:
        return _machine_interval(value, zone)
    try:
        if re.fullmatch(r"-?\d{9,11}", value):
            moment = datetime.fromtimestamp(int(value), timezone.utc).astimezone(zone)
        elif re.fullmatch(r"\d{12,13}", value):  # milliseconds, as JavaScript writes them
            moment = datetime.fromtimestamp(int(value) / 1000, timezone.utc).astimezone(zone)
        elif re.fullmatch(r"\d{4}-\d{2}", value):
            month = datetime(int(value[:4]), int(value[5:]), 1, tzinfo=zone)  # month 13: ValueError
            return When(start=month, precision="month") if 1900 <= month.year <= 2199 else None
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            day = datetime.fromisoformat(value)
            return When(start=day.replace(tzinfo=zone), precision="day") if 1900 <= day.year <= 2199 else None
        else:
            moment = datetime.fromisoformat(value)  # Python 3.11+ reads a "Z" too
            if moment.tzinfo is not None and not moment.utcoffset() and moment.time() == datetime.min.time():
                # "2024-09-12T00:00:00.000Z": a day that a script wrote as midnight UTC (JavaScript's
                # toISOString of a date), not an instant: that day, wherever the page is.
                moment = moment.replace(tzinfo=zone)
            moment = moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)
    except (ValueError, OverflowError, OSError):
        return None
    if not 1900 <= moment.year <= 2199:
        return None
    if moment.time() == datetime.min.time():
        return When(start=moment, precision="day")
    return When(start=moment, precision="minute")


def _machine_interval(value: str, zone: tzinfo) -> When | None:
    """'2022-03-15/2022-03-16': the first day and the last; of other intervals, the start."""
    first, _, last = value.partition("/")
    start = parse_machine_date(first, zone)
    if start is None or "/" in last:
        return None
    end = parse_machine_date(last, zone)
    if end is None or (start.precision, end.precision) != ("day", "day") or end.start <= start.start:
        return start
    return When(start=start.start, end=end.start, precision="day")


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
