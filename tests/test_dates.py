from __future__ import annotations

import logging
import re
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date, format_interval, format_skeleton, format_time, get_datetime_format
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from spfeed.dates import (
    CLDR_NAMES_FILE,
    _alternatives,
    _drop_weekdays,
    _first_form,
    _forms,
    _shipped_names,
    _weekday_pattern,
    cldr_names,
    clean_date_text,
    iso,
    lexicon,
    parse_date,
    parse_machine_date,
    split_kind,
)
from spfeed.errors import ConfigError
from spfeed.models import RawItem
from spfeed.normalize import Context, item_date

from .conftest import ROOT

GENEVA = ZoneInfo("Europe/Zurich")
CTX = Context.for_page("https://www.ilo.org/secsoc/lang--en/index.htm")
LANGUAGES = ("en", "fr", "es")


def text(value: str) -> dict[str, str]:
    return {"date_text": value}


def html(value: str) -> dict[str, str]:
    """Date text as parse.py gets it: BeautifulSoup's get_text() of the element."""
    return {"date_text": BeautifulSoup(f"<p class='date'>{value}</p>", "lxml").p.get_text()}


def machine(value: str, visible: str | None = None) -> dict[str, str | None]:
    return {"datetime_attr": value, "date_text": visible}


def group(value: str) -> dict[str, str]:
    return {"group_date": value}


