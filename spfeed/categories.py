"""Category labels as the pages show them -> a small canonical taxonomy. Pure.

The taxonomy is data: ``spfeed/categories.toml`` (shipped with the package),
merged with a user's overrides (the same shape, from the config file). Which
category an item gets, first match wins:

1. its label, matched exactly (case, accents and punctuation aside) to a
   kind of item ("Communiqué de presse");
2. its type prefix ("Press release | 01 March 2023"): a prefix states the
   item's type, while a longer label is often a topic that merely mentions a
   type word ("Joint ILO-UNICEF report" on a press release);
3. its label, matched exactly to a topic ("Multilatéralisme");
4. its label, by a word or phrase pattern ("webinar", "meeting");
5. the label itself, as its own category (slugged), with a logged notice;
6. the prefix itself, likewise.

A category's ``formerly`` lists the slugs its labels had as categories of
their own before it took them in; publish keeps writing those feeds (see
``Taxonomy.formerly``), so that no subscriber's address stops working.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

import msgspec

from .errors import ConfigError

log = logging.getLogger(__name__)

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_KEYS = {"name", "names", "labels", "patterns", "topic", "formerly"}
_NOT_WORD = re.compile(r"[\W_]+")


class Category(msgspec.Struct, frozen=True):
    """A canonical category: a stable slug and its name (per language)."""

    slug: str
    name: str
    names: Mapping[str, str]

    def name_in(self, language: str) -> str:
        return self.names.get(language, self.name)


class Taxonomy(msgspec.Struct, frozen=True, dict=True):
    """Categories by slug, the exact labels that mean them, and their patterns."""

    categories: Mapping[str, Category]
    labels: Mapping[str, str]
    """Folded label -> slug, for the kinds of item (press release, event, ...)."""
    topics: Mapping[str, str]
    """Folded label -> slug, for the topics: below a type prefix (see the module doc)."""
    patterns: tuple[tuple[str, str], ...]
    """(folded phrase, slug), in order of precedence (see ``_phrase_in``)."""
    formerly: Mapping[str, str]
    """A slug its labels had as a category of their own -> the category that took them in."""

    @property
    def _found(self) -> dict[tuple[str | None, str | None], str | None]:
        """(label, kind) -> the slug found for them: a page repeats a few labels many times.

        Kept in the instance's ``__dict__`` (``dict=True``), not a field: a
        cache is no part of the taxonomy's value, its repr or its equality.
        """
        found: dict[tuple[str | None, str | None], str | None] = self.__dict__.setdefault("_found", {})
        return found

    def classify(self, label: str | None, kind: str | None = None) -> str | None:
        """The canonical slug for an item's label and type prefix (see the module doc)."""
        if (label, kind) in self._found:
            found = self._found[(label, kind)]
        else:
            found = self._lookup(label, kind)
            if len(self._found) < _MAX_REMEMBERED:
                self._found[(label, kind)] = found
        if found:
            return found
        passed = label or kind
        if not passed:
            return None
        slug = slugify(passed)
        log.info("category %r is not in the taxonomy: kept as its own category %r", passed, slug)
        return slug

    def names(self, language: str = "en") -> dict[str, str]:
        """Slug -> the category's name in ``language`` (English when it has none)."""
        return {slug: category.name_in(language) for slug, category in self.categories.items()}

    def _lookup(self, label: str | None, kind: str | None) -> str | None:
        folded_label = fold_label(label) if label else ""
        folded_kind = fold_label(kind) if kind else ""
        return (
            (self.labels.get(folded_label) if folded_label else None)
            or self._known(folded_kind)
            or (self.topics.get(folded_label) if folded_label else None)
            or self._by_pattern(folded_label)
        )

    def _known(self, folded: str) -> str | None:
        if not folded:
            return None
        return self.labels.get(folded) or self._by_pattern(folded)

    def _by_pattern(self, folded: str) -> str | None:
        if not folded:
            return None
        for phrase, slug in self.patterns:
            if _phrase_in(phrase, folded):
                return slug
        return None


