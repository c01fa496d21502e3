"""The pages for people: index.html, one page per feed, and feeds.opml.

Pure functions from plain values to bytes; publish.py writes them. Every
text is escaped: titles and summaries come from a web page we do not control.
No script: a feed's address is shown as text to copy.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from itertools import groupby

import msgspec

from .models import FeedMeta, Precision

LATEST_ON_INDEX = 20


def escape(text: str, quote: bool = True) -> str:
    """``html.escape``'s result, without importing ``html``: that module loads the
    table of 2,231 character names that unescaping needs (~2 ms of the start-up
    of every refresh that publishes), and nothing here unescapes."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if quote:
        text = text.replace('"', "&quot;").replace("'", "&#x27;")
    return text


class Listing(msgspec.Struct, frozen=True):
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
    html_url: str = ""
    """The feed's own page for people ("" when it has none)."""
    subtitle: str = ""
    label: str | None = None
    """What tells it apart within its group ("français", "Event"); None: its title does."""


class Headline(msgspec.Struct, frozen=True):
    """One item as the index and the feed pages show it, its texts already plain."""

    title: str
    url: str
    when: datetime
    """The item's date as its page gives it, else when it last changed."""
    labels: tuple[str, ...] = ()
    """The category's name, then the page's own label when it says something else."""
    summary: str | None = None
    language: str | None = None
    end: datetime | None = None
    """The last day of a date range ("27-28 June 2023")."""
    precision: Precision = "minute"
    """What ``when`` knows: a day, a month, or a time of day (see ``models.When``)."""


GROUP_NOTES = {
    "Main feed": "Everything, newest first.",
    "By language": "One page of the department, in one language.",
    "By source": "One page of the department each.",
    "By category": "One kind of item: news, events, press releases…",
}
"""What each group of feeds on the index is for, so a person sees which to take."""


def _html_page(language: str | None, title: str, head: Sequence[str], body: Sequence[str]) -> bytes:
    """A whole page: ``title`` and ``head``/``body`` lines already escaped."""
    lines = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(language or "en")}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>",
        *head,
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        *body,
        "</body>",
        "</html>",
    ]
    return ("\n".join(line for line in lines if line) + "\n").encode("utf-8")


def render_index(site: FeedMeta, listings: Sequence[Listing], latest: Sequence[Headline]) -> bytes:
    title = escape(site.title)
    body = [
        f"<h1>{title}</h1>",
        f"<p>{escape(site.subtitle)}</p>",
        (
            "<p>Subscribe by copying a feed's address into your feed reader, or import "
            '<a href="feeds.opml">feeds.opml</a> to get them all.</p>'
        ),
        *_feed_tables(listings),
        *_latest(latest, site.language),
        (
            f'<footer>Mirrors <a href="{escape(site.page_url)}">{escape(site.page_url)}</a>. '
            f"Made by spfeed.</footer>"
        ),
    ]
    return _html_page(site.language, f"{title}: feeds", _autodiscovery(listings), body)


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
    return [tag for listing in wanted for tag in _alternates(listing)]


def _alternates(listing: Listing) -> list[str]:
    title = escape(listing.title)
    return [
        f'<link rel="alternate" type="{kind}" title="{title}" href="{escape(url)}">'
        for kind, url in (
            ("application/atom+xml", listing.atom_url),
            ("application/rss+xml", listing.rss_url),
            ("application/feed+json", listing.json_url),
        )
    ]


def _feed_tables(listings: Sequence[Listing]) -> list[str]:
    lines = []
    for group, members in groupby(listings, key=lambda listing: listing.group):
        lines.append(f"<h2>{escape(group)}</h2>")
        if group in GROUP_NOTES:
            lines.append(f'<p class="note">{escape(GROUP_NOTES[group])}</p>')
        lines.append('<ul class="feeds">')
        for listing in members:
            lang = f' lang="{escape(listing.language)}"' if listing.language else ""
            name = escape(listing.label or listing.title)
            if listing.html_url:
                name = f'<a href="{escape(listing.html_url)}">{name}</a>'
            detail = f' <span class="title">{escape(listing.title)}</span>' if listing.label else ""
            lines.append(
                f"<li{lang}><strong>{name}</strong> ({_count(listing.entries, PAGE_WORDS['en'])}){detail}<br>"
                f"{_format_links(listing)}</li>"
            )
        lines.append("</ul>")
    return lines


