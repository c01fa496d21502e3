"""The pages that help people find the feeds: index.html and feeds.opml.

Pure functions from plain values to bytes; publish.py writes them. Every
text is escaped: titles and summaries come from a web page we do not control.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape
from itertools import groupby

from .models import FeedMeta

LATEST_ON_INDEX = 20


@dataclass(frozen=True)
class Listing:
    """One feed as the index page and the OPML file show it."""

    title: str
    group: str
    """A heading to list it under ("Main feed", "By category", ...)."""
    atom_url: str
    rss_url: str
    json_url: str
    page_url: str
    language: str | None
    entries: int


@dataclass(frozen=True)
class Headline:
    """One recent item on the index page, its texts already plain."""

    title: str
    url: str
    when: datetime
    label: str | None = None
    language: str | None = None


def render_index(site: FeedMeta, listings: Sequence[Listing], latest: Sequence[Headline]) -> bytes:
    lang = escape(site.language or "en")
    title = escape(site.title)
    lines = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}: feeds</title>",
        *_autodiscovery(listings),
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{title}</h1>",
        f"<p>{escape(site.subtitle)}</p>",
        (
            "<p>Subscribe by copying a feed's address into your feed reader, or import "
            '<a href="feeds.opml">feeds.opml</a> to get them all.</p>'
        ),
        *_feed_tables(listings),
        *_latest(latest),
        (
            f'<footer>Mirrors <a href="{escape(site.page_url)}">{escape(site.page_url)}</a>. '
            f"Made by spfeed.</footer>"
        ),
        "</body>",
        "</html>",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def render_opml(site: FeedMeta, listings: Sequence[Listing]) -> bytes:
    """OPML 2.0: one outline per feed (its Atom flavour), grouped as on the index."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        "  <head>",
        f"    <title>{escape(site.title)}</title>",
        "  </head>",
        "  <body>",
    ]
    for group, members in groupby(listings, key=lambda listing: listing.group):
        lines.append(f'    <outline text="{escape(group)}" title="{escape(group)}">')
        lines += [f"      {_outline(listing)}" for listing in members]
        lines.append("    </outline>")
    lines += ["  </body>", "</opml>"]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _outline(listing: Listing) -> str:
    attrs = {
        "type": "rss",
        "text": listing.title,
        "title": listing.title,
        "xmlUrl": listing.atom_url,
        "htmlUrl": listing.page_url,
    }
    if listing.language:
        attrs["language"] = listing.language
    return "<outline " + " ".join(f'{k}="{escape(v)}"' for k, v in attrs.items()) + "/>"


def _autodiscovery(listings: Sequence[Listing]) -> list[str]:
    # The main feed and the per-source ones; dozens of category feeds in the
    # <head> would drown the reader's "subscribe" menu.
    wanted = [listing for listing in listings if listing.group != "By category"]
    tags = []
    for listing in wanted:
        title = escape(listing.title)
        for kind, url in (
            ("application/atom+xml", listing.atom_url),
            ("application/rss+xml", listing.rss_url),
            ("application/feed+json", listing.json_url),
        ):
            tags.append(f'<link rel="alternate" type="{kind}" title="{title}" href="{escape(url)}">')
    return tags


def _feed_tables(listings: Sequence[Listing]) -> list[str]:
    lines = []
    for group, members in groupby(listings, key=lambda listing: listing.group):
        lines += [f"<h2>{escape(group)}</h2>", "<ul>"]
        for listing in members:
            lang = f' lang="{escape(listing.language)}"' if listing.language else ""
            lines.append(
                f"<li{lang}><strong>{escape(listing.title)}</strong> ({_items(listing.entries)}): "
                f'<a href="{escape(listing.atom_url)}">Atom</a> · '
                f'<a href="{escape(listing.rss_url)}">RSS</a> · '
                f'<a href="{escape(listing.json_url)}">JSON Feed</a></li>'
            )
        lines.append("</ul>")
    return lines


def _latest(headlines: Sequence[Headline]) -> list[str]:
    if not headlines:
        return []
    lines = ["<h2>Latest items</h2>", '<ol class="latest">']
    for headline in headlines:
        when = headline.when
        lang = f' lang="{escape(headline.language)}"' if headline.language else ""
        label = f' <span class="label">{escape(headline.label)}</span>' if headline.label else ""
        lines.append(
            f'<li{lang}><time datetime="{when.isoformat()}">{when.date().isoformat()}</time> '
            f'<a href="{escape(headline.url)}">{escape(headline.title)}</a>{label}</li>'
        )
    lines.append("</ol>")
    return lines


_CSS = (
    "body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#222}"
    "h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}"
    "time{color:#666;font-variant-numeric:tabular-nums;margin-right:.5rem}"
    ".label{font-size:.8rem;background:#eef;border-radius:.3rem;padding:0 .3rem;margin-left:.3rem}"
    "ol.latest li{margin:.4rem 0}footer{margin-top:3rem;color:#666;font-size:.9rem}"
)


def _items(count: int) -> str:
    return f"{count} item" if count == 1 else f"{count} items"
