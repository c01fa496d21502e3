"""Coverage-guided fuzzing of full text (atheris): any bytes as an item's own page.

The bytes are decoded as a fetched page is and read as an article (its text,
authors, time, lead image, language, tags); the article is stored as the
store keeps it, read back, dates its listing item (one with a date, one
without), which is recorded as the store does, and is published in Atom,
RSS and JSON Feed. Only ParseError (not an article: the item is published
from the listing) is expected; anything else raised, an article that does not
read back as it was stored, a naive time, or a feed that is not well-formed is
a crash.

    python fuzz/fuzz_fulltext.py -atheris_runs=100000 CORPUS fixtures/articles   # see docs/reliability.md
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import atheris

with atheris.instrument_imports():
    from lxml import etree

    from spfeed.article import extract_article
    from spfeed.errors import ParseError
    from spfeed.fetch import decode_html
    from spfeed.fulltext import Stored, decode, encode, precise_date
    from spfeed.models import FeedEntry, FeedMeta, Item, When
    from spfeed.publish import render_atom, render_json, render_rss
    from spfeed.store import first_updated, utc_text

URL = "https://www.ilo.org/resource/news/social-protection-for-all"
GENEVA = ZoneInfo("Europe/Zurich")
META = FeedMeta(title="ILO news", subtitle="News", page_url=URL, public_url="https://feeds.example.org/")
NOW = datetime(2024, 5, 1, tzinfo=UTC)
LISTED = When(start=datetime(2024, 3, 1, tzinfo=GENEVA))
XML = etree.XMLParser(resolve_entities=False, no_network=True)


def test_one_input(data: bytes) -> None:
    try:
        article = extract_article(decode_html(data, None), URL, timezone=GENEVA)
    except ParseError:
        return
    for moment in (article.published.start if article.published else None, article.modified):
        assert moment is None or moment.tzinfo is not None, article
    stored = encode(Stored(article=article))
    assert encode(decode(stored)) == stored, stored  # what the store holds reads back the same
    entries = []
    for listed in (LISTED, None):  # a listing that gives a date, and one that gives none
        item = Item(id=URL, title="Social protection for all", url=URL, published=listed)
        published = precise_date(item, article.published)
        if published is not None:
            utc_text(published.start)  # as the store records it
        item = Item(id=URL, title=item.title, url=URL, published=published)
        entries.append(Stored(article=article).applied_to(FeedEntry(item=item, updated=first_updated(item, NOW))))
    etree.fromstring(render_atom(entries, META), XML)
    etree.fromstring(render_rss(entries, META), XML)
    json.loads(render_json(entries, META))


def main() -> None:
    logging.disable(logging.WARNING)
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
