"""Synthetic listing pages: known items rendered by a randomly drawn "site".

The truth is known by construction: ``generate(seed)`` draws a site (one
value of each axis in ``AXES``: the item's container, its title element, the
order of its fields, the date form and language, the class names, the page's
chrome, its sections, the damage done to its markup, the links' form) and a
list of real ILO items (the golden items of fixtures/*.items.json and
fixtures/corpus/*.items.json: title, link, label, summary, picture), gives
them dates, renders them, and returns the page with its golden items in the
``spfeed scrape --json`` format, ready for tests/fieldscore.py.

Dates are rendered by Babel from CLDR's patterns (``format_date``,
``format_skeleton``, ``format_interval``, the locale's date-time pattern), not
by anything spfeed's date reader knows, so the generator does not share the
parser's assumptions. Titles stay in the items' own language (English for the
languages the fixtures do not have); the page's ``lang`` and the reader's
language are the site's.

Only what a person reading the page would call the listing's items is
golden: a sidebar of dated announcements, a "last updated" box, the pager
and the menus are chrome. benchmarks/synthetic.py scores spfeed on many
pages by axis value; tests/test_synthetic.py checks the generator and keeps
the ratchet.
"""

from __future__ import annotations

import hashlib
import html
import json
import random
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
ZONE = ZoneInfo("Europe/Zurich")  # the reader's default page zone: a time with no zone is read in it
BASE_URL = "https://www.ilo.org/social-protection/news"

AXES: dict[str, tuple[str, ...]] = {
    "container": ("li", "article", "div", "tr", "dl", "figure", "custom", "a_card"),
    "title": ("h2", "h3", "h4", "h5", "strong", "link", "div", "read_more"),
    "date_form": ("numeric", "medium", "long", "abbreviated", "weekday", "month", "range", "time", "none"),
    "date_place": ("before_title", "after_title", "after_summary"),
    "date_tag": ("time_attr", "time", "span", "p", "small", "div"),
    "language": ("en", "fr", "es", "de", "pt", "it", "nl", "pl", "ja", "zh", "ar", "ru", "hi"),
    "label": ("none", "first", "last", "date_line"),
    "label_tag": ("span", "link", "p"),
    "image": ("none", "first", "after_title", "last"),
    "summary": ("none", "p", "div"),
    "classes": ("semantic", "none", "hashed", "utility", "foreign"),
    "chrome": ("none", "light", "full", "sidebar"),
    "sections": ("one", "two", "three", "box"),
    "damage": ("none", "end_tags_omitted", "unclosed_div", "stray_end_tags", "upper_case", "unquoted", "mixed"),
    "links": ("absolute", "relative"),
}
"""Each axis and its values; a site takes one value of each (a few pairs are redrawn: see ``_draw_site``)."""

READ_MORE = {
    "en": "Read more", "fr": "Lire la suite", "es": "Leer más", "de": "Weiterlesen", "pt": "Leia mais",
    "it": "Leggi di più", "nl": "Lees meer", "pl": "Czytaj więcej", "ja": "続きを読む", "zh": "阅读更多",
    "ar": "اقرأ المزيد", "ru": "Подробнее", "hi": "और पढ़ें",
}  # fmt: skip
SECTION_TITLES = ("Latest news", "Featured", "Press releases")
ANNOUNCEMENTS = (
    "Call for experts: actuarial review", "Vacancy: social protection officer", "Webinar registration open",
    "Consultation on the draft guidelines",
)  # fmt: skip
_SEPARATORS = (" | ", " · ", " — ")  # not " / ": it would run into a numeric date's own slashes

# Class names by scheme and role.
_SEMANTIC = {
    "list": "news-list", "item": "news-item", "title": "news-item__title", "date": "news-item__date",
    "label": "news-item__category", "summary": "news-item__teaser", "image": "news-item__image",
    "more": "news-item__more", "section": "news-section",
}  # fmt: skip
_UTILITY = {
    "list": "grid grid-cols-1 gap-6 md:grid-cols-3", "item": "flex flex-col gap-2 rounded-lg border p-4",
    "title": "text-lg font-semibold leading-tight", "date": "text-sm text-gray-500",
    "label": "text-xs uppercase tracking-wide text-blue-700", "summary": "text-base text-gray-700 line-clamp-3",
    "image": "w-full h-48 object-cover", "more": "mt-auto text-blue-700 underline", "section": "my-8",
}  # fmt: skip
_FOREIGN = (
    {"list": "liste-actualites", "item": "actualite", "title": "titre", "date": "date-publication",
     "label": "rubrique", "summary": "chapo", "image": "vignette", "more": "lien-suite", "section": "bloc"},
    {"list": "meldungen", "item": "meldung", "title": "ueberschrift", "date": "datum", "label": "rubrik",
     "summary": "anriss", "image": "bild", "more": "weiter", "section": "bereich"},
    {"list": "lista-noticias", "item": "noticia", "title": "titular", "date": "fecha", "label": "seccion",
     "summary": "entradilla", "image": "imagen", "more": "mas", "section": "bloque"},
)  # fmt: skip


