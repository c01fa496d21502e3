from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spfeed.dates import iso, parse_date, parse_machine_date

GENEVA = ZoneInfo("Europe/Zurich")

# (text, published, end, kind): published/end in the JSON form of `spfeed scrape`.
TABLE = [
    # the seed's seven dates
    ("17 September 2023", "2023-09-17", None, None),
    ("27-28 June 2023", "2023-06-27", "2023-06-28", None),
    ("24 March 2023 at 09:00 (Europe/Zurich)", "2023-03-24T09:00:00+01:00", None, None),
    ("Press release | 01 March 2023", "2023-03-01", None, "Press release"),
    ("26 January 2023", "2023-01-26", None, None),
    ("30 November 2022", "2022-11-30", None, None),
    ("17 October 2022", "2022-10-17", None, None),
    # other forms of the ILO pages
    ("1 March 2023", "2023-03-01", None, None),
    ("September 17, 2023", "2023-09-17", None, None),
    ("27–28 June 2023", "2023-06-27", "2023-06-28", None),
    ("30 June - 2 July 2023", "2023-06-30", "2023-07-02", None),
    ("30 December 2023 - 2 January 2024", "2023-12-30", "2024-01-02", None),
    ("24 June 2023 at 09:00 (Europe/Zurich)", "2023-06-24T09:00:00+02:00", None, None),
    ("Media advisory | 24 February 2023", "2023-02-24", None, "Media advisory"),
    ("New York, 21 September 2016", "2016-09-21", None, None),
    ("01 June 2022, Vientiane, Lao PDR", "2022-06-01", None, None),
    ("July 2022", "2022-07", None, None),
    ("17 septembre 2023", "2023-09-17", None, None),
    ("1er mars 2023", "2023-03-01", None, None),
    ("27-28 juin 2023", "2023-06-27", "2023-06-28", None),
    ("24 mars 2023 à 09h00 (Europe/Zurich)", "2023-03-24T09:00:00+01:00", None, None),
    ("Communiqué de presse | 1er mars 2023", "2023-03-01", None, "Communiqué de presse"),
    ("17 de septiembre de 2023", "2023-09-17", None, None),
    ("27-28 de junio de 2023", "2023-06-27", "2023-06-28", None),
    # not dates
    ("", None, None, None),
    ("Read more", None, None, None),
    ("31 February 2023", None, None, None),
    ("2023", None, None, None),
    ("10 000 people in 24 countries", None, None, None),
]


@pytest.mark.parametrize(("text", "published", "end", "kind"), TABLE)
def test_date_table(text, published, end, kind):
    when = parse_date(text, GENEVA)
    assert iso(when) == published
    assert iso(when, end=True) == end
    assert (when.kind if when else None) == kind


def test_date_only_is_midnight_in_the_page_zone():
    when = parse_date("17 September 2023", GENEVA)
    assert when is not None
    assert when.start == datetime(2023, 9, 16, 22, 0, tzinfo=timezone.utc)


def test_unix_seconds_at_geneva_midnight_is_that_day_in_geneva():
    when = parse_machine_date("1694901600", GENEVA)  # 2023-09-16T22:00Z
    assert when is not None and when.precision == "day"
    assert iso(when) == "2023-09-17"


def test_iso_machine_dates():
    assert iso(parse_machine_date("2023-03-24T08:00:00Z", GENEVA)) == "2023-03-24T09:00:00+01:00"
    assert iso(parse_machine_date("2023-03-24", GENEVA)) == "2023-03-24"
    assert parse_machine_date("soon", GENEVA) is None
    assert parse_machine_date("99999999999999", GENEVA) is None


@given(st.text(max_size=400))
def test_parse_date_never_raises(text):
    when = parse_date(text, GENEVA)
    assert when is None or when.start.tzinfo is not None


@given(st.text(max_size=40))
def test_parse_machine_date_never_raises(text):
    when = parse_machine_date(text, GENEVA)
    assert when is None or when.start.tzinfo is not None


ENGLISH_MONTHS = ["January", "February", "March", "April", "May", "June", "July",
                  "August", "September", "October", "November", "December"]


@given(st.dates(min_value=datetime(1950, 1, 1).date(), max_value=datetime(2150, 12, 31).date()))
def test_rendered_english_dates_parse_back_to_the_same_day(day):
    text = f"{day.day} {ENGLISH_MONTHS[day.month - 1]} {day.year}"
    when = parse_date(text, GENEVA)
    assert when is not None and when.start.date() == day