def _format_links(listing: Listing) -> str:
    return (
        f'<a href="{escape(listing.atom_url)}">Atom</a> · '
        f'<a href="{escape(listing.rss_url)}">RSS</a> · '
        f'<a href="{escape(listing.json_url)}">JSON Feed</a>'
    )


def _latest(headlines: Sequence[Headline], language: str) -> list[str]:
    if not headlines:
        return []
    lines = ["<h2>Latest items</h2>", '<ol class="latest">']
    for headline in headlines:
        lang = f' lang="{escape(headline.language)}"' if headline.language else ""
        lines.append(
            f"<li{lang}>{shown_date(headline, headline.language or language)} "
            f'<a href="{escape(headline.url)}">{escape(headline.title)}</a>{_labels(headline)}</li>'
        )
    lines.append("</ol>")
    return lines


DATE_FORMS = {
    "en": {"day": "{d} {month} {y}", "day_month": "{d} {month}", "month": "{month} {y}", "time": "{h:02}:{m:02}"},
    "fr": {"day": "{d} {month} {y}", "day_month": "{d} {month}", "month": "{month} {y}", "time": "{h:02}:{m:02}"},
    "es": {
        "day": "{d} de {month} de {y}",
        "day_month": "{d} de {month}",
        "month": "{month} de {y}",
        "time": "{h}:{m:02}",
    },
}
"""Dates as CLDR writes them in each language ("17 September 2023", "17 septembre 2023",
"17 de septiembre de 2023"), with the day and month that start a range ("27 June – 2 July
2023"); another language's page is in English words, its dates too."""


def shown_date(headline: Headline, language: str | None) -> str:
    """The item's date for people, in the page's language, in ``<time>`` elements that give it
    to machines: a day as a date, a range as its two days, a month as a month, a time of day
    with its UTC offset. Only the page knows which: midnight may be a time too."""
    written_in = language if language in DATE_FORMS else "en"
    forms, months = DATE_FORMS[written_in], _months(written_in)
    start, end = headline.when, headline.end
    if headline.precision == "month":
        text = forms["month"].format(month=months[start.month - 1], y=start.year)
        return f'<span class="when">{_time(start.strftime("%Y-%m"), text)}</span>'
    if headline.precision == "day":
        day = _day(start, forms, months)
        if end is None or end.date() <= start.date():
            return f'<span class="when">{_time(start.date().isoformat(), day)}</span>'
        if (start.year, start.month) == (end.year, end.month):
            first, between = str(start.day), "–"
        elif start.year == end.year:
            first, between = forms["day_month"].format(d=start.day, month=months[start.month - 1]), " – "
        else:
            first, between = day, " – "
        last = _time(end.date().isoformat(), _day(end, forms, months))
        return f'<span class="when">{_time(start.date().isoformat(), first)}{between}{last}</span>'
    moments = [start] if end is None or end <= start else [start, end]
    times = [_time(m.isoformat(), f"{_day(m, forms, months)}, {_clock(m, forms)}") for m in moments]
    return f'<span class="when">{" – ".join(times)}</span>'


def _time(machine: str, text: str) -> str:
    return f'<time datetime="{escape(machine)}">{escape(text)}</time>'


def _day(moment: datetime, forms: dict[str, str], months: tuple[str, ...]) -> str:
    return forms["day"].format(d=moment.day, month=months[moment.month - 1], y=moment.year)


def _clock(moment: datetime, forms: dict[str, str]) -> str:
    """'09:00 UTC+01:00': the time of day and the offset it was given with (the page's zone)."""
    offset = moment.utcoffset()
    minutes = round(offset.total_seconds() / 60) if offset else 0
    sign, (hours, rest) = "+" if minutes >= 0 else "-", divmod(abs(minutes), 60)
    zone = f"UTC{sign}{hours:02}:{rest:02}" if minutes else "UTC"
    return f"{forms['time'].format(h=moment.hour, m=moment.minute)} {zone}"


