"""Whole numbers written by others (a page's attribute, an HTTP header, a config file).

``text.isdigit() and int(text)`` looks safe and is not: ``isdigit`` is true of
"²" and "①", which ``int`` refuses, and ``int`` refuses more than 4,300 digits.
Either raised out of a refresh (found by fuzzing); read such numbers here.
"""

from __future__ import annotations

MAX_DIGITS = 100
"""More digits than any count, size or number of seconds anyone means."""


def whole_number(text: object) -> int | None:
    """``text`` as a number when it is ASCII digits, spaces around them allowed
    (" 360 "); None for anything else ("²", "-1", "3.5", "", None)."""
    if not isinstance(text, str):
        return None
    digits = text.strip()
    if not digits or len(digits) > MAX_DIGITS or not (digits.isascii() and digits.isdigit()):
        return None
    return int(digits)
