"""Print how spfeed reads each corpus page transformed without changing what a reader sees (Markdown).

    .venv/bin/python benchmarks/metamorphic.py [--transform NAME ...] [--details]

Every page with golden items (fixtures/corpus/ and held-out sets 1-6) goes
through every transform of tests/metamorphic.py; spfeed's items on the
transformed page are compared with its items on the page itself (read by
tests/corpus.py's ``extract``, same base URL and language). One table per
transform: pages read identically, the original read's fields kept, its
items lost and the extra items; then the goldens' score of each transform
beside the original's, and per page the transforms that change it.
``--json FILE`` writes the pages each transform reads identically (the
ratchet tests/metamorphic_invariant.json, to be reviewed before it is
committed). See docs/generality.md, "Metamorphic robustness".
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

from tests.corpus import extract, load_golden
from tests.fieldscore import Score, score, summary_cells, total
from tests.metamorphic import ALL_TRANSFORMS, Outcome, corpus_shapes, measure, page_name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transform", action="append", choices=ALL_TRANSFORMS, help="only these (repeatable)")
    parser.add_argument("--details", action="store_true", help="list each changed field of each changed page")
    parser.add_argument("--json", type=Path, help="write {transform: [pages read identically]} to this file")
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # the fallback's warning on every page

    names = args.transform or list(ALL_TRANSFORMS)
    shapes = corpus_shapes()
    started = time.process_time()
    outcomes = list(measure(shapes, names))
    seconds = time.process_time() - started
    by_transform: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_transform[outcome.transform].append(outcome)

    print(f"{len(shapes)} pages x {len(names)} transforms ({seconds:.1f} s CPU):\n")
    print(invariance_table(by_transform))
    originals = total(
        score(extract(s.path, base_url=s.base_url, language=s.language), load_golden(s.golden_path)) for s in shapes
    )
    print("\nAgainst the goldens (fields exact / total, items missing, extra):\n")
    print(golden_table(originals, by_transform))
    print("\nPages a transform changes:\n")
    changed: dict[str, list[str]] = defaultdict(list)
    for outcome in outcomes:
        if not outcome.identical:
            changed[outcome.page].append(outcome.transform)
    for page in (page_name(s) for s in shapes):
        if changed.get(page):
            print(f"- {page}: {', '.join(changed[page])}")
    if args.details:
        print()
        for outcome in outcomes:
            _print_details(outcome)
    if args.json:
        invariant = {name: sorted(o.page for o in by_transform[name] if o.identical) for name in names}
        args.json.write_text(json.dumps(invariant, indent=1, ensure_ascii=False) + "\n", "utf-8")


def invariance_table(by_transform: dict[str, list[Outcome]]) -> str:
    head = ["transform", "pages read identically", "fields kept", "%", "items lost", "extra items", "order"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    rows = [*by_transform.items(), ("**all but roundtrip**", _all_but_roundtrip(by_transform))]
    for name, outcomes in rows:
        kept = total(o.kept for o in outcomes)
        same = sum(o.identical for o in outcomes)
        cells = [name, f"{same}/{len(outcomes)}", *summary_cells(kept)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _all_but_roundtrip(by_transform: dict[str, list[Outcome]]) -> list[Outcome]:
    return [o for name, outcomes in by_transform.items() if name != "roundtrip" for o in outcomes]


def golden_table(originals: Score, by_transform: dict[str, list[Outcome]]) -> str:
    head = ["page as", "fields", "%", "missing", "extra"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    rows = [("original", originals), *((name, total(o.golden for o in outs)) for name, outs in by_transform.items())]
    for name, one in rows:
        cells = [name, f"{one.fields_exact}/{one.fields_total}", f"{100 * one.ratio:.1f}"]
        cells += [str(len(one.missing)), str(len(one.extra))]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _print_details(outcome: Outcome) -> None:
    where = f"{outcome.page} [{outcome.transform}]"
    for url in outcome.kept.missing:
        print(f"- {where}: lost {url}")
    for url in outcome.kept.extra:
        print(f"- {where}: extra {url}")
    for m in outcome.kept.mismatches:
        if m.url not in outcome.kept.missing:
            print(f"- {where}: {m.field} of {m.url}: was {m.expected!r}, now {m.found!r}")


if __name__ == "__main__":
    main()