@dataclass(frozen=True)
class Site:
    """One value of each axis, and the seed that drew it (for hashed names)."""

    values: dict[str, str]
    seed: int
    details: dict[str, Any] = field(default_factory=dict)
    """Smaller choices no axis names: the date line's separator and order, a picture's link, foreign names."""

    def __getattr__(self, name: str) -> str:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None


@dataclass(frozen=True)
class Generated:
    page: bytes
    site: Site
    golden: list[dict[str, Any]]
    """The items in ``spfeed scrape --json`` form, in page order."""
    shown: list[dict[str, str]]
    """Per golden item, its date as the page shows it (as Babel wrote it), when it has one."""
    decoys: list[str] = field(default_factory=list)
    """Dated links on the page that are no items (sidebar announcements)."""
    language: str = "en"
    base_url: str = BASE_URL


# -- the items --------------------------------------------------------------------------------------------------------


POOL = Path(__file__).with_name("synthetic_items.json")
"""The items, frozen (``collect_pool``): a golden edited or added elsewhere must not change every page."""
_LANGUAGES_WITH_ITEMS = ("en", "fr", "es")


def collect_pool() -> dict[str, list[dict[str, Any]]]:
    """Real items from the goldens, one per link, by language (en, fr, es: the pages' own)."""
    files = sorted((ROOT / "fixtures").glob("*.items.json")) + sorted((ROOT / "fixtures/corpus").glob("*.items.json"))
    pool: dict[str, dict[str, dict[str, Any]]] = {language: {} for language in _LANGUAGES_WITH_ITEMS}
    for path in files:
        language = next((part for part in path.name.split(".") if part in pool), "en")
        for row in json.loads(path.read_text("utf-8")):
            if row.get("title") and row.get("url"):
                kept = {key: row.get(key) for key in ("title", "url", "category", "summary", "image")}
                pool[language].setdefault(row["url"], kept)
    return {language: list(rows.values()) for language, rows in pool.items()}


@cache
def item_pool() -> dict[str, tuple[dict[str, Any], ...]]:
    frozen: dict[str, list[dict[str, Any]]] = json.loads(POOL.read_text("utf-8"))
    return {language: tuple(rows) for language, rows in frozen.items()}


def _items(rng: random.Random, language: str, count: int) -> list[dict[str, Any]]:
    rows = item_pool()[language if language in ("fr", "es") else "en"]
    labels = sorted({row["category"] for row in rows if row.get("category")})
    items = []
    for row in rng.sample(rows, count):
        image = row.get("image") or f"https://www.ilo.org/sites/default/files/styles/card/public/{_slug(row['url'])}.jpg"
        items.append(
            {
                "title": " ".join(row["title"].split()),
                "url": row["url"],
                "category": row.get("category") or rng.choice(labels),
                "summary": " ".join(row["summary"].split()) if row.get("summary") else None,
                "image": image,
            }
        )
    return items


def _slug(url: str) -> str:
    return hashlib.sha1(url.encode()).hexdigest()[:10]


# -- the site ---------------------------------------------------------------------------------------------------------