@cache
def _months(language: str) -> tuple[str, ...]:
    from .dates import months_as_written

    return months_as_written(language)


def _labels(headline: Headline) -> str:
    return "".join(f' <span class="label">{escape(label)}</span>' for label in headline.labels)


PAGE_WORDS = {
    "en": {
        "about": "This is the page of a web feed of {items}, newest first, from {page}. "
        "To follow it, copy its address into your feed reader:",
        "address": "The feed's address",
        "formats": "The same feed as",
        "all": "All feeds",
        "one": "1 item",
        "many": "{n} items",
    },
    "fr": {
        "about": "Voici la page d’un flux web de {items}, du plus récent au plus ancien, tirés de {page}. "
        "Pour le suivre, copiez son adresse dans votre lecteur de flux :",
        "address": "L’adresse du flux",
        "formats": "Le même flux en",
        "all": "Tous les flux",
        "one": "1 article",
        "many": "{n} articles",
    },
    "es": {
        "about": "Esta es la página de un canal web de {items}, del más reciente al más antiguo, tomados de {page}. "
        "Para seguirlo, copie su dirección en su lector de canales:",
        "address": "La dirección del canal",
        "formats": "El mismo canal en",
        "all": "Todos los canales",
        "one": "1 artículo",
        "many": "{n} artículos",
    },
}
"""A feed page's own words, in the feed's language (English for the others)."""


def _count(count: int, words: dict[str, str]) -> str:
    return words["one"] if count == 1 else words["many"].format(n=count)


def render_feed_page(listing: Listing, entries: Sequence[Headline], index_href: str) -> bytes:
    """One feed's page: what it is, how to subscribe (its address to copy), its entries."""
    title = escape(listing.title)
    words = PAGE_WORDS.get(listing.language or "en", PAGE_WORDS["en"])
    page_link = f'<a href="{escape(listing.page_url)}">{escape(listing.page_url)}</a>'
    body = [
        f"<h1>{title}</h1>",
        f"<p>{escape(listing.subtitle)}</p>" if listing.subtitle else "",
        '<div class="about">',
        f"<p>{words['about'].format(items=_count(listing.entries, words), page=page_link)}</p>",
        (
            f'<p><input class="subscribe" type="text" readonly value="{escape(listing.atom_url)}" '
            f'aria-label="{words["address"]}" size="60"></p>'
        ),
        f'<p>{words["formats"]} {_format_links(listing)}. <a href="{escape(index_href)}">{words["all"]}</a></p>',
        "</div>",
        *[line for entry in entries for line in _entry(entry, listing.language)],
    ]
    return _html_page(listing.language, title, _alternates(listing), body)


def _entry(entry: Headline, language: str | None) -> list[str]:
    lang = f' lang="{escape(entry.language)}"' if entry.language else ""
    summary = [f"<p>{escape(entry.summary)}</p>"] if entry.summary else []
    return [
        f"<article{lang}>",
        f'<h2><a href="{escape(entry.url)}">{escape(entry.title)}</a></h2>',
        f"<p>{shown_date(entry, entry.language or language)}{_labels(entry)}</p>",
        *summary,
        "</article>",
    ]


CSS = (
    "body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#222}"
    "h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}"
    ".when{color:#666;font-variant-numeric:tabular-nums;margin-right:.5rem}"
    ".label{font-size:.8rem;background:#eef;border-radius:.3rem;padding:0 .3rem;margin-left:.3rem}"
    "ol.latest li{margin:.4rem 0}footer{margin-top:3rem;color:#666;font-size:.9rem}"
    ".note{color:#555;margin-top:-.5rem}ul.feeds li{margin:.4rem 0}.title{color:#666;font-size:.9rem}"
    ".about{background:#f4f4fb;border-radius:.4rem;padding:.2rem 1rem}"
    ".subscribe{width:100%;box-sizing:border-box;font:14px monospace;padding:.3rem}"
    "article{border-top:1px solid #ddd;padding:.2rem 0}article h2{font-size:1.1rem;margin:.6rem 0 .2rem}"
    "article p{margin:.3rem 0}"
)