# (input, published, end, kind): published/end in the JSON form of `spfeed scrape`.
TABLE = [
    # the seed's seven dates (fixtures/ilo-legacy-department.en.html)
    (text("17 September 2023"), "2023-09-17", None, None),
    (text("27-28 June 2023"), "2023-06-27", "2023-06-28", None),
    (text("24 March 2023 at 09:00 (Europe/Zurich)"), "2023-03-24T09:00:00+01:00", None, None),
    (text("Press release | 01 March 2023"), "2023-03-01", None, "Press release"),
    (text("26 January 2023"), "2023-01-26", None, None),
    # a dash separates a type only from a date that starts with a number; a byline is no type
    (text("Artículo — 28 de julio de 2022"), "2022-07-28", None, "Artículo"),
    (text("Feature – 28 July 2022"), "2022-07-28", None, "Feature"),
    (text("By Jane Doe | 3 May 2024"), "2024-05-03", None, None),
    (text("30 November 2022"), "2022-11-30", None, None),
    (text("17 October 2022"), "2022-10-17", None, None),
    # single dates
    (text("01 March 2023"), "2023-03-01", None, None),
    (text("1 March 2023"), "2023-03-01", None, None),
    (text("September 17, 2023"), "2023-09-17", None, None),
    (text("Sep 17, 2023"), "2023-09-17", None, None),
    (text("Sunday, 17 September 2023"), "2023-09-17", None, None),
    (text("1st March 2023"), "2023-03-01", None, None),
    (text("2023-09-17"), "2023-09-17", None, None),
    # ranges: published is the start, end the end
    (text("27–28 June 2023"), "2023-06-27", "2023-06-28", None),
    (text("30 June - 2 July 2023"), "2023-06-30", "2023-07-02", None),
    (text("30 December 2023 - 2 January 2024"), "2023-12-30", "2024-01-02", None),
    (text("June 27-28, 2023"), "2023-06-27", "2023-06-28", None),
    (text("June 27 and 28, 2023"), "2023-06-27", "2023-06-28", None),
    (text("Dec 30, 2023 – Jan 2, 2024"), "2023-12-30", "2024-01-02", None),
    (text("Thu, Sep 7\u2009–\u2009Sat, Sep 9, 2023"), "2023-09-07", "2023-09-09", None),
    # two visible ISO dates that a dash or a range word joins; not in the wrong order, not with a dot between
    (text("2023-06-27 – 2023-06-28"), "2023-06-27", "2023-06-28", None),
    (text("2023-06-27 to 2023-06-28"), "2023-06-27", "2023-06-28", None),
    (text("2023-06-28 – 2023-06-27"), "2023-06-28", None, None),
    (text("2023-06-27 · 2023-06-28"), "2023-06-27", None, None),
    (text("@27 de junio de 2023 → 28 de junio de 2023"), "2023-06-27", "2023-06-28", None),
    # an ISO month alone is a month, as "07/2022" is; in a longer text, a reference number
    (text("2022-07"), "2022-07", None, None),
    (text("Decree 2022-07"), None, None, None),
    (text("2022-07 · Vídeo"), "2022-07", None, None),  # first in a line of fields, the type after it
    (text("27/06/2023 jusqu’au 28/06/2023"), "2023-06-27", "2023-06-28", None),  # a typographic apostrophe
    # a time with a named zone: that zone's real offset on that day
    (text("24 June 2023 at 09:00 (Europe/Zurich)"), "2023-06-24T09:00:00+02:00", None, None),
    (text("24 March 2023 at 09:00 (America/New_York)"), "2023-03-24T09:00:00-04:00", None, None),
    (text("26 March 2023 at 02:30 (Europe/Zurich)"), "2023-03-26T03:30:00+02:00", None, None),
    (text("24 March 2023 at 09:00"), "2023-03-24T09:00:00+01:00", None, None),
    (text("Sep 7, 2023, 9:05\u202fPM"), "2023-09-07T21:05:00+02:00", None, None),
    (text("4 July 2023 at 14:00 UTC+2"), "2023-07-04T14:00:00+02:00", None, None),
    # a time range: its start, in the zone named after it, not an offset "-16:30"
    (text("2 December 2021, 15:00–16:30 (Europe/Zurich)"), "2021-12-02T15:00:00+01:00", None, None),
    (text("8 June 2022, 14:00 - 15:30 CEST"), "2022-06-08T14:00:00+02:00", None, None),
    (text("24 mars 2023, 9h00-10h30"), "2023-03-24T09:00:00+01:00", None, None),
    (text("24 March 2023 at 09:00 (Mars/Olympus)"), "2023-03-24", None, None),
    (text("7 September 2023, 9:05 EST"), "2023-09-07", None, None),
    (text("17 September 2023, 10:00 at the Palais des Nations"), "2023-09-17T10:00:00+02:00", None, None),
    # a type prefix, kept as the kind; a place before or after the date
    (text("Media advisory | 24 February 2023"), "2023-02-24", None, "Media advisory"),
    (text("New York, 21 September 2016"), "2016-09-21", None, None),
    (text("01 June 2022, Vientiane, Lao PDR"), "2022-06-01", None, None),
    # month-group headers on archive pages, for an item without its own date
    (group("July 2022"), "2022-07", None, None),
    (group("juillet 2022"), "2022-07", None, None),
    (group("julio de 2022"), "2022-07", None, None),
    ({"date_text": "Read more", "group_date": "July 2022"}, "2022-07", None, None),
    ({"date_text": "3 July 2022", "group_date": "July 2022"}, "2022-07-03", None, None),
    # a day's heading over that day's posts (a blog) dates them to the day
    ({"group_date": "jueves, 28 de julio de 2022"}, "2022-07-28", None, None),
    ({"date_text": "Read more", "group_date": "28 July 2022"}, "2022-07-28", None, None),
    # a day and month without a year take the year of their group's heading
    ({"date_text": "3 July", "group_date": "July 2022"}, "2022-07-03", None, None),
    ({"date_text": "Publicado el 17 de septiembre", "group_date": "2023"}, "2023-09-17", None, None),
    ({"date_text": "Sept. 17", "group_date": "2023"}, "2023-09-17", None, None),
    ({"date_text": "17 September", "group_date": "Events"}, None, None, None),
    ({"date_text": "17 September", "group_date": "2023"}, "2023-09-17", None, None),
    ({"date_text": "2023"}, None, None, None),
    # machine dates, preferred, shown in the page's zone
    (machine("1694901600"), "2023-09-17", None, None),  # midnight in Geneva, 16th in UTC
    (machine("1694901600000"), "2023-09-17", None, None),  # the same, in milliseconds
    # midnight UTC is a day a script wrote as an instant (toISOString), whatever the page's zone
    (machine("2024-09-12T00:00:00.000Z"), "2024-09-12", None, None),
    (machine("2023-09-17 00:00:00+00:00"), "2023-09-17", None, None),
    (machine("2024-09-12T10:21:44.118Z"), "2024-09-12T12:21:44.118000+02:00", None, None),
    (machine("2024-09-12T00:00:00-04:00"), "2024-09-12T06:00:00+02:00", None, None),
    (machine("2023-03-24T08:00:00Z"), "2023-03-24T09:00:00+01:00", None, None),
    (machine("2023-03-24"), "2023-03-24", None, None),
    (machine("1694988000", "17 September 2023"), "2023-09-18", None, None),
    (machine("1687816800", "27-28 June 2023"), "2023-06-27", "2023-06-28", None),
    (machine("1677625200", "Press release | 01 March 2023"), "2023-03-01", None, "Press release"),
    (machine("not a date", "17 September 2023"), "2023-09-17", None, None),
    # a month (HTML's valid month string) is a date of month precision; the day shown in it is more exact
    (machine("2022-07"), "2022-07", None, None),
    (machine("2022-07", "28 July 2022"), "2022-07-28", None, None),
    (machine("2022-07", "3 June 2022"), "2022-07", None, None),
    (machine("2022-13", "July 2022"), "2022-07", None, None),
    (machine("2022-13"), None, None, None),
    # an ISO 8601 interval of two days is a range (of two times, the start)
    (machine("2022-03-15/2022-03-16"), "2022-03-15", "2022-03-16", None),
    (machine("2022-03-15/2022-03-16", "15 March 2022"), "2022-03-15", "2022-03-16", None),
    (machine("2022-03-16/2022-03-15"), "2022-03-16", None, None),
    (machine("2022-03-15T10:00/2022-03-15T12:00"), "2022-03-15T10:00:00+01:00", None, None),
    (machine("2022-03-15/2022-03-16/2022-03-17"), None, None, None),
    # numeric dates: dots are day first; a number above 12 is the day; else the page's language decides
    (text("17.09.2023"), "2023-09-17", None, None),
    (text("1.3.2023"), "2023-03-01", None, None),
    (text("Artículo — 28.07.2022"), "2022-07-28", None, "Artículo"),
    (text("24.03.2023, 09:00"), "2023-03-24T09:00:00+01:00", None, None),
    (text("17.09.2023 - 18.09.2023"), "2023-09-17", "2023-09-18", None),
    (text("17/09/2023"), "2023-09-17", None, None),
    (text("17.09.2023 12.30"), "2023-09-17", None, None),  # a time is written with a colon or an h
    (text("09/17/2023"), "2023-09-17", None, None),
    (text("17-09-2023"), "2023-09-17", None, None),
    (text("2023/09/17"), "2023-09-17", None, None),
    (text("03/04/2023"), "2023-03-04", None, None),  # an English page: month first
    (text("17.09.23"), "2023-09-17", None, None),  # dd.mm.yy: day first, this century
    (text("27.06.23 – 28.06.23"), "2023-06-27", "2023-06-28", None),
    (text("24.03.23, 09:00"), "2023-03-24T09:00:00+01:00", None, None),
    # a month and year alone is a month; within a longer text, a reference number
    (text("07/2022"), "2022-07", None, None),
    (text("Video | 07/2022"), "2022-07", None, "Video"),
    (text("Decree 07/2022"), None, None, None),
    (text("13/2022"), None, None, None),
    # French
    (text("17 septembre 2023"), "2023-09-17", None, None),
    (text("1er mars 2023"), "2023-03-01", None, None),
    (html("1<sup>er</sup> mars 2023"), "2023-03-01", None, None),
    (html("1 <sup>er</sup> mars 2023"), "2023-03-01", None, None),
    (text("27-28 juin 2023"), "2023-06-27", "2023-06-28", None),
    (text("du 30 juin au 2 juillet 2023"), "2023-06-30", "2023-07-02", None),
    (text("27 → 28 juin 2023"), "2023-06-27", "2023-06-28", None),  # an arrow joins a range as a dash does
    (text("17 septembre 2023 →"), "2023-09-17", None, None),
    (text("24 mars 2023 à 09h00 (Europe/Zurich)"), "2023-03-24T09:00:00+01:00", None, None),
    (text("24 mars 2023 à 9h"), "2023-03-24T09:00:00+01:00", None, None),
    # dates inside sentences; "et" joins the first and last days of one event
    (text("le vendredi 24 mars 2023 à 9 heures (heure de Genève)"), "2023-03-24T09:00:00+01:00", None, None),
    (text("une rencontre organisée les 27 et 28 juin 2023"), "2023-06-27", "2023-06-28", None),
    (text("jeu. 7 sept. 2023"), "2023-09-07", None, None),
    (text("Communiqué de presse | 1er mars 2023"), "2023-03-01", None, "Communiqué de presse"),
    (text("Genève, 17 septembre 2023"), "2023-09-17", None, None),
    # Spanish
    (text("17 de septiembre de 2023"), "2023-09-17", None, None),
    (text("1.º de marzo de 2023"), "2023-03-01", None, None),
    (text("27-28 de junio de 2023"), "2023-06-27", "2023-06-28", None),
    (text("del 30 de junio al 2 de julio de 2023"), "2023-06-30", "2023-07-02", None),
    (text("27 y 28 de junio de 2023"), "2023-06-27", "2023-06-28", None),
    (text("24 de marzo de 2023 a las 9 horas"), "2023-03-24T09:00:00+01:00", None, None),
    (text("24 de marzo de 2023 a las 09:00 (Europe/Zurich)"), "2023-03-24T09:00:00+01:00", None, None),
    (text("7 de septiembre de 2023, 9:05:00 CEST"), "2023-09-07T09:05:00+02:00", None, None),
    (text("jue, 7 de septiembre de 2023 – mar, 2 de enero de 2024"), "2023-09-07", "2024-01-02", None),
    (text("Comunicado de prensa | 1 de marzo de 2023"), "2023-03-01", None, "Comunicado de prensa"),
    # an hour word after the minutes, then the offset: "3:00 horas (GMT-5)"
    (text("12 de septiembre de 2024, 3:00 horas (GMT-5)"), "2024-09-12T03:00:00-05:00", None, None),
    (text("24 mars 2023, 9:00 heures (UTC+3)"), "2023-03-24T09:00:00+03:00", None, None),
    (text("24 de marzo de 2023, 9:00 horas"), "2023-03-24T09:00:00+01:00", None, None),
    (text("12 de septiembre de 2024, 3:00 horas de trabajo (GMT-5)"), "2024-09-12T03:00:00+02:00", None, None),
    # not dates: no date, never an exception, never a guess
    (text(""), None, None, None),
    (text("Read more"), None, None, None),
    (text("31 February 2023"), None, None, None),
    (text("2023"), None, None, None),
    (text("Sunday 17 September"), None, None, None),
    (text("31.02.2023"), None, None, None),
    (text("17/09/23"), None, None, None),  # a two-digit year with a slash: which order?
    (text("3.11.10"), None, None, None),  # unpadded: a version number more likely
    (text("v1.2.2019"), None, None, None),
    (text("ILO/22/05"), None, None, None),
    (text("28-27 June 2023"), None, None, None),
    (text("27-27 June 2023"), "2023-06-27", None, None),
    (text("10 000 people in 24 countries"), None, None, None),
    (machine("99999999999999"), None, None, None),
    ({}, None, None, None),
]


