"""CSS selectors of the layout profiles, matched on an lxml tree (parse.py's helper).

The profiles' selectors are nearly all of one simple kind (``div.whatsNew
li.item``, ``h3.title a[href]``, ``link[rel="canonical"]``). Those are matched
here with plain attribute checks, element by element, which costs less than
one XPath call per item and field (a 2,000-item page has 12,000 of those).
Any other selector (pseudo-classes such as ``:has()``, sibling combinators,
other attribute operators) is translated to XPath once by cssselect and run
by lxml.

Either way the semantics are the DOM's ``querySelectorAll`` (and soupsieve's):
a selector run inside an element returns that element's descendants that
match, and the ancestors a selector names may lie outside it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

import msgspec

Node = Any
"""An lxml element (typed loosely: lxml ships no type hints)."""

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


class _Compound(msgspec.Struct, frozen=True):
    """One element test: ``tag.class#id[attr][attr="v"][attr~="v"]``."""

    tag: str | None
    classes: tuple[str, ...]
    ident: str | None
    attrs: tuple[tuple[str, str | None, str | None], ...]

    def matches(self, node: Node) -> bool:
        if self.tag is not None and node.tag != self.tag:
            return False
        if self.classes:
            have = node.get("class")
            if have is None:
                return False
            words = have.split()
            for class_ in self.classes:  # a loop, not any(): this runs for every candidate element
                if class_ not in words:
                    return False
        if self.ident is not None and node.get("id") != self.ident:
            return False
        for name, operator, value in self.attrs:
            have = node.get(name)
            if have is None:
                return False
            if operator is None:
                continue
            text = have
            if name in _CASELESS_VALUES:
                text = text.lower()
            if operator == "=" and text != value:
                return False
            if operator == "~=" and value not in text.split():
                return False
        return True


class _Complex(msgspec.Struct, frozen=True):
    """Compounds joined by descendant (" ") or child (">") combinators, subject last."""

    compounds: tuple[_Compound, ...]
    combinators: tuple[str, ...]
    """combinators[i] joins compounds[i] and compounds[i + 1]."""

    def matches(self, node: Node) -> bool:
        if not self.compounds[-1].matches(node):
            return False
        return len(self.compounds) == 1 or self._ancestors_match(node, len(self.compounds) - 2)

    def _ancestors_match(self, node: Node, index: int) -> bool:
        if index < 0:
            return True
        compound, combinator = self.compounds[index], self.combinators[index]
        if combinator == ">":
            parent = node.getparent()
            return parent is not None and compound.matches(parent) and self._ancestors_match(parent, index - 1)
        # lxml walks up past the ancestors of other tags without calling back.
        ancestors = node.iterancestors(compound.tag) if compound.tag else node.iterancestors()
        for ancestor in ancestors:  # noqa: SIM110 - a loop costs less than any() over a generator here
            if compound.matches(ancestor) and self._ancestors_match(ancestor, index - 1):
                return True
        return False


class Descendants:
    """An element's descendant elements, listed once.

    An item's fields are all looked up among the same few elements: listing
    them (and their tag names) once costs less than walking the item's
    subtree again for each of its seven or so selectors.
    """

    def __init__(self, element: Node) -> None:
        from lxml.etree import Element  # as a filter: elements only, no comments

        self.element = element
        self.nodes = list(element.iterdescendants(Element))
        self.tags = [node.tag for node in self.nodes]


class Selector:
    """A compiled selector list: ``select``, ``select_one`` and ``match``."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._simple = _parse_simple(text)
        self._xpath: Any = None
        # Most elements fail on their tag name: lxml can skip those in C.
        subjects = [c.compounds[-1].tag for c in self._simple or ()]
        self._tags: tuple[str, ...] = ()
        if self._simple and None not in subjects:
            self._tags = tuple(dict.fromkeys(tag for tag in subjects if tag is not None))
        self._matches: Callable[[Node], bool] = self.match
        if self._simple is None:
            self._xpath = _xpath(text)
        elif len(self._simple) == 1:
            self._matches = self._simple[0].matches

    def match(self, node: Node) -> bool:
        if self._simple is None:
            return any(found is node for found in self._xpath(node.getroottree().getroot()))
        for complex_ in self._simple:  # noqa: SIM110 - a loop costs less than any() over a generator here
            if complex_.matches(node):
                return True
        return False

    def iselect(self, scope: Node | Descendants) -> Iterator[Node]:
        """Matching descendants of ``scope`` (not itself), in document order."""
        if isinstance(scope, Descendants):
            return self._among(scope)
        if self._simple is None:
            return self._select_by_xpath(scope)
        from lxml.etree import Element  # as a filter: elements only, no comments

        candidates = scope.iterdescendants(*self._tags) if self._tags else scope.iterdescendants(Element)
        return filter(self._matches, candidates)

    def _among(self, scope: Descendants) -> Iterator[Node]:
        if self._simple is None:
            return self._select_by_xpath(scope.element)
        if not self._tags:
            return filter(self._matches, scope.nodes)
        tags, matches = self._tags, self._matches
        return (node for node, tag in zip(scope.nodes, scope.tags, strict=True) if tag in tags and matches(node))

    def _select_by_xpath(self, scope: Node) -> Iterator[Node]:
        # Run over the whole document, then keep scope's descendants: so the
        # ancestors the selector names may lie outside scope (DOM semantics).
        root = scope.getroottree().getroot()
        for node in self._xpath(root):
            if node is not scope and (scope is root or any(a is scope for a in node.iterancestors())):
                yield node

    def select(self, scope: Node) -> list[Node]:
        return list(self.iselect(scope))

    def select_one(self, scope: Node) -> Node | None:
        return next(self.iselect(scope), None)


def _xpath(text: str) -> Any:
    from cssselect import HTMLTranslator
    from lxml import etree

    return etree.XPath(HTMLTranslator().css_to_xpath(text, prefix="descendant-or-self::"))


def check(text: str) -> str | None:
    """What is wrong with ``text`` as a selector (cssselect's words), or None."""
    from cssselect import HTMLTranslator, SelectorError

    try:
        HTMLTranslator().css_to_xpath(text)
    except SelectorError as e:
        return str(e).splitlines()[0] if str(e) else type(e).__name__
    return None


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


def first(
    selectors: tuple[str, ...], scope: Node | Descendants, accept: Callable[[Node], bool] = lambda node: True
) -> Node | None:
    """The first node accepted, trying each selector in turn."""
    for text in selectors:
        for node in compiled(text).iselect(scope):
            if accept(node):
                return node
    return None
