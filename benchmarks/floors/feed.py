"""Floor of a first refresh: read a page, find its items by XPath, write Atom and RSS with feedgen.

    python benchmarks/floors/feed.py (--url URL | --file PATH) --items XPATH --title XPATH
        --link XPATH [--summary XPATH] --out DIR

With ``--url``, the page is fetched with requests (one GET); with ``--file``,
read from disk. lxml parses it (libxml2's HTML parser, as spfeed does), each
item's title, link and summary are read by XPath relative to the item, and
feedgen writes every item to ``DIR/atom.xml`` and ``DIR/rss.xml``. Nothing
else: no dates read, no store, no other files. It prints the item count.
"""

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin

import lxml.etree
from feedgen.feed import FeedGenerator


def main() -> None:
    parser = argparse.ArgumentParser()
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--url")
    where.add_argument("--file", type=Path)
    parser.add_argument("--items", required=True)
    parser.add_argument("--title", required=True)
    parser.add_argument("--link", required=True)
    parser.add_argument("--summary")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    if args.url:
        import requests

        response = requests.get(args.url, timeout=30)
        response.raise_for_status()
        body, base = response.content, args.url
    else:
        body, base = args.file.read_bytes(), "https://www.ilo.org/"
    root = lxml.etree.fromstring(body, lxml.etree.HTMLParser())
    updated = datetime(2024, 1, 1, tzinfo=UTC)
    feed = FeedGenerator()
    feed.id(base)
    feed.title("Floor")
    feed.subtitle("Floor")
    feed.author({"name": "ILO"})
    feed.link(href=base, rel="alternate")
    feed.updated(updated)
    items = root.xpath(args.items)
    for item in reversed(items):
        link = urljoin(base, item.xpath(args.link)[0])
        entry = feed.add_entry()
        entry.id(link)
        entry.title(" ".join(item.xpath(args.title)).strip())
        entry.link(href=link)
        entry.updated(updated)
        if args.summary:
            summary = " ".join(item.xpath(args.summary)).strip()
            if summary:
                entry.summary(summary)
    args.out.mkdir(parents=True, exist_ok=True)
    feed.atom_file(str(args.out / "atom.xml"), pretty=True)
    feed.rss_file(str(args.out / "rss.xml"), pretty=True)
    print(len(items))


if __name__ == "__main__":
    sys.exit(main())
