"""What spfeed's record types cost per instance, beside other code's (not part of pytest).

    .venv/bin/python benchmarks/records.py [--before DIR] [--rounds 3] [--runs 15] [--items 2000]

In a fresh process per measurement, the records a refresh of ``--items`` items
builds: for each item a ``RawItem``, a ``When``, a ``replace()`` of it, an
``Item`` and a ``FeedEntry``, then a hash and an ``==`` of the item; the median
CPU time of ``--runs`` (and the minimum). With ``--before DIR`` (a checkout of
other code, e.g. before the records became msgspec Structs) the two alternate,
``--rounds`` times, so both see the same machine. Start-up is not timed here:
``profile_refresh.py`` shows what defining the classes costs.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def child(root: str, items: int, runs: int) -> None:
    """Build the records with the spfeed at ``root``; print the timings as JSON."""
    sys.path.insert(0, root)
    from datetime import UTC, datetime

    from spfeed import models

    if hasattr(models.Item, "__struct_fields__"):
        from msgspec.structs import replace
    else:  # dataclasses, as before the records were Structs
        from dataclasses import replace  # type: ignore[assignment]

    start = datetime(2024, 5, 1, tzinfo=UTC)

    def build() -> list[object]:
        built: list[object] = []
        for n in range(items):
            raw = models.RawItem(title=f"Item {n}", url=f"/news/{n}.htm", date_text="1 May 2024", label="News")
            when = replace(models.When(start=start, precision="day"), kind="Press release")
            item = models.Item(id=f"https://www.ilo.org{raw.url}", title=raw.title, url=raw.url, published=when,
                               category=raw.label, category_slug="news", summary="A teaser.")
            built.append((models.FeedEntry(item=item, updated=start), hash(item), item == item))
        return built

    build()  # warm-up
    spent = []
    for _ in range(runs):
        started = time.process_time()
        build()
        spent.append(time.process_time() - started)
    spent.sort()
    kind = "msgspec.Struct" if hasattr(models.Item, "__struct_fields__") else "dataclass"
    print(json.dumps({"kind": kind, "median": spent[len(spent) // 2], "min": spent[0]}))


def measure(root: Path, items: int, runs: int) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(root.resolve()), "--items", str(items), "--runs", str(runs)],
        capture_output=True, text=True, check=True, cwd=root,
    )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, metavar="DIR", help="a checkout of other code, measured alternately")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--child", metavar="ROOT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.items, args.runs)
        return
    checkouts = {"now": ROOT, **({"before": args.before} if args.before else {})}
    print(f"### Records per instance: {args.items:,} x (RawItem, When, replace(When), Item, FeedEntry, "
          f"hash, ==), CPU ms, median (min) of {args.runs}\n")
    print("| round | " + " | ".join(f"{label} ({path})" for label, path in checkouts.items()) + " |")
    print("| --- |" + " ---: |" * len(checkouts))
    for number in range(1, args.rounds + 1):
        order = list(checkouts.items()) if number % 2 else list(checkouts.items())[::-1]
        found = {label: measure(path, args.items, args.runs) for label, path in order}
        cells = [f"{found[label]['kind']}: {found[label]['median'] * 1000:.1f} ({found[label]['min'] * 1000:.1f})"
                 for label in checkouts]
        print(f"| {number} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
