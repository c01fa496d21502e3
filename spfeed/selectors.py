"""CSS selectors of the layout profiles, matched on a parsed page (parse.py's helper).

soupsieve reads any CSS but costs about 200 ms per process before its first
match (it compiles its own grammar's regular expressions) and some 8 us per
element tested. The profiles' selectors are nearly all of one simple kind
(``div.whatsNew li.item``, ``h3.title a[href]``, ``link[rel="canonical"]``), so
those are matched here with plain attribute checks, in the way soupsieve
would; any other selector (pseudo-classes such as ``:has()``, sibling
combinators, other attribute operators) goes to soupsieve.

Works on bs4 trees without importing bs4: a tag is a node whose ``name`` is
not None (strings have none).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

Node = Any
"""A bs4 Tag or BeautifulSoup (typed loosely: this module does not import bs4)."""

_IDENT = r"-?[A-Za-z_][\w-]*"
_ATTR = rf'\[\s*({_IDENT})\s*(?:(~?=)\s*"([^"\\]*)"\s*)?\]'
_COMPOUND = re.compile(rf"(\*|{_IDENT})?((?:\.{_IDENT}|#{_IDENT}|{_ATTR})*)")
_PART = re.compile(rf"\.({_IDENT})|#({_IDENT})|{_ATTR}")
_COMBINATOR = re.compile(r"\s*>\s*|\s+")
# Attributes whose values match case-insensitively on HTML elements (as soupsieve does):
# https://html.spec.whatwg.org/multipage/semantics-other.html#case-sensitivity-of-selectors
_CASELESS_VALUES = frozenset(
    (
        "accept", "accept-charset", "align", "alink", "axis", "bgcolor", "charset", "checked", "clear",
        "codetype", "color", "compact", "declare", "defer", "dir", "direction", "disabled", "enctype",
        "face", "frame", "hreflang", "http-equiv", "lang", "language", "link", "media", "method",
        "multiple", "nohref", "noresize", "noshade", "nowrap", "readonly", "rel", "rev", "rules", "scope",
        "scrolling", "selected", "shape", "target", "text", "type", "valign", "valuetype", "vlink",
    )
)


@dataclass(frozen=True)
class _Compound:
    """One element test: ``tag.class#id[attr][attr="v"][attr~="v"]``."""

    tag: str | None
    classes: tuple[str, ...]
    ident: str | None
    attrs: tuple[tuple[str, str | None, str | None], ...]

    def matches(self, node: Node) -> bool:
        if self.tag is not None and node.name != self.tag:
            return False
        attrs = node.attrs
        if self.classes:
            have = attrs.get("class")
            if have is None:
                return False
            words = have.split() if isinstance(have, str) else have
            if any(c not in words for c in self.classes):
                return False
        if self.ident is not None and attrs.get("id") != self.ident:
            return False
        for name, operator, value in self.attrs:
            have = attrs.get(name)
            if have is None:
                return False
            if operator is None:
                continue
            text = " ".join(have) if isinstance(have, list) else have
            if name in _CASELESS_VALUES:
                text = text.lower()
            if operator == "=" and text != value:
                return False
            if operator == "~=" and value not in text.split():
                return False
        return True


@dataclass(frozen=True)
class _Complex:
    """Compounds joined by descendant (" ") or child (">") combinators, subject last."""

    compounds: tuple[_Compound, ...]
    combinators: tuple[str, ...]
    """combinators[i] joins compounds[i] and compounds[i + 1]."""

    def matches(self, node: Node) -> bool:
        if not self.compounds[-1].matches(node):
            return False
        return self._ancestors_match(node, len(self.compounds) - 2)

    def _ancestors_match(self, node: Node, index: int) -> bool:
        if index < 0:
            return True
        compound, combinator = self.compounds[index], self.combinators[index]
        parent = node.parent
        while parent is not None and parent.name is not None and parent.name != "[document]":
            if compound.matches(parent) and self._ancestors_match(parent, index - 1):
                return True
            if combinator == ">":
                return False
            parent = parent.parent
        return False


class Selector:
    """A compiled selector list: ``select``, ``select_one`` and ``match`` like soupsieve's."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._simple = _parse_simple(text)
        self._soupsieve: Any = None
        # Most elements fail on their tag name: test that first, cheaply.
        subjects = [c.compounds[-1].tag for c in self._simple or ()]
        self._tags: frozenset[str] | None = None
        if self._simple and None not in subjects:
            self._tags = frozenset(tag for tag in subjects if tag is not None)
        if self._simple is None:
            import soupsieve

            self._soupsieve = soupsieve.compile(text)

    def match(self, node: Node) -> bool:
        if self._simple is None:
            return bool(self._soupsieve.match(node))
        return any(complex_.matches(node) for complex_ in self._simple)

    def iselect(self, scope: Node) -> Iterator[Node]:
        """Matching descendants of ``scope`` (not itself), in document order."""
        if self._simple is None:
            yield from self._soupsieve.iselect(scope)
            return
        simple, tags = self._simple, self._tags
        for node in scope.descendants:
            name = node.name
            if name is None or (tags is not None and name not in tags):
                continue
            if any(complex_.matches(node) for complex_ in simple):
                yield node

    def select(self, scope: Node) -> list[Node]:
        return list(self.iselect(scope))

    def select_one(self, scope: Node) -> Node | None:
        return next(self.iselect(scope), None)


@lru_cache(maxsize=512)
def compiled(text: str) -> Selector:
    """The selector for ``text``, compiled once per process."""
    return Selector(text)


def _parse_simple(text: str) -> tuple[_Complex, ...] | None:
    """The selector list, or None when it uses anything beyond the simple kind."""
    if _commas_in_quotes(text):
        return None
    result = []
    for part in text.split(","):
        complex_ = _parse_complex(part.strip())
        if complex_ is None:
            return None
        result.append(complex_)
    return tuple(result)


def _commas_in_quotes(text: str) -> bool:
    return any("," in quoted for quoted in re.findall(r'"([^"]*)"', text))


def _parse_complex(text: str) -> _Complex | None:
    compounds: list[_Compound] = []
    combinators: list[str] = []
    position = 0
    while True:
        match = _COMPOUND.match(text, position)
        if match is None or match.end() == position:
            return None
        compounds.append(_compound(match))
        position = match.end()
        if position == len(text):
            break
        joint = _COMBINATOR.match(text, position)
        if joint is None:
            return None
        combinators.append(">" if ">" in joint.group() else " ")
        position = joint.end()
    return _Complex(tuple(compounds), tuple(combinators))


def _compound(match: re.Match[str]) -> _Compound:
    tag = match.group(1)
    classes: list[str] = []
    ident = None
    attrs: list[tuple[str, str | None, str | None]] = []
    for part in _PART.finditer(match.group(2)):
        class_, id_, name, operator, value = part.groups()
        if class_:
            classes.append(class_)
        elif id_:
            ident = id_
        else:
            name = name.lower()
            attrs.append((name, operator, value.lower() if value and name in _CASELESS_VALUES else value))
    return _Compound(
        tag=None if tag in (None, "*") else tag.lower(),
        classes=tuple(classes),
        ident=ident,
        attrs=tuple(attrs),
    )


def first(selectors: tuple[str, ...], scope: Node, accept: Callable[[Node], bool] = lambda node: True) -> Node | None:
    """The first node accepted, trying each selector in turn."""
    for text in selectors:
        for node in compiled(text).iselect(scope):
            if accept(node):
                return node
    return None