def _draw_site(rng: random.Random, seed: int, fixed: dict[str, str] | None = None) -> Site:
    values = {axis: rng.choice(choices) for axis, choices in AXES.items()} | (fixed or {})
    # Pairs no real page has: a figure is a picture with its caption; a <dl> starts with its term
    # (the title or the date); a card that is one link holds no other link.
    if values["container"] == "figure" and values["image"] in ("none", "after_title"):
        values["image"] = rng.choice(("first", "last"))
    if values["container"] == "dl":
        values["image"] = rng.choice(("none", "after_title", "last"))
        values["label"] = rng.choice(("none", "last", "date_line"))
    if values["container"] == "a_card":
        values["title"] = rng.choice(("h2", "h3", "h4", "h5", "strong", "div", "read_more"))
        values["label_tag"] = rng.choice(("span", "p"))
    if values["date_form"] == "none" and values["label"] == "date_line":
        values["label"] = "last" if values["container"] == "dl" else "first"  # no date line: beside the title
    values |= fixed or {}  # what the caller fixed wins (it asks for a pair on purpose)
    details = {
        "separator": rng.choice(_SEPARATORS),
        "label_before_date": rng.random() < 0.5,
        "linked_image": rng.random() < 0.4,
        "foreign": rng.choice(_FOREIGN),
        "sidebar_first": rng.random() < 0.3,
    }
    return Site(values, seed, details)


# -- dates ------------------------------------------------------------------------------------------------------------


def _dates(rng: random.Random, count: int) -> list[datetime]:
    """Newest first, a few days apart, at a plausible time of day in Geneva."""
    day = date(2022, 1, 1) + timedelta(days=rng.randrange(0, 365 * 4))
    out = []
    for _ in range(count):
        out.append(datetime(day.year, day.month, day.day, rng.choice((8, 9, 10, 11, 14, 15, 16, 17)),
                            rng.choice((0, 15, 30, 45)), tzinfo=ZONE))  # fmt: skip
        day -= timedelta(days=rng.randrange(0, 21))
    return out


def render_date(when: datetime, form: str, language: str, end: datetime | None = None) -> str:
    """The date as CLDR writes it in ``language`` (Babel), in the form the axis names."""
    from babel.dates import format_date, format_interval, format_skeleton, format_time, get_datetime_format

    day = when.date()
    if form == "numeric":
        return str(format_skeleton("yMd", day, locale=language))
    if form == "medium":
        return str(format_date(day, "medium", locale=language))
    if form == "long":
        return str(format_date(day, "long", locale=language))
    if form == "abbreviated":
        return str(format_skeleton("yMMMd", day, locale=language))
    if form == "weekday":
        return str(format_date(day, "full", locale=language))
    if form == "month":
        return str(format_skeleton("yMMMM", day, locale=language))
    if form == "range":
        assert end is not None
        return str(format_interval(day, end.date(), "yMMMd", locale=language))
    if form == "time":
        pattern = str(get_datetime_format("medium", locale=language))
        shown_day = str(format_date(day, "medium", locale=language))
        shown_time = str(format_time(when, "short", tzinfo=ZONE, locale=language))
        return pattern.replace("{1}", shown_day).replace("{0}", shown_time)
    raise ValueError(form)


def _machine_date(when: datetime, form: str) -> str:
    if form == "month":
        return when.strftime("%Y-%m")
    if form == "time":
        return when.isoformat()
    return when.date().isoformat()


def _golden_dates(when: datetime, form: str, end: datetime | None) -> tuple[str | None, str | None]:
    if form == "none":
        return None, None
    if form == "month":
        return when.strftime("%Y-%m"), None
    if form == "time":
        return when.isoformat(), None
    return when.date().isoformat(), end.date().isoformat() if end is not None else None


# -- markup -----------------------------------------------------------------------------------------------------------