@pytest.mark.parametrize(("fields", "published", "end", "kind"), TABLE)
def test_date_table(fields, published, end, kind):
    when = item_date(RawItem(title="t", url="/t", **fields), CTX)
    assert iso(when) == published
    assert iso(when, end=True) == end
    assert (when.kind if when else None) == kind
    if when is not None:
        assert when.start.tzinfo is not None


@pytest.mark.parametrize(
    ("value", "language", "day"),
    [
        ("03/04/2023", "en", "2023-03-04"),
        ("03/04/2023", "fr", "2023-04-03"),
        ("03-04-2023", "es", "2023-04-03"),
        ("03.04.2023", "en", "2023-04-03"),  # dots are day first everywhere
        ("13/04/2023", "en", "2023-04-13"),
        ("04/13/2023", "fr", "2023-04-13"),
        ("2023/04/03", "fr", "2023-04-03"),
    ],
)
def test_an_ambiguous_numeric_date_follows_the_page_language(value, language, day):
    when = parse_date(value, GENEVA, (language, "en", "fr", "es"))
    assert iso(when) == day


def test_date_only_is_midnight_in_the_page_zone():
    when = parse_date("17 September 2023", GENEVA)
    assert when is not None and when.precision == "day"
    assert when.start == datetime(2023, 9, 16, 22, 0, tzinfo=timezone.utc)
    bangkok = parse_date("17 September 2023", ZoneInfo("Asia/Bangkok"))
    assert bangkok is not None and bangkok.start == datetime(2023, 9, 16, 17, 0, tzinfo=timezone.utc)


