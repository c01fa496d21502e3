"""Score extracted items against golden items, field by field.

Both sides are lists in the ``spfeed scrape --json`` format (title, url,
published, end, category, summary, image), in page order. Items are matched
by canonical URL (as normalize.py makes ids), so a link that differs only by
``http``/``https``, tracking parameters or a trailing slash still finds its
golden item; the ``url`` field itself is then compared as written, because
the feed should carry the plain link.

Every field of every golden item counts once: exact (text compared with its
whitespace collapsed; ``null`` equals ``null``) or not. A golden item that was
not found loses all its fields. Items found that the golden does not have
(or a second copy of one it has) are false positives, counted apart, and an
order that differs from the page's is reported with how many items are out
of place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from spfeed.normalize import canonical_url

FIELDS = ("title", "url", "published", "end", "category", "summary", "image")

Row = Mapping[str, Any]


@dataclass(frozen=True)
class Mismatch:
    """One golden field the extraction got wrong (or missed with its item)."""

    url: str
    field: str
    expected: Any
    found: Any


@dataclass
class Score:
    """How one extraction (or several, summed) compares with its golden items."""

    exact: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    total: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    missing: list[str] = field(default_factory=list)
    """Golden URLs with no extracted item."""
    extra: list[str] = field(default_factory=list)
    """Extracted URLs not in the golden, or repeating one already matched."""
    out_of_order: int = 0
    """Matched items to move for the page order to be right (0: order kept)."""
    mismatches: list[Mismatch] = field(default_factory=list)

    @property
    def fields_exact(self) -> int:
        return sum(self.exact.values())

    @property
    def fields_total(self) -> int:
        return sum(self.total.values())

    @property
    def ratio(self) -> float:
        """Share of golden fields extracted exactly (1.0 for an empty golden)."""
        return self.fields_exact / self.fields_total if self.fields_total else 1.0

    @property
    def order_ok(self) -> bool:
        return self.out_of_order == 0

    def __add__(self, other: Score) -> Score:
        return Score(
            exact={f: self.exact[f] + other.exact[f] for f in FIELDS},
            total={f: self.total[f] + other.total[f] for f in FIELDS},
            missing=[*self.missing, *other.missing],
            extra=[*self.extra, *other.extra],
            out_of_order=self.out_of_order + other.out_of_order,
            mismatches=[*self.mismatches, *other.mismatches],
        )


def score(found: Sequence[Row], golden: Sequence[Row]) -> Score:
    """Compare ``found`` with ``golden`` (both in page order)."""
    result = Score()
    by_id: dict[str, tuple[int, Row]] = {}
    found_order: list[int] = []
    golden_index = {_identity(row): i for i, row in reversed(list(enumerate(golden)))}
    for row in found:
        identity = _identity(row)
        if identity not in golden_index or identity in by_id:
            result.extra.append(str(row.get("url")))
            continue
        by_id[identity] = (golden_index[identity], row)
        found_order.append(golden_index[identity])
    seen_golden: set[str] = set()
    for expected in golden:
        identity = _identity(expected)
        if identity in seen_golden:
            continue  # a golden should not repeat an item; count it once
        seen_golden.add(identity)
        match = by_id.get(identity)
        if match is None:
            result.missing.append(str(expected["url"]))
        for name in FIELDS:
            result.total[name] += 1
            got = match[1].get(name) if match is not None else None
            if match is not None and _same(expected.get(name), got):
                result.exact[name] += 1
            else:
                result.mismatches.append(Mismatch(str(expected["url"]), name, expected.get(name), got))
    result.out_of_order = len(found_order) - _longest_increasing_run(found_order)
    return result


def total(scores: Iterable[Score]) -> Score:
    summed = Score()
    for one in scores:
        summed = summed + one
    return summed


def _identity(row: Row) -> str:
    return canonical_url(" ".join(str(row.get("url") or "").split()))


def _same(expected: Any, found: Any) -> bool:
    if isinstance(expected, str) and isinstance(found, str):
        return " ".join(expected.split()) == " ".join(found.split())
    return bool(expected == found)


def _longest_increasing_run(values: Sequence[int]) -> int:
    """Length of the longest increasing subsequence (patience sorting)."""
    from bisect import bisect_left

    tails: list[int] = []
    for value in values:
        at = bisect_left(tails, value)
        if at == len(tails):
            tails.append(value)
        else:
            tails[at] = value
    return len(tails)


def markdown_table(rows: Sequence[tuple[str, Score]]) -> str:
    """Shapes x fields (exact/total), with missing, extra, order and the share, plus an overall row."""
    head = ["shape", *FIELDS, "fields", "%", "missing", "extra", "order"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, one in [*rows, ("**overall**", total(s for _, s in rows))]:
        cells = [name, *(f"{one.exact[f]}/{one.total[f]}" for f in FIELDS), *summary_cells(one)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def details(one: Score) -> list[str]:
    """Every difference, one line each: the golden items missing, the extra ones, each field read otherwise."""
    lines = [f"missing {url}" for url in one.missing] + [f"extra {url}" for url in one.extra]
    lines += [f"{m.field} of {m.url}: expected {m.expected!r}, found {m.found!r}" for m in one.mismatches
              if m.url not in one.missing]
    return lines


def summary_cells(one: Score) -> list[str]:
    """A score's last columns in the tables: fields exact/total, %, missing, extra, order."""
    return [
        f"{one.fields_exact}/{one.fields_total}",
        f"{100 * one.ratio:.1f}",
        str(len(one.missing)),
        str(len(one.extra)),
        "ok" if one.order_ok else f"{one.out_of_order} moved",
    ]