_MAX_REMEMBERED = 10_000
"""Labels a taxonomy remembers the slug of (``spfeed schedule`` runs for years)."""


def _phrase_in(phrase: str, folded: str) -> bool:
    """Whether the folded ``phrase`` (or its plural in -s) stands as whole words in the folded label.

    Both are folded (``fold_label``): words of letters and digits, one space
    apart; so a word's edges are spaces, and no regular expression is needed.
    """
    padded = f" {folded} "
    return f" {phrase} " in padded or f" {phrase}s " in padded


@lru_cache(maxsize=4096)
def fold_label(text: str) -> str:
    """'Communiqué de presse ' -> 'communique de presse': what label matching compares."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NOT_WORD.sub(" ", bare).split())


def slugify(text: str) -> str:
    """'Joint ILO-UNICEF report' -> 'joint-ilo-unicef-report' (accents folded).

    A label in a script with no ASCII letters is 'x-' and its letters in Punycode ('Новость' ->
    'x-b1avdbpg4e'): a slug of its own, as a Latin label has, rather than one 'other' for them all.
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    if slug:
        return slug
    letters = "".join(ch for ch in unicodedata.normalize("NFC", text.casefold()) if ch.isalnum())
    return f"x-{letters.encode('punycode').decode('ascii')}" if letters else "other"


def load_taxonomy(overrides: Mapping[str, Any] | None = None, *, origin: str = "config") -> Taxonomy:
    """The shipped taxonomy, merged with ``overrides`` (same shape as categories.toml).

    An override's ``name`` and ``names`` replace the shipped ones; its
    ``labels`` and ``patterns`` come first, so a label a user files elsewhere
    moves there. A new slug adds a category.
    """
    if not overrides:
        return default_taxonomy()
    user = _categories_of(overrides, origin)
    return _build(_merge(_shipped_table(), user), first=user)


@lru_cache(maxsize=1)
def default_taxonomy() -> Taxonomy:
    # Built when categories.json was written, labels folded and checked: folding
    # every shipped label again cost each refresh some 2 ms (under 1 ms to decode).
    return msgspec.json.decode(_compiled_bytes(), type=_Compiled).taxonomy


SOURCE_FILE = "categories.toml"
COMPILED_FILE = "categories.json"


class _Compiled(msgspec.Struct, frozen=True):
    """What a refresh without categories of its own reads of categories.json."""

    taxonomy: Taxonomy


@lru_cache(maxsize=1)
def _compiled_bytes() -> bytes:
    # categories.toml is the file people edit; a refresh reads its JSON twin
    # (tomllib, pure Python, takes 6-10 ms on it; the JSON 0.2 ms), which
    # tests/test_categories.py holds equal to it (`pytest --update-golden`).
    return (resources.files("spfeed") / COMPILED_FILE).read_bytes()


@lru_cache(maxsize=1)
def _shipped_table() -> dict[str, dict[str, Any]]:
    return _categories_of(msgspec.json.decode(_compiled_bytes()), SOURCE_FILE)


def compiled_table() -> dict[str, Any]:
    """What categories.json must hold: categories.toml as read by tomllib (what a user's
    categories are merged with), and the taxonomy built from it alone (``default_taxonomy``)."""
    import tomllib

    table = tomllib.loads((resources.files("spfeed") / SOURCE_FILE).read_text("utf-8"))
    taxonomy = msgspec.json.encode(_build(_categories_of(table, SOURCE_FILE)))
    return {**table, "taxonomy": msgspec.json.decode(taxonomy)}


def _categories_of(data: Mapping[str, Any], origin: str) -> dict[str, dict[str, Any]]:
    table = data.get("categories", data)
    if not isinstance(table, Mapping):
        raise ConfigError(f"{origin}: 'categories' must be a table of categories")
    checked: dict[str, dict[str, Any]] = {}
    for slug, entry in table.items():
        checked[slug] = _checked_entry(slug, entry, origin)
    return checked