def test_month_header_says_the_day_is_unknown():
    when = parse_date("July 2022", GENEVA)
    assert when is not None and when.precision == "month"


def test_languages_are_a_setting():
    assert parse_date("17. September 2023", GENEVA, ("de",)) is not None
    assert parse_date("17 septembre 2023", GENEVA, ("en",)) is None
    assert iso(parse_date("17 settembre 2023", GENEVA, ("it",))) == "2023-09-17"


def test_unknown_language_is_a_config_error():
    with pytest.raises(ConfigError, match="unknown date language"):
        lexicon(("xx-nowhere",))


def test_a_date_read_again_is_the_same_and_logs_its_unknown_zone_again(caplog):
    # Dates are read once per text (a long page repeats them); the notice of a
    # time left out is still given for every item that shows it.
    text_with_foreign_time = "7 September 2023, 9:05 EST"
    with caplog.at_level(logging.INFO, logger="spfeed.dates"):
        first = parse_date(text_with_foreign_time, GENEVA, LANGUAGES)
        again = parse_date(text_with_foreign_time, GENEVA, LANGUAGES)
    assert first == again and iso(first) == "2023-09-07"
    assert caplog.text.count("time '9:05' in an unknown zone") == 2


@pytest.mark.parametrize("folder", ["America/Argentina", "America/Indiana", "America/Kentucky"])
def test_a_zone_name_that_is_a_folder_of_zones_is_an_unknown_zone_not_a_crash(folder):
    # ZoneInfo("America/Argentina") raises IsADirectoryError, which the page's text reached.
    when = parse_date(f"17 September 2023, 10:00 ({folder})", GENEVA, LANGUAGES)
    assert iso(when) == "2023-09-17"  # the time in an unknown zone is left out, as for "EST"


def test_a_date_is_shown_in_the_zone_object_it_was_asked_for():
    # timezone objects of one offset compare equal whatever their names:
    # one must not get the other's cached reading.
    named = timezone(timedelta(hours=1), "CET")
    plain = timezone(timedelta(hours=1))
    assert parse_date("17 September 2023", named, LANGUAGES).start.tzname() == "CET"
    assert parse_date("17 September 2023", plain, LANGUAGES).start.tzname() == "UTC+01:00"


def test_the_shipped_date_names_are_babels(golden):
    # The default languages' names are read from the package, not from Babel's
    # locale data (which costs a refresh 30-40 ms to load): they must be the same.
    golden.check_json(ROOT / "spfeed" / CLDR_NAMES_FILE, {language: cldr_names(language) for language in LANGUAGES})
    assert set(_shipped_names()) == set(LANGUAGES)


def test_a_language_not_shipped_comes_from_babel_and_one_shipped_does_not(monkeypatch):
    assert "de" not in _shipped_names()
    assert lexicon(("de",)).months["september"] == 9
    lexicon.cache_clear()
    monkeypatch.setattr("spfeed.dates.cldr_names", lambda language: pytest.fail(f"Babel asked for {language}"))
    try:
        assert lexicon(LANGUAGES).months["septembre"] == 9
    finally:
        lexicon.cache_clear()


# --- property tests -------------------------------------------------------

DAYS = st.dates(min_value=date(1900, 1, 2), max_value=date(2150, 12, 30))
# Every CLDR date format that names the month, for each language (the numeric
# "short" one is left out: 03/04/23 is a guess between March and April).
DATE_FORMATS = ["full", "long", "medium", "yMMMd", "yMMMMd", "yMMMEd", "yMMMMEEEEd"]
INTERVAL_SKELETONS = ["yMMMd", "yMMMMd", "yMMMMEEEEd"]
TIME_FORMATS = ["short", "medium", "long"]
# Each example costs about a millisecond: enough of them that every format and
# language pair is met many times over.
ROUND_TRIPS = settings(max_examples=500)
NOISE = settings(max_examples=300)
# The ILO's own form of a time: "<date> at 09:00 (Europe/Zurich)".
AT = {"en": "{date} at {time} ({zone})", "fr": "{date} à {time} ({zone})", "es": "{date} a las {time} ({zone})"}
ZONES = ["Europe/Zurich", "America/New_York", "Asia/Bangkok", "Australia/Sydney", "UTC"]
WORDS = ["17", "1er", "de", "mars", "June", "Sep.", "2023", "-", "–", "|", "at", "à", "a las", "09:00", "9h",
         "pm", "(Europe/Zurich)", "(", "UTC+2", "CEST", "1.º", "jue,", "mar", ",", "du", "au", "1694901600"]


def render_date(day: date, fmt: str, language: str) -> str:
    if fmt in ("full", "long", "medium"):
        return format_date(day, fmt, locale=language)
    return format_skeleton(fmt, day, locale=language)


@NOISE
@given(st.text(max_size=400))
def test_parse_date_never_raises(value):
    when = parse_date(value, GENEVA)
    assert when is None or when.start.tzinfo is not None


@NOISE
@given(st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join))
def test_parse_date_never_raises_on_date_like_noise(value):
    when = parse_date(value, GENEVA)
    assert when is None or (when.start.tzinfo is not None and (when.end is None or when.end > when.start))


@NOISE
@given(st.text(max_size=40))
def test_parse_machine_date_never_raises(value):
    when = parse_machine_date(value, GENEVA)
    assert when is None or when.start.tzinfo is not None