class _Html:
    """Writes elements the way the site's (possibly broken) template does."""

    OPTIONAL_END = frozenset(("li", "dt", "dd", "td", "tr"))

    def __init__(self, site: Site) -> None:
        self.site = site
        damage = site.damage
        self.upper = damage in ("upper_case", "mixed")
        self.unquoted = damage in ("unquoted", "mixed")
        self.omit_end = damage in ("end_tags_omitted", "mixed")
        self.unclosed_div = damage in ("unclosed_div", "mixed")
        self.stray = damage in ("stray_end_tags", "mixed")
        self.scheme = site.classes
        self.foreign: dict[str, str] = site.details["foreign"]

    def class_of(self, role: str) -> str | None:
        if self.scheme == "semantic":
            return _SEMANTIC[role]
        if self.scheme == "utility":
            return _UTILITY[role]
        if self.scheme == "foreign":
            return self.foreign[role]
        if self.scheme == "hashed":
            return "css-" + hashlib.sha1(f"{self.site.seed}:{role}".encode()).hexdigest()[:6]
        return None

    def attrs(self, pairs: dict[str, str | None]) -> str:
        out = []
        for name, value in pairs.items():
            if value is None:
                continue
            if self.unquoted and value and not re.search(r"[\s\"'=<>`]", value):
                out.append(f" {name}={html.escape(value, quote=False)}")
            else:
                out.append(f' {name}="{html.escape(value)}"')
        return "".join(out)

    def el(self, tag: str, inner: str, kind: str | None = None, *, close: bool = True, **attrs: str | None) -> str:
        """``<tag class=(the class of kind) attrs>inner</tag>`` (an attribute's ``_`` written ``-``)."""
        pairs = {"class": self.class_of(kind) if kind else None, **{k.replace("_", "-"): v for k, v in attrs.items()}}
        name = tag.upper() if self.upper else tag
        end = f"</{name}>" if close and not (self.omit_end and tag in self.OPTIONAL_END) else ""
        return f"<{name}{self.attrs(pairs)}>{inner}{end}"

    def void(self, tag: str, kind: str | None = None, **attrs: str | None) -> str:
        pairs = {"class": self.class_of(kind) if kind else None, **attrs}
        return f"<{tag.upper() if self.upper else tag}{self.attrs(pairs)}>"

    def stray_end(self) -> str:
        if not self.stray:
            return ""
        return "</span></font>" if not self.upper else "</SPAN></FONT>"


def _href(url: str, site: Site) -> str:
    parts = urlsplit(url)
    if site.links == "relative" and parts.netloc == urlsplit(BASE_URL).netloc:
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return url


def _text(value: str) -> str:
    return html.escape(value, quote=False)


def _item_parts(h: _Html, item: dict[str, Any], shown_date: str | None, machine: str | None) -> list[tuple[str, str]]:
    """The item's fields as (kind, markup), in the site's order."""
    site = h.site
    href = _href(item["url"], site)
    in_card = site.container == "a_card"
    title_text = _text(item["title"])
    if site.title == "link":
        title = h.el("a", title_text, "title", href=href)
    elif site.title == "read_more" or in_card:
        title = h.el(site.title if site.title != "read_more" else "h3", title_text, "title")
    else:
        title = h.el(site.title, h.el("a", title_text, href=href), "title")
    title += h.stray_end()
    parts: list[tuple[str, str]] = [("title", title)]
    if site.summary != "none" and item["summary"]:
        parts.append(("summary", h.el(site.summary, _text(item["summary"]), "summary")))
    label_markup = ""
    if site.label != "none":
        label_text = _text(item["category"])
        if site.label_tag == "link":
            label_markup = h.el("a", label_text, "label", href=f"/topics/{_slug(item['category'])}")
        else:
            label_markup = h.el("span" if site.label == "date_line" else site.label_tag, label_text, "label")
    if shown_date is not None:
        date_tag = site.date_tag
        attrs = {"datetime": machine} if date_tag == "time_attr" else {}
        inner = h.el("time" if date_tag.startswith("time") else "span", _text(shown_date), "date", **attrs)
        if site.label == "date_line":
            pair = (label_markup, inner) if site.details["label_before_date"] else (inner, label_markup)
            inner = site.details["separator"].join(pair)
        line = inner if date_tag in ("time_attr", "time", "span") and site.label != "date_line" else None
        date_markup = line if line is not None else h.el(date_tag if date_tag in ("p", "small", "div") else "p", inner)
        at = {"before_title": 0, "after_title": 1, "after_summary": len(parts)}[site.date_place]
        parts.insert(at, ("date", date_markup))
    if label_markup and site.label == "first":
        parts.insert(0, ("label", label_markup))
    elif label_markup and site.label == "last":
        parts.append(("label", label_markup))
    if site.image != "none":
        image = h.void("img", "image", src=_href(item["image"], site), alt="")
        if not in_card and site.container != "figure" and site.details["linked_image"]:
            image = h.el("a", image, href=href)
        place = {"first": 0, "last": len(parts), "after_title": _index(parts, "title") + 1}[site.image]
        parts.insert(place, ("image", image))
    if site.title == "read_more":
        more = READ_MORE[site.language]
        parts.append(("more", h.el("span", more, "more") if in_card else h.el("a", _text(more), "more", href=href)))
    if h.unclosed_div:  # the template's first wrapper never closed: what follows nests in it
        kind, markup = parts[0]
        parts[0] = (kind, h.el("div", markup, close=False))
    return parts


