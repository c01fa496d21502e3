"""Print how spfeed reads generated listing pages, overall and by axis value (Markdown).

    .venv/bin/python benchmarks/synthetic.py [--pages 500] [--first 0] [--worst 20] [--page SEED ...] [--json FILE]

Pages are tests/synthetic.py's ``generate(seed)`` for seeds ``first`` ..
``first + pages - 1`` (fixed: the same seeds give the same pages), read as
``spfeed scrape --json`` reads a page and scored by tests/fieldscore.py as
benchmarks/corpus_score.py scores the corpus: fields exact, golden items
missing, extra items, order. Then one table per axis: each value's pages,
the pages read whole (every field exact, nothing extra), its fields and
items, so the weakest shapes stand out. ``--worst N`` lists the N pages that
lost the most fields with their sites; ``--page SEED`` prints one page, its
site and every field read differently; ``--json FILE`` writes each page's
score (the ratchet tests/synthetic_scores.json, to be reviewed before it is
committed). See docs/generality.md, "Synthetic listings".
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fieldscore import FIELDS, Score, details, score, summary_cells, total
from tests.synthetic import AXES, Generated, generate, read


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=500, help="how many pages (default 500)")
    parser.add_argument("--first", type=int, default=0, help="the first seed (default 0)")
    parser.add_argument("--worst", type=int, default=0, help="list the N pages that lost the most fields")
    parser.add_argument("--page", type=int, action="append", default=[], help="show one page and its misses")
    parser.add_argument("--json", type=Path, help="write {seed: [fields exact, missing, extra]} to this file")
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # the fallback's warning on every page

    if args.page:
        for seed in args.page:
            show_page(generate(seed))
        return
    started = time.process_time()
    results = [(g, score(read(g), g.golden)) for g in map(generate, range(args.first, args.first + args.pages))]
    seconds = time.process_time() - started
    print(f"{len(results)} generated pages, seeds {args.first}-{args.first + args.pages - 1} ({seconds:.1f} s CPU):\n")
    print(field_table(results))
    for axis in AXES:
        print(f"\nBy {axis}:\n")
        print(axis_table(axis, results))
    if args.worst:
        print("\nThe pages that lost the most fields:\n")
        ranked = sorted(results, key=_loss)
        for g, one in ranked[: args.worst]:
            print(f"- {g.site.seed}: {one.fields_exact}/{one.fields_total}, extra {len(one.extra)}; {_site(g)}")
    if args.json:
        rows = (f"{json.dumps(str(g.site.seed))}: {json.dumps(page_score(one))}" for g, one in results)
        args.json.write_text("{\n" + ",\n".join(rows) + "\n}\n", "utf-8")  # a page a line: diffs say which


def page_score(one: Score) -> list[int]:
    """What the ratchet keeps of a page's score: fields exact, golden items missing, extra items."""
    return [one.fields_exact, len(one.missing), len(one.extra)]


def field_table(results: list[tuple[Generated, Score]]) -> str:
    head = [*FIELDS, "fields", "%", "missing", "extra", "order", "pages read whole"]
    summed = total(one for _, one in results)
    cells = [*(f"{summed.exact[f]}/{summed.total[f]}" for f in FIELDS), *summary_cells(summed), _whole(results)]
    return "\n".join(["| " + " | ".join(head) + " |", "|" + "---|" * len(head), "| " + " | ".join(cells) + " |"])


def axis_table(axis: str, results: list[tuple[Generated, Score]]) -> str:
    by_value: dict[str, list[tuple[Generated, Score]]] = defaultdict(list)
    for result in results:
        by_value[result[0].site.values[axis]].append(result)
    head = [axis, "pages", "read whole", "fields", "%", "missing", "extra", "order"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for value in sorted(by_value, key=lambda v: total(s for _, s in by_value[v]).ratio):
        group = by_value[value]
        cells = [value, str(len(group)), _whole(group), *summary_cells(total(s for _, s in group))]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _loss(result: tuple[Generated, Score]) -> tuple[int, int]:
    g, one = result
    return one.fields_exact - one.fields_total - len(one.extra), g.site.seed


def _whole(results: list[tuple[Generated, Score]]) -> str:
    return f"{sum(1 for _, one in results if one.ratio == 1 and not one.extra)}/{len(results)}"


def _site(g: Generated) -> str:
    return " ".join(f"{axis}={value}" for axis, value in g.site.values.items())


def show_page(g: Generated) -> None:
    found = read(g)
    one = score(found, g.golden)
    print(f"seed {g.site.seed}: {_site(g)}")
    print(f"fields {one.fields_exact}/{one.fields_total}, missing {len(one.missing)}, extra {len(one.extra)}\n")
    print(g.page.decode("utf-8"))
    print()
    for line in details(one):
        print(f"- {line}")


if __name__ == "__main__":
    main()