@ROUND_TRIPS
@given(DAYS, st.sampled_from(DATE_FORMATS), st.sampled_from(LANGUAGES))
def test_rendered_dates_parse_back_to_the_same_day(day, fmt, language):
    rendered = render_date(day, fmt, language)
    when = parse_date(rendered, GENEVA)
    assert when is not None, rendered
    assert (when.start.date(), when.precision, when.end) == (day, "day", None), rendered
    assert when.start.utcoffset() == GENEVA.utcoffset(datetime(day.year, day.month, day.day))


@ROUND_TRIPS
@given(DAYS, st.sampled_from(LANGUAGES))
def test_rendered_months_parse_back_to_the_month(day, language):
    rendered = format_skeleton("yMMMM", day, locale=language)
    when = parse_date(rendered, GENEVA)
    assert when is not None, rendered
    assert (when.start.year, when.start.month, when.precision) == (day.year, day.month, "month"), rendered


@ROUND_TRIPS
@given(DAYS, st.integers(min_value=1, max_value=400), st.sampled_from(INTERVAL_SKELETONS), st.sampled_from(LANGUAGES))
def test_rendered_ranges_parse_back_to_start_and_end(start, length, skeleton, language):
    end = start + timedelta(days=length)
    rendered = format_interval(start, end, skeleton, locale=language)
    when = parse_date(rendered, GENEVA)
    assert when is not None and when.end is not None, rendered
    assert (when.start.date(), when.end.date()) == (start, end), rendered


MOMENTS = st.datetimes(
    min_value=datetime(1970, 1, 2), max_value=datetime(2100, 12, 30), timezones=st.just(GENEVA), allow_imaginary=False
).map(lambda moment: moment.replace(microsecond=0, fold=0))


@ROUND_TRIPS
@given(MOMENTS, st.sampled_from(["long", "medium"]), st.sampled_from(TIME_FORMATS), st.sampled_from(LANGUAGES))
def test_rendered_datetimes_parse_back_to_the_same_instant(moment, date_format, time_format, language):
    if time_format == "short":
        moment = moment.replace(second=0)
    # CLDR's own glue of a date and a time, e.g. "{1}, {0}"
    glue = get_datetime_format(date_format, locale=language)
    rendered = glue.replace("{1}", format_date(moment, date_format, locale=language)).replace(
        "{0}", format_time(moment, time_format, tzinfo=GENEVA, locale=language)
    )
    when = parse_date(rendered, GENEVA)
    assert when is not None and when.precision == "minute", rendered
    assert when.start.timestamp() == moment.timestamp(), rendered


@ROUND_TRIPS
@given(MOMENTS, st.sampled_from(ZONES), st.sampled_from(LANGUAGES))
def test_ilo_time_with_named_zone_parses_back_to_the_same_instant(moment, zone_name, language):
    zone = ZoneInfo(zone_name)
    local = moment.astimezone(zone).replace(second=0)
    # a wall time that happens twice (the hour clocks go back) is read as the first one
    local = local.replace(fold=0)
    pattern = "HH'h'mm" if language == "fr" else "HH:mm"
    rendered = AT[language].format(
        date=format_date(local, "long", locale=language),
        time=format_time(local, pattern, tzinfo=zone, locale=language),
        zone=zone_name,
    )
    when = parse_date(rendered, GENEVA)
    assert when is not None and when.precision == "minute", rendered
    assert when.start.timestamp() == local.timestamp(), rendered
    assert when.start.utcoffset() == local.utcoffset(), rendered


def test_a_dash_before_a_word_is_no_type_separator():
    # "June – July 2023" is a range of months: "June" is no type (dates.split_kind).
    assert split_kind("June – July 2023") == (None, "June – July 2023")
    assert split_kind("Feature – 28 July 2022") == ("Feature", " 28 July 2022")


@ROUND_TRIPS
@given(DAYS, st.sampled_from(["dd.MM.yyyy", "d.M.yyyy", "dd/MM/yyyy", "dd-MM-yyyy", "yyyy/MM/dd"]))
def test_numeric_day_first_dates_parse_back_on_a_french_page(day, pattern):
    rendered = format_date(day, pattern, locale="fr")
    when = parse_date(rendered, GENEVA, ("fr", "en"))
    assert when is not None, rendered
    assert (when.start.date(), when.precision) == (day, "day"), rendered


@ROUND_TRIPS
@given(DAYS)
def test_us_numeric_dates_parse_back_on_an_english_page(day):
    rendered = format_date(day, "MM/dd/yyyy", locale="en")
    when = parse_date(rendered, GENEVA, ("en",))
    assert when is not None and when.start.date() == day, rendered


# The date forms read a month as any word and look it up (dates._first_form):
# they must find what the forms with the names spelled out find, also when a
# word that is no month stands where one would.
FORM_WORDS = [*WORDS, "30", "2", "28", "2024", "foo", "release", "july", "juillet", "julio", "sept", "décembre",
              "dec.", "junexyz", "to", "al", "hasta el", "jusqu'au", "el", "york", "new",
              "centre", "©", "1.", "12th", "mardi", "martes", "tue", "jeudi", "mar.",
              # every word of a range (dates._may_join_a_range: the range forms run only where one stands)
              "until", "till", "and", "et", "a", "y", "hasta", "toward", "tout", "ya"]


def exact_first_form(cleaned: str, languages: tuple[str, ...]):
    forms = [re.compile(form) for form in _forms(_alternatives(lexicon(languages).months))]  # names spelled out
    return next((m for m in (p.search(cleaned) for p in forms) if m), None)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("30 foo - 2 July 2023", date(2023, 7, 2)),  # "foo" is no month: the range form does not match
        ("Release 2023, July 2022", date(2022, 7, 1)),  # nor is "release": the month-and-year form goes on
        ("New York, 21 September 2016", date(2016, 9, 21)),
        ("© Jane Doe / Solidarity Centre 2022, 3 May 2022", date(2022, 5, 3)),
    ],
)
def test_a_word_where_a_month_would_stand_is_no_month(text, day):
    assert parse_date(text, GENEVA).start.date() == day


