"""Coverage-guided fuzzing of the date code (atheris): parse_date and
parse_machine_date take any text in any supported language and zone and
return a When with an aware start, or None; they never raise.

The input is the text, as UTF-8 (so the seeds are plain date lines in any
script, fuzz/seeds/dates/); its last byte also chooses the zone and the
languages the page is read in.

    python fuzz/fuzz_dates.py -atheris_runs=500000 CORPUS fuzz/seeds/dates   # see docs/reliability.md
"""

from __future__ import annotations

import sys
from datetime import timedelta, timezone
from zoneinfo import ZoneInfo

import atheris

with atheris.instrument_imports():
    from spfeed.dates import DEFAULT_LANGUAGES, parse_date, parse_machine_date

ZONES = [None, timezone.utc, timezone(timedelta(hours=14)), ZoneInfo("Europe/Zurich"), ZoneInfo("America/Santiago")]
# en, fr, es (the department's pages), then others CLDR names for spfeed (a page's lang
# adds its language to the configured ones): scripts, calendars, word orders.
OTHERS = ("de", "ru", "ar", "zh", "ja", "ko", "hi", "fa", "he", "am", "el", "ka", "kk", "lt", "sr", "bn", "th", "tr")
LANGUAGES = [("en",), ("fr",), ("es",), DEFAULT_LANGUAGES, *((other, *DEFAULT_LANGUAGES) for other in OTHERS)]


def test_one_input(data: bytes) -> None:
    choice = data[-1] if data else 0
    zone = ZONES[choice % len(ZONES)]
    languages = LANGUAGES[choice // len(ZONES) % len(LANGUAGES)]
    text = data.decode("utf-8", errors="replace")
    for when in (parse_date(text, zone, languages), parse_machine_date(text, zone)):
        if when is not None:
            assert when.start.tzinfo is not None, (text, when)
            assert when.end is None or when.end >= when.start, (text, when)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