def _index(parts: list[tuple[str, str]], kind: str) -> int:
    return next(i for i, (k, _) in enumerate(parts) if k == kind)


def _item(h: _Html, parts: list[tuple[str, str]], item: dict[str, Any]) -> str:
    site = h.site
    body = "".join(markup for _, markup in parts)
    container = site.container
    if container == "li":
        return h.el("li", body, "item")
    if container == "article":
        return h.el("article", body, "item")
    if container == "div":
        return h.el("div", body, "item")
    if container == "custom":
        return h.el("news-card", body, "item")
    if container == "a_card":
        return h.el("a", h.el("div", body), "item", href=_href(item["url"], site))
    if container == "figure":
        image = next(markup for kind, markup in parts if kind == "image")
        caption = h.el("figcaption", "".join(markup for kind, markup in parts if kind != "image"))
        inner = image + caption if site.image == "first" else caption + image
        return h.el("figure", inner, "item")
    if container == "tr":
        cells = [markup for kind, markup in parts if kind != "summary"]
        if any(kind == "summary" for kind, _ in parts):  # the summary sits under the title, in its cell
            at = [kind for kind, _ in parts if kind != "summary"].index("title")
            cells[at] += next(markup for kind, markup in parts if kind == "summary")
        return h.el("tr", "".join(h.el("td", cell) for cell in cells), "item")
    if container == "dl":
        first, *rest = parts
        return h.el("dt", first[1], "item") + "".join(h.el("dd", markup) for _, markup in rest)
    raise ValueError(container)


def _listing(h: _Html, rows: list[str]) -> str:
    container = h.site.container
    if container == "li":
        return h.el("ul", "".join(rows), "list")
    if container == "tr":
        return h.el("table", h.el("tbody", "".join(rows)), "list")
    if container == "dl":
        return h.el("dl", "".join(rows), "list")
    return h.el("div", "".join(rows), "list")


# -- chrome -----------------------------------------------------------------------------------------------------------


def _menu(h: _Html, links: list[tuple[str, str]]) -> str:
    return h.el("ul", "".join(h.el("li", h.el("a", _text(text), href=href)) for text, href in links))


def _chrome(h: _Html, rng: random.Random, dates: list[datetime]) -> tuple[str, str, str, str, list[str]]:
    """(before the listing, after it, the sidebar, the footer, the sidebar's links)."""
    level = h.site.chrome
    top = after = sidebar = footer = ""
    decoys: list[str] = []
    if level == "none":
        return top, after, sidebar, footer, decoys
    nav = [("Home", "/"), ("About us", "/about"), ("Topics", "/topics"), ("Publications", "/publications")]
    top = h.el("header", h.el("nav", _menu(h, nav)))
    footer = h.el(
        "footer",
        h.el("p", "© 2024 International Labour Organization")
        + _menu(h, [("Privacy", "/privacy"), ("Terms of use", "/terms"), ("Contact", "/contact")]),
    )
    if level == "light":
        return top, after, sidebar, footer, decoys
    cookie = h.el(
        "div",
        h.el("p", "This site uses cookies to improve your experience. " + h.el("a", "Learn more", href="/cookies"))
        + h.el("button", "Accept"),
        role="dialog",
    )
    crumbs = h.el("nav", h.el("ol", "".join(
        [h.el("li", h.el("a", "Home", href="/")), h.el("li", h.el("a", "News", href="/news")), h.el("li", "Latest")]
    )), aria_label="Breadcrumb")  # fmt: skip
    top = cookie + top + crumbs
    pager = h.el("nav", " ".join(
        [h.el("a", "1", href="?page=0"), h.el("a", "2", href="?page=1"), h.el("a", "3", href="?page=2"),
         h.el("a", "Next »", href="?page=1")]
    ), aria_label="Pagination")  # fmt: skip
    after = pager
    if level == "sidebar":
        form = h.site.date_form if h.site.date_form not in ("none", "range") else "long"
        entries = []
        for n, text in enumerate(rng.sample(ANNOUNCEMENTS, 3)):
            when = dates[0] - timedelta(days=3 + 9 * n)
            href = f"/announcements/{when:%Y%m%d}-{n}"
            decoys.append(href)
            entries.append(
                h.el("li", h.el("a", _text(text), href=href) + h.el("br", "", close=False)
                     + h.el("span", _text(render_date(when, form, h.site.language))))
            )  # fmt: skip
        sidebar = h.el("aside", h.el("h2", "Announcements") + h.el("ul", "".join(entries)))
    return top, after, sidebar, footer, decoys