@settings(max_examples=1000)
@given(st.lists(st.sampled_from(FORM_WORDS), max_size=10).map(" ".join), st.sampled_from(LANGUAGES))
def test_the_word_forms_find_what_the_spelled_out_forms_find(value, language):
    languages = (language, *(other for other in LANGUAGES if other != language))
    words = lexicon(languages)
    cleaned = clean_date_text(value, words)
    found, expected = _first_form(cleaned, words, languages), exact_first_form(cleaned, languages)
    assert (found and (found.span(), found.groupdict())) == (expected and (expected.span(), expected.groupdict()))


@settings(max_examples=1000)
@given(st.lists(st.sampled_from(FORM_WORDS), max_size=10).map(" ".join), st.sampled_from(LANGUAGES))
def test_weekdays_go_as_with_the_month_names_spelled_out(value, language):
    words = lexicon((language, *(other for other in LANGUAGES if other != language)))
    spelled_out = re.compile(_weekday_pattern(set(words.weekdays), words.months, _alternatives(words.months)))
    text = clean_date_text(value)
    assert _drop_weekdays(text, words) == spelled_out.sub(" ", text)


# --- other languages ------------------------------------------------------------

# The zero of some scripts' decimal digits: Arabic-Indic, Extended Arabic-Indic (Persian),
# Devanagari, Bengali, Thai, full-width.
DIGIT_ZEROS = [0x660, 0x6F0, 0x966, 0x9E6, 0xE50, 0xFF10]


def in_script(text: str, zero: int) -> str:
    return "".join(chr(zero + int(ch)) if ch.isdigit() else ch for ch in text)


@ROUND_TRIPS
@given(DAYS, st.sampled_from([*DATE_FORMATS, "dd.MM.yyyy", "yyyy/MM/dd"]), st.sampled_from(DIGIT_ZEROS))
def test_dates_in_the_digits_of_any_script_read_as_in_ascii_digits(day, fmt, zero):
    rendered = render_date(day, fmt, "en") if fmt in DATE_FORMATS else format_date(day, fmt, locale="en")
    when = parse_date(in_script(rendered, zero), GENEVA)
    assert when is not None and (when.start.date(), when.precision) == (day, "day"), in_script(rendered, zero)


def test_digits_that_are_no_decimal_digits_are_no_date():
    # Circled and superscript digits are digits to Unicode, but no decimal ones: no day is
    # written with them (the month is still read), nor a year.
    assert iso(parse_date("① September 2023", GENEVA)) == "2023-09"
    assert iso(parse_date("¹⁷ September 2023", GENEVA)) == "2023-09"
    assert parse_date("17 September ²⁰²³", GENEVA) is None


OTHER_LANGUAGES = ["de", "pt", "ru", "ar", "zh", "ja", "ko", "it", "nl", "pl", "tr", "hi", "uk", "vi", "id", "fa", "sv",
                   "cs", "el", "he", "bn", "sw", "ro", "hu", "fi", "kk", "lt", "ka", "sr", "bg", "ca", "da", "ur", "am"]


@ROUND_TRIPS
@given(DAYS, st.sampled_from(DATE_FORMATS), st.sampled_from(OTHER_LANGUAGES))
def test_dates_rendered_by_cldr_in_other_languages_parse_back(day, fmt, language):
    # Genitive months (Russian "сентября"), year words ("2023 г."), year first (Hungarian
    # "2023. szeptember 17."), letters glued to the month (Hebrew "17 בספטמבר 2023"), CJK marks,
    # the words of CLDR's patterns (Lithuanian "2023 m. rugsėjo 17 d.", Kazakh "2023 ж. 17 қыркүйек").
    rendered = render_date(day, fmt, language)
    when = parse_date(rendered, GENEVA, (language, *LANGUAGES))
    assert when is not None, rendered
    assert (when.start.date(), when.precision) == (day, "day"), rendered


@ROUND_TRIPS
@given(MOMENTS, st.sampled_from(["long", "medium"]), st.sampled_from(OTHER_LANGUAGES))
def test_datetimes_rendered_by_cldr_in_other_languages_parse_back(moment, date_format, language):
    # CLDR's words for a.m. and p.m. (Korean "오후 3:30", Arabic "3:30 م") and times with a dot
    # (Danish, Finnish, Indonesian "15.30").
    moment = moment.replace(second=0)
    glue = get_datetime_format(date_format, locale=language)
    rendered = glue.replace("{1}", format_date(moment, date_format, locale=language)).replace(
        "{0}", format_time(moment, "short", tzinfo=GENEVA, locale=language)
    )
    when = parse_date(rendered, GENEVA, (language, *LANGUAGES))
    assert when is not None and when.precision == "minute", rendered
    assert when.start.timestamp() == moment.timestamp(), rendered


