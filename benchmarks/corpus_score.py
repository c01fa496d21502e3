"""Print the generality table: each corpus shape x each field, exact / total (Markdown).

    .venv/bin/python benchmarks/corpus_score.py [--builtin] [--holdout] [--holdout-2] [--holdout-3] [--details]

The corpus (fixtures/corpus/manifest.toml) is read as ``spfeed scrape`` reads
it; ``--builtin`` adds a table of the built-in fixtures read with
``--profile fallback`` against the goldens their profiles reproduce;
``--holdout`` adds the held-out set (fixtures/corpus-holdout/), pages written
unseen by the fallback's author, in a table of its own; ``--holdout-2`` the second
held-out set (fixtures/corpus-holdout-2/), likewise, and ``--holdout-3`` the third
(fixtures/corpus-holdout-3/). Each was scored unseen once, then fixed against
(docs/generality.md says which figure is which). ``--details`` lists every field
that differs in the tables printed. Paste into docs/generality.md.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.corpus import (
    HELD_OUT_SETS,
    builtin_fixtures,
    load_shapes,
    score_builtin_with_fallback,
    score_shape,
)
from tests.fieldscore import Score, details, markdown_table

# Each held-out set: its name (the flag: --holdout-3), its title in the tables, and its history.
HELD_OUT = (
    ("holdout", "Held-out set", "built after the rewrite; the fallback was since fixed against it"),
    ("holdout-2", "Second held-out set", "written unseen; the fallback was since fixed against it"),
    ("holdout-3", "Third held-out set", "scored once on the final code; since fixed against it"),
    ("holdout-4", "Fourth held-out set", "written blind; the fallback was since fixed against it"),
    ("holdout-5", "Fifth held-out set", "written blind; the fallback was since fixed against it"),
    ("holdout-6", "Sixth held-out set", "written blind; the fallback was since fixed against it"),
    ("holdout-7", "Seventh held-out set", "written blind; the fallback was since fixed against it"),
    ("holdout-8", "Eighth held-out set", "written blind; scored once unseen at 95.5 %, since fixed against it"),
    ("holdout-9", "Ninth held-out set",
        (
            "other languages (de, pt, ar, zh, ru), written blind; scored once unseen at 48.0 %, then read by "
            "general mechanisms for other languages"
        ),
    ),
    (
        "holdout-10", "Tenth held-out set",
        "ten languages, written blind; scored once unseen at 82.2 %, since fixed against it",
    ),
    ("holdout-11", "Eleventh held-out set", "written blind; scored once unseen at 59.0 %, since fixed against it"),
    ("holdout-12", "Twelfth held-out set", "written blind in session 6; held out (76.0 % at the start, unseen)"),
    ("holdout-13", "Thirteenth held-out set", "written blind in session 6, ten other languages; held out"),
    ("holdout-14", "Fourteenth held-out set", "written blind in session 6, mixed languages; held out"),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--builtin", action="store_true", help="also score the forced fallback on fixtures/*.html")
    for key, title, _ in HELD_OUT:
        parser.add_argument(
            f"--{key}", action="store_true", help=f"also score the {title.lower()}, fixtures/{HELD_OUT_SETS[key].name}/"
        )
    parser.add_argument("--details", action="store_true", help="list every field that differs")
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # the fallback's warning on every page

    corpus = [(shape.file, score_shape(shape)) for shape in load_shapes()]
    print("Corpus, `spfeed scrape` (profile detection, then the generic fallback):\n")
    print(markdown_table(corpus))
    if args.builtin:
        builtin = [(page.name, score_builtin_with_fallback(page)) for page in builtin_fixtures()]
        print("\nBuilt-in fixtures, `spfeed scrape --profile fallback` against their profiles' goldens:\n")
        print(markdown_table(builtin))
        corpus += builtin
    for key, name, history in HELD_OUT:
        if getattr(args, key.replace("-", "_")):
            folder = HELD_OUT_SETS[key]
            scores = [(shape.file, score_shape(shape)) for shape in load_shapes(folder)]
            print(f"\n{name}, `spfeed scrape` ({history}):\n")
            print(markdown_table(scores))
            corpus += scores
    if args.details:
        print()
        for name, result in corpus:
            _print_details(name, result)


def _print_details(name: str, result: Score) -> None:
    for line in details(result):
        print(f"- {name}: {line}")


if __name__ == "__main__":
    main()
