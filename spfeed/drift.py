"""A refresh that reads a page worse than before must not rewrite history. Pure.

Two signs that the page, not the news, changed:

- a field the page's items showed before (label, summary, image, date) comes
  back empty for every one of them: the markup moved, the items did not lose
  it. The stored values are kept, so nothing looks "updated" to a reader;
- far fewer items than the recent refreshes found (7, then 1): the page is
  half-broken or read wrongly. That refresh marks no item gone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import msgspec
from msgspec.structs import replace

if TYPE_CHECKING:
    from .models import Item

RECENT_REFRESHES = 5
"""How many refreshes' yields make "the recent refreshes"."""
HELD_FIELDS = ("category", "summary", "image", "date")
_MIN_SHOWN = 2
"""Stored items of the page that must have shown a field before its absence means anything."""
_FALLBACK = "fallback"
"""parse.FALLBACK, the generic fallback's name (not imported: a refresh of an
unchanged page must not import the parser)."""
_MIN_DROP = 3
"""A sharp drop loses at least this many items (2 to 1 is an edit, not a broken page)."""


class Drift(msgspec.Struct, frozen=True):
    """What a refresh noticed about how the page was read."""

    held: tuple[str, ...] = ()
    """Fields the page no longer showed for any item: the stored values were kept."""
    found: int = 0
    drop_from: int | None = None
    """The recent refreshes' yield, when this one found sharply fewer items."""
    learned: str | None = None
    """The name of a profile learned from history at this refresh."""
    replaced: str | None = None
    """The profile that read the page at the previous refresh, when another reads it now."""

    def notes(self) -> list[str]:
        """One phrase per thing noticed, for the summary line and the log."""
        notes = []
        if self.learned:
            profile = f"the profile '{self.learned}'"
            if self.replaced == self.learned:
                notes.append(f"the layout changed again: {profile} was learned anew from the stored items")
            elif self.replaced == _FALLBACK:
                notes.append(f"read with {profile} learned from the stored items (the generic fallback read it before)")
            else:
                was = f" (was '{self.replaced}')" if self.replaced else ""
                notes.append(f"the layout changed{was}: read with {profile} learned from the stored items")
        if self.drop_from is not None:
            notes.append(
                f"{self.found} item{'s' if self.found != 1 else ''} where recent refreshes found {self.drop_from}: "
                "none marked gone"
            )
        if self.held:
            notes.append(f"the page shows no {', no '.join(self.held)} any more: the stored values were kept")
        return notes


def sharp_drop(found: int, recent: Sequence[int]) -> int | None:
    """The recent yield (the median of the last five refreshes) when ``found``
    is less than half of it and at least ``_MIN_DROP`` items fewer; else None.

    The drops themselves count as refreshes: a page that really shrank is
    taken at its word on the third small refresh in a row.
    """
    if not recent:
        return None
    usual = _upper_median(recent[-RECENT_REFRESHES:])
    if found * 2 < usual and usual - found >= _MIN_DROP:
        return usual
    return None


def _upper_median(values: Sequence[int]) -> int:
    # The upper one of an even count: after one drop (7, 1) the page is still a 7-item page.
    # Not statistics.median: importing it costs an unchanged refresh more than this.
    return sorted(values)[len(values) // 2]


def recent_yields(previous: Sequence[int], found: int) -> list[int]:
    """The yields to remember after a refresh that found ``found`` items."""
    return [*previous, found][-RECENT_REFRESHES:]


def hold_vanished_fields(items: Sequence[Item], stored: Mapping[str, Item]) -> tuple[list[Item], tuple[str, ...]]:
    """``items`` with the stored values of each field that no item shows any
    more though at least two of the page's stored items showed it; and those fields.

    Items the store does not know have nothing to keep.
    """
    known = [stored[item.id] for item in items if item.id in stored]
    held = tuple(
        name
        for name in HELD_FIELDS
        if not any(_has(item, name) for item in items) and sum(_has(old, name) for old in known) >= _MIN_SHOWN
    )
    if not held:
        return list(items), ()
    return [_with_stored(item, stored.get(item.id), held) for item in items], held


def _has(item: Item, name: str) -> bool:
    if name == "date":
        return item.published is not None
    if name == "category" and item.published is not None and item.category == item.published.kind:
        return False  # only the type before its date (normalize's label for an item with none): no label shown
    return getattr(item, name) is not None


def _with_stored(item: Item, old: Item | None, held: tuple[str, ...]) -> Item:
    if old is None:
        return item
    kept: dict[str, dict[str, object]] = {
        "category": {"category": old.category, "category_slug": old.category_slug},
        "summary": {"summary": old.summary},
        "image": {"image": old.image},
        "date": {"published": old.published},
    }
    changes = {key: value for name in held for key, value in kept[name].items()}
    return replace(item, **changes)