@pytest.mark.parametrize(
    ("text", "language", "published", "end"),
    [
        ("2023年9月17日", "zh", "2023-09-17", None),
        ("时间：2023年6月27日至28日", "zh", "2023-06-27", "2023-06-28"),
        ("2023年12月30日～2024年1月2日", "ja", "2023-12-30", "2024-01-02"),
        ("2023年9月17日(日)～18日(月)", "ja", "2023-09-17", "2023-09-18"),
        ("新闻稿 2024年9月12日", "zh", "2024-09-12", None),
        ("2023年3月24日 16:00", "zh", "2023-03-24T16:00:00+01:00", None),
        ("2022年7月", "zh", "2022-07", None),
        # The hour's words and marks: German "Uhr", CJK 时/時/点, Korean 시 (and 分/분 after the minutes).
        ("24.03.2023, 9 Uhr", "de", "2023-03-24T09:00:00+01:00", None),
        ("2023年3月24日 16时30分", "zh", "2023-03-24T16:30:00+01:00", None),
        ("2023年3月24日 16點", "zh", "2023-03-24T16:00:00+01:00", None),
        ("2023년 3월 24일 16시 30분", "ko", "2023-03-24T16:30:00+01:00", None),
        ("2023년 9월 17일", "ko", "2023-09-17", None),
        ("27.06.2023 bis 28.06.2023", "de", "2023-06-27", "2023-06-28"),
        ("27–28 июня 2023 г.", "ru", "2023-06-27", "2023-06-28"),
        ("30 дек. 2023 г. — 3 янв. 2024 г.", "ru", "2023-12-30", "2024-01-03"),
        ("الخميس ١٢ سبتمبر ٢٠٢٤", "ar", "2024-09-12", None),
        ("24 مارس 2023، الساعة 10:00", "ar", "2023-03-24T10:00:00+01:00", None),
        ("17. 9. 2023", "cs", "2023-09-17", None),
        ("17.09.2023 r.", "pl", "2023-09-17", None),
        ("17 سبتمبر 2023م", "ar", "2023-09-17", None),
        ("الأحد 2 ربيع الأول 1445 هـ الموافق 17 سبتمبر 2023 م", "ar", "2023-09-17", None),
        # The months of a language's regional and script variants in CLDR: Levantine Arabic,
        # Austrian German, Serbian in Latin script.
        ("17 أيلول 2023", "ar", "2023-09-17", None),
        ("24 آذار 2023", "ar", "2023-03-24", None),
        ("17. Jänner 2023", "de", "2023-01-17", None),
        ("17. septembar 2023.", "sr", "2023-09-17", None),
        # Two variants' names of one month, as UN and Arab news style write them.
        ("14 أيلول/سبتمبر 2023", "ar", "2023-09-14", None),
        ("24 آذار / مارس 2023", "ar", "2023-03-24", None),
        ("27-28 حزيران/يونيو 2023", "ar", "2023-06-27", "2023-06-28"),
        # Words around a date's numbers that CLDR's patterns lack (words.json "date_words").
        ("ngày 24 tháng 3 năm 2023", "vi", "2023-03-24", None),
        ("dnia 17 września 2023 roku", "pl", "2023-09-17", None),
        # Other calendars' eras: Japanese 令和 (元年 its first year), Taiwan's 民國, the Buddhist era on a
        # Thai page (marked or not); left alone: a year 2566 on an English page is no year.
        ("令和5年9月17日", "ja", "2023-09-17", None),
        ("令和元年5月1日", "ja", "2019-05-01", None),
        ("民國112年9月17日", "zh", "2023-09-17", None),
        ("17 กันยายน พ.ศ. 2566", "th", "2023-09-17", None),
        ("17/09/2566", "th", "2023-09-17", None),
        ("17 September 2566", "en", None, None),
        # Typed without the accents: a month is still a month; another script keeps its marks.
        ("17 fevrier 2023", "fr", "2023-02-17", None),
        ("17 marco de 2023", "pt", "2023-03-17", None),
        ("17. Marz 2023", "de", "2023-03-17", None),
        ("17 Agustos 2023", "tr", "2023-08-17", None),
        ("2023년 9월 17일 오후 3:00", "ko", "2023-09-17T15:00:00+02:00", None),
        ("2023年9月17日 下午3:00", "zh", "2023-09-17T15:00:00+02:00", None),
        ("17 September 2023 15.30", "id", "2023-09-17T15:30:00+02:00", None),
        # Left alone: a dot between numbers that is no time (a day and month), in English a dot is no time.
        ("17.09.2023", "da", "2023-09-17", None),
        ("17 September 2023 15.30", "en", "2023-09-17", None),
        ("27 t/m 28 juni 2023", "nl", "2023-06-27", "2023-06-28"),
        ("2023. 9. 17.", "ko", "2023-09-17", None),
        # Not dates: a year alone, a thirteenth month, a day with no month.
        ("2023年", "zh", None, None),
        ("2023年13月1日", "zh", None, None),
        ("2023年 第17期", "zh", None, None),
    ],
)
def test_dates_in_other_languages(text, language, published, end):
    when = parse_date(text, GENEVA, (language, *LANGUAGES))
    assert (iso(when), iso(when, end=True)) == (published, end)


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # Two-digit day and month with the year a heading gave (normalize appends it): the
        # language's CLDR short pattern says which comes first (zh "y/M/d", de "dd.MM.yy").
        ("[11-30] 2022", "zh", "2022-11-30"),
        ("30.11. 2022", "de", "2022-11-30"),
        ("11/03 2023", "zh", "2023-11-03"),
        ("11/03 2023", "fr", "2023-03-11"),
        ("11/03/2023", "ja", "2023-11-03"),
        ("11/03/2023", "de", "2023-03-11"),
        # Not a day: single digits ("3-4 2022"), more text, a month 13.
        ("3-4 2022", "zh", None),
        ("[11-30] items 2022", "zh", None),
        ("[13-30] 2022", "zh", None),
        # A zone named in the page's language: a CLDR city ("Beirut time"), or words.json's words.
        ("24 مارس 2023، الساعة 10:00 بتوقيت بيروت", "ar", "2023-03-24T10:00:00+02:00"),
        ("2 декабря 2021 г., 17:00 (мск)", "ru", "2021-12-02T17:00:00+03:00"),
        ("2023年3月24日 16:00（北京时间）", "zh", "2023-03-24T16:00:00+08:00"),
        ("8. Juni 2022, 14:00 Uhr MESZ", "de", "2022-06-08T14:00:00+02:00"),
        ("24 марта 2023 г., 11:00 Москва", "ru", "2023-03-24T11:00:00+03:00"),
        ("24/03/2023 05h00 (horário de Brasília)", "pt", "2023-03-24T05:00:00-03:00"),
        # Left alone: no zone named (the page's), and English, whose city names spfeed does not look for.
        ("24.03.2023, 09:00 Uhr", "de", "2023-03-24T09:00:00+01:00"),
        ("24 March 2023, 10:00 Beirut", "en", "2023-03-24T10:00:00+01:00"),
    ],
)
def test_numeric_order_and_zones_come_from_the_pages_language(text, language, expected):
    assert iso(parse_date(text, GENEVA, (language, *LANGUAGES))) == expected