def _checked_entry(slug: str, entry: Any, origin: str) -> dict[str, Any]:
    where = f"{origin}: category '{slug}'"
    if not _SLUG.fullmatch(slug):
        raise ConfigError(f"{where}: a slug is lower-case letters, digits and single hyphens")
    if not isinstance(entry, Mapping):
        raise ConfigError(f"{where} must be a table (name, names, labels, patterns)")
    unknown = sorted(set(entry) - _KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}")
    if "name" in entry and not (isinstance(entry["name"], str) and entry["name"].strip()):
        raise ConfigError(f"{where}: 'name' must be a non-empty string")
    names = entry.get("names", {})
    if not isinstance(names, Mapping) or not all(isinstance(v, str) and v for v in names.values()):
        raise ConfigError(f"{where}: 'names' must map languages to names, e.g. {{ fr = \"…\" }}")
    if not isinstance(entry.get("topic", False), bool):
        raise ConfigError(f"{where}: 'topic' must be true or false")
    former = entry.get("formerly", [])
    if not isinstance(former, list) or not all(isinstance(s, str) and _SLUG.fullmatch(s) for s in former):
        raise ConfigError(f"{where}: 'formerly' must be a list of slugs (lower-case letters, digits, hyphens)")
    for key in ("labels", "patterns"):
        words = entry.get(key, [])
        if not isinstance(words, list) or not all(isinstance(w, str) and fold_label(w) for w in words):
            raise ConfigError(f"{where}: '{key}' must be a list of non-empty strings")
    return dict(entry)


def _merge(shipped: dict[str, dict[str, Any]], user: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    merged = {slug: dict(entry) for slug, entry in shipped.items()}
    # user categories first, so their labels and patterns are the ones that win
    ordered: dict[str, dict[str, Any]] = {}
    for slug, entry in user.items():
        base = merged.pop(slug, {})
        ordered[slug] = {
            "name": entry.get("name", base.get("name", slug)),
            "names": {**base.get("names", {}), **entry.get("names", {})},
            "labels": [*entry.get("labels", []), *base.get("labels", [])],
            "patterns": [*entry.get("patterns", []), *base.get("patterns", [])],
            "topic": entry.get("topic", base.get("topic", False)),
            "formerly": [*entry.get("formerly", []), *base.get("formerly", [])],
        }
    return {**ordered, **merged}


def _build(table: Mapping[str, Mapping[str, Any]], first: Mapping[str, Mapping[str, Any]] | None = None) -> Taxonomy:
    """The taxonomy of ``table``; the labels ``first`` (a user's) gives are claimed before any other."""
    categories: dict[str, Category] = {}
    kinds: dict[str, str] = {}
    topics: dict[str, str] = {}
    patterns: list[tuple[str, str]] = []
    formerly: dict[str, str] = {}

    def claim(slug: str, labels: Iterable[str]) -> None:
        to = topics if table[slug].get("topic") else kinds
        for label in filter(None, map(fold_label, labels)):
            if label not in kinds and label not in topics:  # the first entry to name it keeps it
                to[label] = slug

    for slug, entry in (first or {}).items():
        claim(slug, _with_own_names(entry))
    for slug, entry in table.items():
        categories[slug] = Category(slug=slug, name=entry.get("name", slug), names=dict(entry.get("names", {})))
        claim(slug, _with_own_names(entry))
        patterns.extend((fold_label(phrase), slug) for phrase in entry.get("patterns", []))
        for former in entry.get("formerly", []):
            formerly.setdefault(former, slug)
    taken = sorted(set(formerly) & set(categories))
    if taken:
        # Two feeds would be written to one address.
        raise ConfigError(f"categories: '{taken[0]}' is a category and another one's former slug ('formerly')")
    return Taxonomy(categories=categories, labels=kinds, topics=topics, patterns=tuple(patterns), formerly=formerly)


def _with_own_names(entry: Mapping[str, Any]) -> Iterable[str]:
    yield from entry.get("labels", [])
    yield entry.get("name", "")
    yield from entry.get("names", {}).values()
