"""The generic fallback against the layout profile, on the same generated page (issue 13).

    .venv/bin/python benchmarks/fallback_vs_profile.py [--items 2000] [--runs 15]
    .venv/bin/python benchmarks/run.py --only fallback      # the same, from the suite

One process reads the page (``make_page.py``: the legacy department layout,
which the ``ilo-legacy`` profile reads) both ways, alternating, after one
warm-up read each: ``parse_page`` as a refresh calls it (the profile found by
detection) and with ``profile="fallback"``, then each followed by
``normalize_items`` (what ``spfeed scrape`` does before printing). Every
figure is the median of ``--runs``; the ratio is fallback / profile, in CPU
time (this machine's two cores are shared: wall time is printed too, but CPU
time is what the code costs). The target: fallback <= 1.2x the profile.

It also checks that both ways give the same raw items: a faster fallback
that reads the page worse would be no answer.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
TARGET = 1.2


def measure(read: Callable[[], Any]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one call."""
    cpu, wall = time.process_time(), time.perf_counter()
    read()
    return time.process_time() - cpu, time.perf_counter() - wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    sys.path[:0] = [str(ROOT), str(BENCH)]
    from make_page import make_page

    from spfeed.normalize import Context, normalize_items
    from spfeed.parse import FALLBACK, parse_page

    logging.disable(logging.WARNING)  # "no layout profile matched": expected here
    html = make_page(args.items)
    url = "https://www.ilo.org/secsoc/lang--en/index.htm"
    context = Context.for_page(url)
    ways: dict[str, Callable[[], Any]] = {
        "parse, profile": lambda: parse_page(html, url),
        "parse, fallback": lambda: parse_page(html, url, profile=FALLBACK),
        "parse + normalize, profile": lambda: normalize_items(parse_page(html, url).items, context),
        "parse + normalize, fallback": lambda: normalize_items(parse_page(html, url, profile=FALLBACK).items, context),
    }
    profile, fallback = parse_page(html, url), parse_page(html, url, profile=FALLBACK)
    same = profile.items == fallback.items
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in ways}
    for read in ways.values():
        read()  # warm-up: imports, the date lexicon, caches
    for _ in range(args.runs):
        for name, read in ways.items():  # alternating, so that a busy moment hits both ways
            times[name].append(measure(read))
    cpu = {name: statistics.median(t[0] for t in runs) for name, runs in times.items()}
    wall = {name: statistics.median(t[1] for t in runs) for name, runs in times.items()}
    print(f"### Fallback vs profile: {args.items:,} items ({profile.profile}: {len(profile.items)}, "
          f"fallback: {len(fallback.items)}, same raw items: {'yes' if same else 'NO'}), median of {args.runs} runs")
    print()
    print("| path | profile CPU ms | fallback CPU ms | ratio (CPU) | profile wall ms | fallback wall ms | target |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for path in ("parse", "parse + normalize"):
        mine, theirs = f"{path}, fallback", f"{path}, profile"
        ratio = cpu[mine] / cpu[theirs]
        verdict = "met" if ratio <= TARGET else "MISSED"
        print(f"| {path} | {cpu[theirs] * 1000:.1f} | {cpu[mine] * 1000:.1f} | **{ratio:.2f}x** | "
              f"{wall[theirs] * 1000:.1f} | {wall[mine] * 1000:.1f} | <= {TARGET}x: {verdict} |")


if __name__ == "__main__":
    main()