@pytest.mark.parametrize(
    ("shown", "machine", "published", "end"),
    [
        # A date-only field as Drupal stores it, noon UTC: the day shown (and its range), not an instant.
        ("17 September 2023", "2023-09-17T12:00:00Z", "2023-09-17", None),
        ("27-28 June 2023", "2023-06-27T12:00:00Z", "2023-06-27", "2023-06-28"),
        # Left alone: another time of that day is when it was posted.
        ("17 September 2023", "2023-09-17T12:30:00Z", "2023-09-17T14:30:00+02:00", None),
        ("17 September 2023", "2023-09-17T14:32:00+02:00", "2023-09-17T14:32:00+02:00", None),
        # A wall time shown beside the machine's instant gives its offset: 10:00 "Beirut time" beside 08:00Z.
        ("24 March 2023, 10:00 Beirut time", "2023-03-24T08:00:00Z", "2023-03-24T10:00:00+02:00", None),
        ("24 March 2023, 09:00", "2023-03-24T08:00:00Z", "2023-03-24T09:00:00+01:00", None),
        # Left alone: a shown time the machine's differs from by no zone's offset.
        ("24 March 2023, 09:05", "2023-03-24T08:00:00Z", "2023-03-24T09:05:00+01:00", None),
    ],
)
def test_a_machine_date_beside_the_shown_one(shown, machine, published, end):
    when = item_date(RawItem(title="t", url="/t", date_text=shown, datetime_attr=machine), CTX)
    assert (iso(when), iso(when, end=True)) == (published, end)




OTHER_WORDS = ["17", "٢٠٢٣", "２０２３", "年", "9月", "17日", "至", "28日", "令和5年", "พ.ศ.", "2566", "сентября", "г.",
               "أيلول", "بتوقيت", "بيروت", "(мск)", "오후", "3:00", "下午", "15.30", "Uhr", "MESZ", "[11-30]", "-", "/"]


@NOISE
@given(st.lists(st.sampled_from(OTHER_WORDS), max_size=10).map(" ".join), st.sampled_from(["ar", "zh", "ja", "th",
                                                                                              "ru", "ko", "de", "da"]))
def test_parse_date_never_raises_on_other_languages_noise(value, language):
    when = parse_date(value, GENEVA, (language, *LANGUAGES))
    assert when is None or (when.start.tzinfo is not None and (when.end is None or when.end > when.start))


@pytest.mark.parametrize(
    ("value", "form", "start"),
    [
        ("30 june - 2 july 2023", 0, date(2023, 6, 30)),
        ("june 30 - july 2 2023", 1, date(2023, 6, 30)),
        ("17 septembre 2023", 2, date(2023, 9, 17)),
        ("sept 17 2023", 3, date(2023, 9, 17)),
        ("julio 2022", 4, date(2022, 7, 1)),
    ],
)
def test_each_date_form_compiled_when_first_needed_reads_its_dates(value, form, start):
    # The forms are compiled one by one as dates need them (dates._compiled), not all with the lexicon.
    words = lexicon(LANGUAGES)
    match = _first_form(value, words, LANGUAGES)
    assert match is not None and match.re.pattern == words.forms[form]
    assert parse_date(value, GENEVA, LANGUAGES).start.date() == start


@pytest.mark.parametrize(
    ("value", "start", "end"),
    [
        ("27 et 28 juin 2023", date(2023, 6, 27), date(2023, 6, 28)),
        ("27 y 28 de junio de 2023", date(2023, 6, 27), date(2023, 6, 28)),
        ("del 30 de junio hasta el 2 de julio de 2023", date(2023, 6, 30), date(2023, 7, 2)),
        ("du 30 juin jusqu'au 2 juillet 2023", date(2023, 6, 30), date(2023, 7, 2)),
        ("june 30 until july 2, 2023", date(2023, 6, 30), date(2023, 7, 2)),
        ("30 june 2023", date(2023, 6, 30), None),  # no separator: the range forms are not run
        ("june 2023 to july", date(2023, 6, 1), None),
    ],
)
def test_a_range_is_read_whichever_word_joins_it(value, start, end):
    when = parse_date(value, GENEVA, LANGUAGES)
    assert when.start.date() == start
    assert (when.end.date() if when.end else None) == end


def test_a_text_without_a_weekday_name_is_left_as_it_is():
    # No weekday word, no weekday pattern to run; "mar" (Tuesday, March) before a day and month still goes.
    words = lexicon(LANGUAGES)
    assert words.weekdays_are_words
    assert _drop_weekdays("17 september 2023", words) == "17 september 2023"
    assert _drop_weekdays("jeudi 7 sept. 2023", words) == "  7 sept. 2023"
    assert _drop_weekdays("mar 7 marzo 2023", words) == "  7 marzo 2023"
    assert _drop_weekdays("7 mar 2023", words) == "7 mar 2023"
