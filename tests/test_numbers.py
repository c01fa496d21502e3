from __future__ import annotations

import pytest

from spfeed.numbers import MAX_DIGITS, whole_number


@pytest.mark.parametrize(
    ("text", "number"), [("360", 360), (" 12 ", 12), ("0", 0), ("007", 7), ("9" * MAX_DIGITS, 10**MAX_DIGITS - 1)]
)
def test_ascii_digits_are_a_whole_number(text, number):
    assert whole_number(text) == number


@pytest.mark.parametrize(
    "text",
    ["²", "①", "٣", "３", "-1", "+1", "3.5", "1e3", "", "  ", "1 2", "9" * (MAX_DIGITS + 1), "9" * 5000, None, 12, 1.0],
)
def test_anything_else_is_none_never_an_exception(text):
    # "²" and "①" pass str.isdigit() and crash int(); 5,000 digits crash int() too.
    assert whole_number(text) is None
