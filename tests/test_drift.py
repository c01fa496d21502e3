"""drift.py: what counts as a sharp drop, and which fields are held."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from spfeed.drift import Drift, hold_vanished_fields, recent_yields, sharp_drop
from spfeed.models import Item, When


@pytest.mark.parametrize(
    ("found", "recent", "drop_from"),
    [
        (1, [7], 7),
        (3, [7, 7, 7], 7),  # fewer than half, four fewer
        (4, [7], None),  # more than half
        (1, [3], None),  # 3 to 1: two fewer is an edit, not a broken page
        (1, [4], 4),
        (1, [], None),  # nothing to compare with
        (2, [7, 2], 7),  # the upper median of two: one drop does not make the page small
        (2, [7, 2, 2], None),  # the third small refresh in a row: the page shrank
        (7, [20, 20, 20, 20, 20, 7, 7, 7, 7, 7], None),  # only the last five count: 7 is usual now
    ],
)
def test_sharp_drop(found, recent, drop_from):
    assert sharp_drop(found, recent) == drop_from


def test_recent_yields_keep_the_last_five():
    assert recent_yields([1, 2, 3, 4, 5], 6) == [2, 3, 4, 5, 6]


def item(n: int, **fields: object) -> Item:
    values: dict[str, object] = {
        "id": f"https://www.ilo.org/{n}",
        "title": f"T{n}",
        "url": f"https://www.ilo.org/{n}",
        "published": When(start=datetime(2023, 5, n, tzinfo=UTC)),
        "category": "News",
        "category_slug": "news",
        "summary": f"S{n}",
        "image": f"https://www.ilo.org/{n}.jpg",
    }
    values.update(fields)
    return Item(**values)  # type: ignore[arg-type]


def test_every_field_gone_from_every_item_is_held():
    stored = {i.id: i for i in (item(1), item(2))}
    nothing = {"published": None, "category": None, "category_slug": None, "summary": None, "image": None}
    bare = [item(1, **nothing), item(2, **nothing), item(3, summary=None)]
    # Item 3 is new: it has a date, label and image, so only the summary is gone from all.
    held_items, held = hold_vanished_fields(bare, stored)
    assert held == ("summary",)
    assert [i.summary for i in held_items] == ["S1", "S2", None]
    assert held_items[0].category is None  # item 3 still shows labels: not held


def test_a_field_only_one_stored_item_had_is_not_held():
    stored = {i.id: i for i in (item(1), item(2, summary=None))}
    items, held = hold_vanished_fields([item(1, summary=None), item(2, summary=None)], stored)
    assert held == () and items[0].summary is None


def test_a_category_that_is_only_the_type_before_the_date_shows_no_label():
    # The labels are gone; item 2 keeps "Press release | 2 May 2023", which normalize makes its label.
    stored = {i.id: i for i in (item(1), item(2))}
    typed = When(start=datetime(2023, 5, 2, tzinfo=UTC), kind="Press release")
    page = [item(1, category=None, category_slug=None),
            item(2, published=typed, category="Press release", category_slug="press-release")]
    held_items, held = hold_vanished_fields(page, stored)
    assert held == ("category",)
    assert [i.category for i in held_items] == ["News", "News"]


def test_drift_notes_say_what_happened():
    assert Drift().notes() == []
    drift = Drift(held=("category", "summary"), found=1, drop_from=7, learned="learned-en", replaced="ilo-legacy")
    notes = drift.notes()
    assert notes == [
        "the layout changed (was 'ilo-legacy'): read with the profile 'learned-en' learned from the stored items",
        "1 item where recent refreshes found 7: none marked gone",
        "the page shows no category, no summary any more: the stored values were kept",
    ]