def _box(h: _Html, when: datetime) -> str:
    """A dated box that is no item: when the page was last updated, and whom to ask."""
    form = h.site.date_form if h.site.date_form not in ("none", "range", "month") else "long"
    return h.el(
        "div",
        h.el("h2", "About this page")
        + h.el("p", "Last updated: " + _text(render_date(when, form, h.site.language)))
        + h.el("p", h.el("a", "Contact the department", href="/contact")),
    )


# -- the page ---------------------------------------------------------------------------------------------------------


def _random(seed: int) -> random.Random:
    return random.Random(f"spfeed-synthetic-{seed}")


def site_of(seed: int) -> Site:
    """The site ``generate(seed)`` renders (drawn first, so cheaply known alone)."""
    return _draw_site(_random(seed), seed)


def generate(seed: int, **fixed: str) -> Generated:
    """The page of ``seed``, its site and its golden items (deterministic); ``fixed`` axes take the values given."""
    rng = _random(seed)
    site = _draw_site(rng, seed, fixed)
    sections = {"one": 1, "box": 1, "two": 2, "three": 3}[site.sections]
    count = rng.randint(max(4, 2 * sections), 10)
    items = _items(rng, site.language, count)
    dates = _dates(rng, count)
    h = _Html(site)
    golden: list[dict[str, Any]] = []
    shown: list[dict[str, str]] = []
    rows: list[str] = []
    for item, when in zip(items, dates, strict=True):
        end = when + timedelta(days=rng.randint(1, 20)) if site.date_form == "range" else None
        form = site.date_form
        shown_date = None if form == "none" else render_date(when, form, site.language, end)
        machine = None if form == "none" else _machine_date(when, form)
        parts = _item_parts(h, item, shown_date, machine)
        rows.append(_item(h, parts, item) + h.stray_end())
        published, last = _golden_dates(when, form, end)
        kinds = {kind for kind, _ in parts}
        golden.append(
            {
                "title": item["title"],
                "url": item["url"],
                "published": published,
                "end": last,
                "category": item["category"] if "label" in kinds or site.label == "date_line" else None,
                "summary": item["summary"] if "summary" in kinds else None,
                "image": item["image"] if "image" in kinds else None,
            }
        )
        shown.append({"date": shown_date} if shown_date else {})
    top, after, sidebar, footer, decoys = _chrome(h, rng, dates)
    cuts = sorted(rng.sample(range(1, count), sections - 1)) if sections > 1 else []
    blocks = []
    for n, (start, stop) in enumerate(zip([0, *cuts], [*cuts, count], strict=True)):
        heading = h.el("h2", SECTION_TITLES[n]) if sections > 1 else ""
        blocks.append(h.el("section", heading + _listing(h, rows[start:stop]), "section"))
    main = h.el("main", h.el("h1", "News") + "".join(blocks) + after)
    if site.sections == "box":
        main += _box(h, dates[0] + timedelta(days=2))
    body = top + (sidebar + main if site.details["sidebar_first"] else main + sidebar) + footer
    page = (
        f'<!DOCTYPE html>\n<html lang="{site.language}"><head><meta charset="utf-8">'
        f"<title>News | Social Protection</title></head><body>{body}</body></html>\n"
    )
    return Generated(page.encode("utf-8"), site, golden, shown, decoys, site.language)


def read(generated: Generated) -> list[dict[str, Any]]:
    """spfeed's items on the page, read as ``spfeed scrape --json`` reads a page ([] when none)."""
    from spfeed.cli import item_json
    from spfeed.config import Source
    from spfeed.errors import ParseError
    from spfeed.page import Page
    from spfeed.pipeline import read_page

    source = Source(location=generated.base_url, base_url=generated.base_url, language=generated.language)
    page = Page(url=generated.base_url, text=generated.page.decode("utf-8"), fetched_at=datetime.now(ZONE))
    try:
        result = read_page(source, page)
    except ParseError:
        return []
    return [item_json(item) for item in result.items]


if __name__ == "__main__":  # python -m tests.synthetic: freeze the items again (then re-record the ratchet)
    POOL.write_text(json.dumps(collect_pool(), indent=1, ensure_ascii=False) + "\n", "utf-8")
