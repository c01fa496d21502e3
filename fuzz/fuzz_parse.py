"""Coverage-guided fuzzing of the page parser, the normalizer and the publisher (atheris).

Any bytes are decoded as a fetched page is, parsed, normalized and, when items
come out, rendered as Atom, RSS and JSON Feed. Only ParseError (a page with no
items) is expected; anything else raised, or a feed that is not well-formed,
is a crash that atheris reports with the input that caused it.

    python fuzz/fuzz_parse.py -atheris_runs=100000 fuzz/corpus/parse   # see docs/reliability.md
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

import atheris

with atheris.instrument_imports():
    from lxml import etree

    from spfeed.errors import ParseError
    from spfeed.fetch import decode_html
    from spfeed.models import FeedEntry, FeedMeta
    from spfeed.normalize import Context, normalize_items
    from spfeed.parse import parse_page
    from spfeed.publish import render_atom, render_json, render_rss

PAGE_URL = "https://www.ilo.org/secsoc/lang--en/index.htm"
META = FeedMeta(title="ILO news", subtitle="News", page_url=PAGE_URL, public_url="https://feeds.example.org/")
NOW = datetime(2024, 5, 1, tzinfo=UTC)
XML = etree.XMLParser(resolve_entities=False, no_network=True)


def test_one_input(data: bytes) -> None:
    try:
        parsed = parse_page(decode_html(data, None), PAGE_URL)
    except ParseError:
        return
    items = normalize_items(parsed.items, Context.for_page(parsed.base_url))
    if not items:
        return
    entries = [FeedEntry(item=item, updated=item.published.start if item.published else NOW) for item in items]
    etree.fromstring(render_atom(entries, META), XML)
    etree.fromstring(render_rss(entries, META), XML)
    json.loads(render_json(entries, META))


def main() -> None:
    logging.disable(logging.WARNING)  # "no layout matched" for most inputs: expected, and noisy
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
