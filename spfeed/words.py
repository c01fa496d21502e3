"""The words of languages other than English, French and Spanish that pages write around items
(``words.json``: data, by language); the code's own tables hold those three."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

WORDS_FILE = "words.json"


@lru_cache(maxsize=1)
def _tables() -> dict[str, Any]:
    tables: dict[str, Any] = json.loads((resources.files("spfeed") / WORDS_FILE).read_text("utf-8"))
    return tables


@lru_cache(maxsize=8)
def phrases(table: str) -> frozenset[str]:
    """Every language's phrases of a list table ("read_more"), in lower case."""
    return frozenset(phrase for words in _tables()[table].values() for phrase in words)


@lru_cache(maxsize=8)
def field_names() -> dict[str, frozenset[str]]:
    """Field kind ("label", "summary"…) -> what every language calls it, in lower case."""
    found: dict[str, set[str]] = {}
    for kinds in _tables()["field_names"].values():
        for kind, names in kinds.items():
            found.setdefault(kind, set()).update(names)
    return {kind: frozenset(names) for kind, names in found.items()}


def zone_words(languages: tuple[str, ...]) -> dict[str, str]:
    """Words that name a time's zone in ``languages`` (lower case) -> the zone's IANA name."""
    zones: dict[str, dict[str, str]] = _tables()["zones"]
    return {word: zone for language in languages for word, zone in zones.get(language, {}).items()}


def date_words(languages: tuple[str, ...]) -> set[str]:
    """Words around a date's numbers in ``languages`` that CLDR's patterns lack (lower case)."""
    words: dict[str, list[str]] = _tables()["date_words"]
    return {word for language in languages for word in words.get(language, ())}


def eras(languages: tuple[str, ...]) -> dict[str, int]:
    """Era names in ``languages`` -> the year before each era's first ("令和" -> 2018)."""
    table: dict[str, dict[str, int]] = _tables()["eras"]
    return {era: start for language in languages for era, start in table.get(language, {}).items()}


def buddhist_era(languages: tuple[str, ...]) -> set[str] | None:
    """The words that mark a Buddhist-era year in ``languages``; None when none of them counts years so."""
    table: dict[str, list[str]] = _tables()["buddhist_era"]
    found = [word for language in languages if language in table for word in table[language]]
    return set(found) if any(language in table for language in languages) else None
