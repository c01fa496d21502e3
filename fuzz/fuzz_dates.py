"""Coverage-guided fuzzing of the date code (atheris): parse_date and
parse_machine_date take any text in any supported language and zone and
return a When with an aware start, or None; they never raise.

    python fuzz/fuzz_dates.py -atheris_runs=500000                     # see docs/reliability.md
"""

from __future__ import annotations

import sys
from datetime import timedelta, timezone
from zoneinfo import ZoneInfo

import atheris

with atheris.instrument_imports():
    from spfeed.dates import parse_date, parse_machine_date

ZONES = [None, timezone.utc, timezone(timedelta(hours=14)), ZoneInfo("Europe/Zurich"), ZoneInfo("America/Santiago")]
LANGUAGES = [("en",), ("fr",), ("es",), ("en", "fr", "es")]


def test_one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    zone = ZONES[provider.ConsumeIntInRange(0, len(ZONES) - 1)]
    languages = LANGUAGES[provider.ConsumeIntInRange(0, len(LANGUAGES) - 1)]
    text = provider.ConsumeUnicodeNoSurrogates(provider.remaining_bytes())
    for when in (parse_date(text, zone, languages), parse_machine_date(text, zone)):
        if when is not None:
            assert when.start.tzinfo is not None, (text, when)
            assert when.end is None or when.end >= when.start, (text, when)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
