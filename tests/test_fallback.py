"""The generic fallback on pages shaped unlike any fixture, and on the fixtures against their golden items.

The small pages below are written for these tests: each has a shape (div,
table, dl, headings followed by paragraphs, cards in sections), class names or
none, and English, French or Spanish text. Their expected items are read off
the page by eye; none of it is a fixture's markup.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from spfeed.cli import item_json, main
from spfeed.config import Source
from spfeed.dates import page_languages
from spfeed.fallback import _unnest_list_items, fallback_items
from spfeed.fetch import decode_html
from spfeed.markup import tree
from spfeed.models import RawItem
from spfeed.normalize import Context, normalize_items
from spfeed.parse import FALLBACK, page_language, parse_page
from spfeed.pipeline import scrape

from .conftest import FIXTURES, LAYOUT_FIXTURES
from .fieldscore import markdown_table, score, total

SUMMARY = "This summary sentence is long enough to be read as the teaser of the item, not as a label."
RESUME = "Un résumé assez long pour être pris comme le chapeau de l’article, pas comme une étiquette."


def page(body: str, lang: str = "en", head: str = "") -> str:
    return f'<!DOCTYPE html><html lang="{lang}"><head>{head}<title>News</title></head><body>{body}</body></html>'


def items_of(html: str) -> list[RawItem]:
    items, skipped = fallback_items(html)
    assert skipped == 0
    return items


def fields(items: list[RawItem], *names: str) -> list[tuple[str | None, ...]]:
    return [tuple(getattr(item, name) for name in names) for item in items]


# --- shapes: every field, with or without class names ------------------------------

DIV_PAGE = page(f"""
<div><div><h1>Our news</h1></div>
<div>
  <div><span>News</span><h2><a href="/n/1">First story about social protection</a></h2>
       <div>12 March 2024</div><div>{SUMMARY}</div><img src="/img/1.jpg" alt=""></div>
  <div><span>Press release</span><h2><a href="/n/2">Second story about pensions</a></h2>
       <div>10 March 2024</div><div>{SUMMARY}</div></div>
  <div><span>News</span><h2><a href="/n/3">Third story about health care</a></h2><div>1 March 2024</div></div>
</div></div>""")

TABLE_PAGE = page(f"""
<table><tr><th>Date</th><th>Title</th><th>Type</th></tr>
<tr><td>12 Mar 2024</td><td><a href="/t/1">Table item one about floors</a><br>{SUMMARY}</td><td>Press release</td></tr>
<tr><td>10 Mar 2024</td><td><a href="/t/2">Table item two about benefits</a></td><td>News</td></tr>
<tr><td>1 Mar 2024</td><td><a href="/t/3">Table item three about coverage</a><br>{SUMMARY}</td><td>News</td></tr>
</table>""")

DL_PAGE = page(f"""
<dl>
<dt><a href="/d/1">Definition list item one</a></dt><dd>Event</dd><dd>27-28 June 2023</dd><dd>{SUMMARY}</dd>
<dt><a href="/d/2">Definition list item two</a></dt><dd>News</dd><dd>3 May 2023</dd><dd>{SUMMARY}</dd>
<dt><a href="/d/3">Definition list item three</a></dt><dd>News</dd><dd>2 May 2023</dd>
</dl>""")

# Headings followed by their paragraphs, no element around an item: the label above each title.
FLAT_PAGE = page(f"""
<div id="c"><p>Webinar</p><h3><a href="/f/1">Flat item one</a></h3><p>3 May 2024</p><p>{SUMMARY}</p>
<p>News</p><h3><a href="/f/2">Flat item two</a></h3><p>2 May 2024</p><p>{SUMMARY}</p>
<p>News</p><h3><a href="/f/3">Flat item three</a></h3><p>1 May 2024</p></div>""")

LABEL_INSIDE_PAGE = page("""
<ul><li><h3><small>Feature</small> <a href="/i/1">Label inside the heading one</a></h3><p>3 May 2023</p></li>
<li><h3><small>News</small> <a href="/i/2">Label inside the heading two</a></h3><p>2 May 2023</p></li></ul>""")

LABEL_BELOW_PAGE = page("""
<ul><li><h3><a href="/b/1">Label below the title one</a></h3><p>Webinar</p><p>3 May 2023</p></li>
<li><h3><a href="/b/2">Label below the title two</a></h3><p>News</p><p>2 May 2023</p></li></ul>""")


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        pytest.param(DIV_PAGE, [
            ("First story about social protection", "/n/1", "12 March 2024", "News", SUMMARY, "/img/1.jpg"),
            ("Second story about pensions", "/n/2", "10 March 2024", "Press release", SUMMARY, None),
            ("Third story about health care", "/n/3", "1 March 2024", "News", None, None),
        ], id="div-no-classes"),
        pytest.param(TABLE_PAGE, [
            ("Table item one about floors", "/t/1", "12 Mar 2024", "Press release", SUMMARY, None),
            ("Table item two about benefits", "/t/2", "10 Mar 2024", "News", None, None),
            ("Table item three about coverage", "/t/3", "1 Mar 2024", "News", SUMMARY, None),
        ], id="table-summary-beside-the-title-link"),
        pytest.param(DL_PAGE, [
            ("Definition list item one", "/d/1", "27-28 June 2023", "Event", SUMMARY, None),
            ("Definition list item two", "/d/2", "3 May 2023", "News", SUMMARY, None),
            ("Definition list item three", "/d/3", "2 May 2023", "News", None, None),
        ], id="dl"),
        pytest.param(FLAT_PAGE, [
            ("Flat item one", "/f/1", "3 May 2024", "Webinar", SUMMARY, None),
            ("Flat item two", "/f/2", "2 May 2024", "News", SUMMARY, None),
            ("Flat item three", "/f/3", "1 May 2024", "News", None, None),
        ], id="headings-and-paragraphs-label-above"),
        pytest.param(LABEL_INSIDE_PAGE, [
            ("Label inside the heading one", "/i/1", "3 May 2023", "Feature", None, None),
            ("Label inside the heading two", "/i/2", "2 May 2023", "News", None, None),
        ], id="label-inside-the-heading"),
        pytest.param(LABEL_BELOW_PAGE, [
            ("Label below the title one", "/b/1", "3 May 2023", "Webinar", None, None),
            ("Label below the title two", "/b/2", "2 May 2023", "News", None, None),
        ], id="label-below-the-title"),
    ],
)
def test_every_field_of_listings_of_any_shape(html, expected):
    assert fields(items_of(html), "title", "url", "date_text", "label", "summary", "image") == expected


def test_french_page_reads_labels_and_ranges_and_skips_read_more_and_bylines():
    html = page(f"""
<div id="contenu">
<div class="actu"><p class="type">Communiqué de presse</p><h3><a href="/fr/1">Les pensions en Amérique latine</a></h3>
  <p>1<sup>er</sup> mars 2024</p><p>{RESUME}</p><a href="/fr/1">Lire la suite</a></div>
<div class="actu"><p class="type">Actualités</p><h3><a href="/fr/2">La protection sociale en Afrique</a></h3>
  <p>du 30 juin au 2 juillet 2023</p><p>Par Jean Dupont</p><a href="/fr/2">Lire la suite</a></div>
</div>""", lang="fr")
    assert fields(items_of(html), "title", "date_text", "label", "summary") == [
        ("Les pensions en Amérique latine", "1 er mars 2024", "Communiqué de presse", RESUME),
        ("La protection sociale en Afrique", "du 30 juin au 2 juillet 2023", "Actualités", None),
    ]


def test_spanish_page_without_headings_takes_the_article_link_not_read_more_credits_or_bylines():
    html = page("""
<div>
<article><div class="foto"><img data-src="/img/1.jpg" src="data:image/gif;base64,R0lGOD">
  <span>Foto: OIT/Pérez</span></div>
  <p>Comunicado de prensa</p><a href="/es/1">Por qué la protección social importa</a><p>17 de septiembre de 2023</p>
  <p>Por María López</p><a href="/es/1">Leer más</a></article>
<article><div class="foto"><picture><source srcset="/img/2.webp 1x, /img/2@2x.webp 2x"><img></picture>
  <span>Foto: OIT</span></div>
  <p>Noticias</p><a href="/es/2">Más de la mitad de la población está cubierta</a><p>3 de mayo de 2023</p>
  <a href="/es/2">Leer más</a></article>
</div>""", lang="es")
    assert fields(items_of(html), "title", "url", "date_text", "label", "summary", "image") == [
        ("Por qué la protección social importa", "/es/1", "17 de septiembre de 2023", "Comunicado de prensa", None,
         "/img/1.jpg"),
        ("Más de la mitad de la población está cubierta", "/es/2", "3 de mayo de 2023", "Noticias", None,
         "/img/2.webp"),
    ]


def test_a_category_link_is_a_label_not_a_title():
    html = page("""
<ol><li><a href="/cat/news">News</a> <a href="/c/1">A long article title that is the real title one</a>
  <span>3 May 2024</span></li>
<li><a href="/cat/news">News</a> <a href="/c/2">A long article title that is the real title two</a>
  <span>2 May 2024</span></li>
<li><a href="/cat/events">Events</a> <a href="/c/3">A long article title, the real title three</a>
  <span>1 May 2024</span></li></ol>
<div><article><h2><a href="/w/1">Blog post one</a></h2><time datetime="2024-05-03">3 May 2024</time>
  <footer>Posted in <a href="/category/statements">Statements</a></footer></article>
<article><h2><a href="/w/2">Blog post two</a></h2><time datetime="2024-05-02">2 May 2024</time>
  <footer>Posted in <a href="/category/events">Events</a></footer></article></div>""")
    assert fields(items_of(html), "title", "url", "label") == [
        ("A long article title that is the real title one", "/c/1", "News"),
        ("A long article title that is the real title two", "/c/2", "News"),
        ("A long article title, the real title three", "/c/3", "Events"),
        ("Blog post one", "/w/1", "Statements"),
        ("Blog post two", "/w/2", "Events"),
    ]


def test_photo_credits_are_neither_titles_nor_labels_but_a_photo_essay_is_a_title():
    html = page("".join(
        f'<div class="item"><figure><a href="/p/{n}"><img src="/p{n}.jpg"></a>'
        f"<figcaption>{credit}</figcaption></figure>"
        f'<a href="/p/{n}">{title}</a><span>{n} May 2024</span></div>'
        for n, credit, title in [(1, "© ILO/J. Doe", "Photo essay: a day at a pension office"),
                                 (2, "Crédit photo : OIT", "Une journée au guichet des pensions"),
                                 (3, "Foto: OIT/Pérez", "Un día en la oficina de pensiones")]
    ))
    assert fields(items_of(html), "title", "label", "image") == [
        ("Photo essay: a day at a pension office", None, "/p1.jpg"),
        ("Une journée au guichet des pensions", None, "/p2.jpg"),
        ("Un día en la oficina de pensiones", None, "/p3.jpg"),
    ]


def test_a_type_before_the_date_labels_an_item_that_has_no_label_as_a_profiles_would():
    # "Press release | 1 March 2023" is label + date. The fallback leaves the type in the date text,
    # as a profile would; normalize makes it the label of an item with none (dates.split_kind), so
    # a site read by a profile or by the fallback stores the same item. A line of its own ("ILO
    # Live") is the label when there is one.
    html = page("""
<div><div class="n"><h4><a href="/p/1">Prefix one</a></h4><p>Press release | 1 March 2023</p></div>
<div class="n"><h4><a href="/p/2">Prefix two</a></h4><p>News · 2 March 2023</p></div>
<div class="n"><p>ILO Live</p><h4><a href="/p/3">Prefix three</a></h4><p>Press release | 3 March 2023</p></div>
<div class="n"><p>Webinar</p><h4><a href="/p/4">Prefix four</a></h4><p>Artículo — 4 de marzo de 2023</p></div>
<div class="n"><h4><a href="/p/5">Prefix five</a></h4><p>Feature — 5 March 2023</p></div></div>""")
    raw = items_of(html)
    assert fields(raw, "date_text", "label") == [
        ("Press release | 1 March 2023", None),
        ("News · 2 March 2023", None),
        ("Press release | 3 March 2023", "ILO Live"),
        ("Artículo — 4 de marzo de 2023", "Webinar"),
        ("Feature — 5 March 2023", None),
    ]
    items = normalize_items(raw, Context.for_page("https://www.ilo.org/"))
    assert [(i.published.kind, i.category, i.category_slug) for i in items] == [
        ("Press release", "Press release", "press-release"),
        ("News", "News", "news"),
        ("Press release", "ILO Live", "event"),
        ("Artículo", "Webinar", "event"),
        ("Feature", "Feature", "feature"),
    ]


def test_a_date_in_pieces_of_markup_and_a_byline_before_the_date():
    calendar = "".join(
        f'<li><div><span>{day}</span> <span>Mar</span> <span>2024</span></div>'
        f'<h3><a href="/e/{day}">Event number {day} about pensions</a></h3><p>{SUMMARY}</p></li>'
        for day in (12, 14)
    )
    blog = "".join(
        f'<article><header><h2><a href="/b/{day}">Blog post {day} on social security</a></h2>'
        f'<p>By John Doe | {day} May 2024</p></header><p>{SUMMARY}</p></article>'
        for day in (3, 2)
    )
    assert fields(items_of(page(f"<ul>{calendar}</ul><main>{blog}</main>")), "url", "date_text", "label") == [
        ("/e/12", "12 Mar 2024", None),
        ("/e/14", "14 Mar 2024", None),
        ("/b/3", "3 May 2024", None),  # a byline names no type: neither label nor the date's kind
        ("/b/2", "2 May 2024", None),
    ]


def test_a_badge_of_day_and_month_in_two_elements_is_one_date_and_a_time_line_completes_it():
    # Minified markup: no space between the pieces, and the month piece alone reads as a month.
    cards = "".join(
        f'<div><div><b>{day}</b><b>NOV 2025</b></div><h3><a href="/e/{n}">Meeting number {n} on pensions</a></h3>'
        f"{extra}</div>"
        for n, (day, extra) in enumerate((("4", ""), ("5–6", ""), ("9", "<p>14:30 (Europe/Zurich)</p>")))
    )
    assert fields(items_of(page(f"<section>{cards}</section>")), "url", "date_text") == [
        ("/e/0", "4 NOV 2025"),
        ("/e/1", "5–6 NOV 2025"),
        ("/e/2", "9 NOV 2025, 14:30 (Europe/Zurich)"),
    ]


def test_a_link_in_the_date_line_is_the_label_and_a_field_name_is_not_part_of_it():
    after_date = "".join(
        f'<div><h4><a href="/a/{n}">Article number {n} about pensions</a></h4>'
        f'<p>{n} May 2021 — <a href="/topic/{kind}">{kind}</a></p></div>'
        for n, kind in ((3, "Feature"), (2, "News"))
    )
    named = "".join(
        f'<li><p><span class="sr">Kind of content: </span>{kind}</p>'
        f'<h3><a href="/b/{n}">Blog post {n} on social security</a></h3><p>{n} June 2021</p></li>'
        for n, kind in ((5, "Statement"), (4, "Press release"))
    )
    assert fields(items_of(page(f"<main>{after_date}</main><ul>{named}</ul>")), "url", "label") == [
        ("/a/3", "Feature"),
        ("/a/2", "News"),
        ("/b/5", "Statement"),
        ("/b/4", "Press release"),
    ]


def test_a_definition_term_names_a_field_it_is_not_the_label():
    blocks = "".join(
        f'<div><h2><a href="/n/{n}">Story number {n} about health care</a></h2>'
        f"<dl><dt>Details</dt>{dd}<dd>{n} July 2022</dd></dl></div>"
        for n, dd in ((1, ""), (2, '<dd>Category: <a href="/c/x">Reports</a></dd>'),
                      (3, '<dd>Category: <a href="/c/y">News</a></dd>'))
    )
    assert fields(items_of(page(f"<main>{blocks}</main>")), "url", "label") == [
        ("/n/1", None), ("/n/2", "Reports"), ("/n/3", "News"),
    ]


def test_read_more_with_hidden_words_is_no_summary_and_a_plain_link_beats_campaign_tags():
    rows = "".join(
        f'<li><h3><a href="/x/{n}?utm_source=list&amp;utm_medium=web">Report number {n} on pensions</a></h3>'
        f'<p>{n} April 2022</p><a href="/x/{n}">Read more<span class="sr"> about Report number {n}</span> »</a></li>'
        for n in (1, 2, 3)
    )
    assert fields(items_of(page(f"<ul>{rows}</ul>")), "url", "summary") == [
        ("/x/1", None), ("/x/2", None), ("/x/3", None),
    ]


def test_a_picture_in_most_items_is_an_icon_not_their_image():
    rows = "".join(
        f'<tr><td><img src="/icons/sprite.png" alt=""></td><td><a href="/d/{n}">Document number {n} about pensions</a>'
        f'{photo}</td><td>{n} March 2023</td></tr>'
        for n, photo in ((1, ""), (2, '<img src="/photos/2.jpg" alt="">'), (3, ""))
    )
    assert fields(items_of(page(f"<table>{rows}</table>")), "url", "image") == [
        ("/d/1", None), ("/d/2", "/photos/2.jpg"), ("/d/3", None),
    ]


def test_a_short_list_of_document_links_inside_items_leaves_them_items():
    files = {1: ["Full report"], 2: ["Full report", "Summary"], 3: ["Full report", "Versión en español"]}
    cards = "".join(
        f'<div class="pub"><h3><a href="/p/{n}">Publication number {n} on social security</a></h3>'
        f"<div>{n} May 2022</div><ul>"
        + "".join(f'<li><a href="/files/{n}-{k}.pdf">{name}</a> (2 MB)</li>' for k, name in enumerate(names))
        + "</ul></div>"
        for n, names in files.items()
    )
    assert fields(items_of(page(f'<main><div class="list">{cards}</div></main>')), "url", "date_text") == [
        ("/p/1", "1 May 2022"), ("/p/2", "2 May 2022"), ("/p/3", "3 May 2022"),
    ]


def test_a_leading_item_in_a_wrapper_of_its_own_before_rows_of_two_is_an_item():
    def item(n: int, kind: str) -> str:
        return (f'<div class="{kind}"><div class="head"><h2><a href="/s/{n}">Story number {n} about pensions</a></h2>'
                f'</div><p>{n} March 2023</p><p>{SUMMARY}</p><a href="/tag/{n}">Tag {n}</a></div>')
    rows = "".join(
        f'<div class="row"><div class="col">{item(n, "item")}</div><div class="col">{item(n + 1, "item")}</div></div>'
        for n in (2, 4)
    )
    body = f'<main><div class="leading">{item(1, "lead")}</div>{rows}</main>'
    assert [item.url for item in items_of(page(body))] == ["/s/1", "/s/2", "/s/3", "/s/4", "/s/5"]


def test_a_picture_link_and_a_title_link_to_one_address_in_one_row_are_one_item():
    # Two cells per row, both linking to the article: the row is the item, not each cell.
    rows = "".join(
        f'<tr><td>{pic}</td><td><font>Article</font><br><a href="/r/{n}"><b>Story number {n} about pensions</b></a>'
        f"<br><font>{n} June 2024</font></td></tr>"
        for n, pic in ((1, '<a href="/r/1"><img src="/img/1.jpg" alt=""></a>'), (2, "&nbsp;"),
                       (3, '<a href="/r/3"><img src="/img/3.jpg" alt=""></a>'))
    )
    assert fields(items_of(page(f"<table>{rows}</table>")), "url", "date_text", "image") == [
        ("/r/1", "1 June 2024", "/img/1.jpg"), ("/r/2", "2 June 2024", None), ("/r/3", "3 June 2024", "/img/3.jpg"),
    ]


def test_a_site_link_placed_like_the_titles_does_not_swallow_the_list():
    # The site's name stands like each title (h2 in div.t), but no card is around it: as far up
    # as a card is from its title, its ancestor holds all the cards. It leaves the slot.
    cards = "".join(
        f'<div class="card"><div class="t"><h2><a href="/n/{n}">Story number {n} about pensions</a></h2></div>'
        f"<p>{n} May 2024</p><p>{SUMMARY}</p></div>"
        for n in (1, 2, 3, 4)
    )
    body = f'<div class="page"><div class="t"><h2><a href="/">Social protection</a></h2></div>{cards}</div>'
    assert fields(items_of(page(body)), "url", "date_text") == [
        ("/n/1", "1 May 2024"), ("/n/2", "2 May 2024"), ("/n/3", "3 May 2024"), ("/n/4", "4 May 2024"),
    ]


# --- regions, repeats, chrome --------------------------------------------------------


def test_two_sections_give_every_item_once_in_page_order():
    html = page(f"""
<main><section><h2>Top stories</h2>
<article><h3><a href="/s/a">Story A</a></h3><time datetime="2024-03-12">12 March 2024</time><p>{SUMMARY}</p></article>
<article><h3><a href="/s/b">Story B</a></h3><time datetime="2024-03-11">11 March 2024</time></article></section>
<section><h2>Latest news</h2><ul>
<li><h3><a href="/s/a/?utm_source=home">Story A</a></h3><span>12 March 2024</span><img src="/a.jpg"></li>
<li><h3><a href="/s/c">Story C</a></h3><span>10 March 2024</span></li>
<li><h3><a href="/s/d">Story D</a></h3><span>9 March 2024</span></li></ul></section></main>""")
    raw = items_of(html)
    assert [i.title for i in raw] == ["Story A", "Story B", "Story C", "Story D"]
    # The first place wins; the second listing fills what the first lacks.
    assert fields(raw[:1], "url", "summary", "image") == [("/s/a", SUMMARY, "/a.jpg")]


def test_chrome_is_known_by_structure_and_roles_not_by_its_look():
    entries = "".join(f'<li><h3><a href="/{{0}}/{n}">{{0}} {n}</a></h3><span>{n} May 2024</span></li>' for n in (1, 2))
    html = page(
        f'<div role="navigation"><ul>{entries.format("nav")}</ul></div>'
        f'<div role="dialog" aria-label="Cookies"><ul>{entries.format("dialog")}</ul></div>'
        f'<header><ul>{entries.format("header")}</ul></header>'
        f'<aside><ul>{entries.format("aside")}</ul></aside>'
        f'<div hidden><ul>{entries.format("hidden")}</ul></div>'
        f'<div class="cookie-consent"><ul>{entries.format("consent")}</ul></div>'
        f'<div class="x"><ul>{entries.format("news")}</ul></div>'
        '<div class="pager"><a href="?page=2">2</a> <a href="?page=3">3</a></div>'
    )
    assert [i.url for i in items_of(html)] == ["/news/1", "/news/2"]


def test_a_list_of_plain_links_is_not_a_listing_but_a_lone_dated_story_is():
    links = "".join(f'<li><a href="/p{n}">Page {n}</a></li>' for n in range(9))
    story = (
        '<div class="featured"><p>News</p><h2><a href="/lead">The lead story</a></h2>'
        f"<p>1 May 2024</p><p>{SUMMARY}</p></div>"
    )
    assert fields(items_of(page(f"<ul>{links}</ul>{story}")), "title", "label", "date_text") == [
        ("The lead story", "News", "1 May 2024")
    ]


def test_on_a_dated_page_an_undated_region_of_headings_is_not_news():
    news = "".join(f'<li><h3><a href="/n/{d}">News item {d}</a></h3><p>{d} May 2024</p></li>' for d in (3, 2, 1))
    people = "".join(f'<li><h3><a href="/people/{n}">Person {n}</a></h3><p>Director</p></li>' for n in (1, 2, 3))
    assert [i.url for i in items_of(page(f"<ul>{news}</ul><ul>{people}</ul>"))] == ["/n/3", "/n/2", "/n/1"]
    # Without any dated listing, headings with links are all there is to read.
    assert [i.url for i in items_of(page(f"<ul>{people}</ul>"))] == ["/people/1", "/people/2", "/people/3"]


# --- general causes the second held-out set showed (pages written here, not its pages) ---


def test_a_page_whose_only_dates_are_numeric_yields_its_items_and_their_dates():
    cards = "".join(
        f'<mat-card><h3><a href="/de/{n}">Meldung Nummer {n} zur sozialen Sicherheit</a></h3>'
        f"<p>{day}</p><p>{SUMMARY}</p></mat-card>"
        for n, day in enumerate(("03.05.2024", "2.5.2024, 14:30", "30.04.2024"))
    )
    items = items_of(page(f"<main>{cards}</main>", lang="de"))
    assert fields(items, "url", "date_text") == [
        ("/de/0", "03.05.2024"), ("/de/1", "2.5.2024, 14:30"), ("/de/2", "30.04.2024")
    ]
    context = Context.for_page("https://example.org/", languages=("fr", "en"))
    assert [i.published.start.isoformat() for i in normalize_items(items, context) if i.published] == [
        "2024-05-03T00:00:00+02:00", "2024-05-02T14:30:00+02:00", "2024-04-30T00:00:00+02:00"
    ]


def test_an_inline_element_adds_no_space_before_the_punctuation_after_it():
    rows = "".join(
        f'<li><h3><a href="/s/{n}">Story {n} about pensions</a></h3><p>{n} May 2024</p>'
        f'<p>A summary long enough to be one, about <em>benefits</em>, see the <a href="/v/{n}">video</a>.'
        f"<br>(<b>Geneva</b>) «<i>quoted</i>»</p></li>"
        for n in (1, 2, 3)
    )
    summaries = [item.summary for item in items_of(page(f"<ul>{rows}</ul>"))]
    assert [" ".join(s.split()) for s in summaries if s] == [
        "A summary long enough to be one, about benefits, see the video."
    ] * 3


def test_text_of_separates_words_at_block_edges_and_br_not_before_punctuation():
    from spfeed.markup import text_of, tree

    root = tree("<div>One<p>two</p>three<br>four<span>five</span><a>six</a>. (<b>seven</b>)<script>x</script></div>")
    assert " ".join(text_of(root.find(".//div")).split()) == "One two three four five six. (seven)"


def test_a_date_without_its_year_under_a_year_heading_takes_the_headings_year():
    def entries(year: int, days: tuple[str, ...]) -> str:
        rows = "".join(
            f'<li><p>{day}</p><h3><a href="/t/{year}/{n}">Timeline entry {n} of {year}</a></h3><p>{SUMMARY}</p></li>'
            for n, day in enumerate(days)
        )
        return f"<h2>{year}</h2><ul>{rows}</ul>"

    html = page(entries(2024, ("Posted on 2 March", "Posted on 14 February")) + entries(2023, ("Posted on 9 June",)))
    items = items_of(html)
    assert fields(items, "date_text", "group_date", "label") == [
        ("Posted on 2 March", "2024", None), ("Posted on 14 February", "2024", None), ("Posted on 9 June", "2023", None)
    ]
    context = Context.for_page("https://example.org/")
    assert [i.published.start.date().isoformat() for i in normalize_items(items, context) if i.published] == [
        "2024-03-02", "2024-02-14", "2023-06-09"
    ]


def test_links_to_other_language_versions_are_not_items_and_a_reference_number_is_no_label():
    versions = {7: ("fr", "de"), 6: ("fr",), 5: (), 4: ("de", "fr")}
    rows = "".join(
        f"<tr><td>2024-03-{n:02d}</td><td>DOC/24/{n}</td>"
        f'<td><a href="/en/{n}">Statement number {n} on social security reform</a></td><td>'
        + " ".join(f'<a href="/{lang}/{n}" hreflang="{lang}">{lang.upper()}</a>' for lang in langs)
        + "</td></tr>"
        for n, langs in versions.items()
    )
    html = page(
        "<h1>Statements</h1><table><thead><tr><th>Date</th><th>Reference</th><th>Title</th>"
        f"<th>Other languages</th></tr></thead><tbody>{rows}</tbody></table>"
    )
    assert fields(items_of(html), "url", "date_text", "label") == [
        ("/en/7", "2024-03-07", None), ("/en/6", "2024-03-06", None),
        ("/en/5", "2024-03-05", None), ("/en/4", "2024-03-04", None),
    ]


def test_hreflang_in_the_page_own_language_marks_no_other_version():
    """Drupal puts hreflang on every link, in the page's language: image and tag links stay the item's."""
    cards = "".join(
        f'<article><a href="/node/{n}" hreflang="en"><img src="/files/photo-{n}.jpg" alt=""></a>'
        f'<h2><a href="/node/{n}" hreflang="en">Story number {n} about pensions and benefits</a></h2>'
        f"<p>{n} March 2024</p><p>{SUMMARY}</p>"
        f'<div><a href="/topics/{topic}" hreflang="en">{topic.title()}</a></div></article>'
        for n, topic in ((9, "news"), (7, "statement"), (5, "news"))
    )
    items = items_of(page(f"<main><h1>News</h1>{cards}</main>"))
    assert fields(items, "url", "image", "label") == [
        ("/node/9", "/files/photo-9.jpg", "News"),
        ("/node/7", "/files/photo-7.jpg", "Statement"),
        ("/node/5", "/files/photo-5.jpg", "News"),
    ]


def test_a_separator_bounds_items_whose_label_and_date_line_stand_above_the_title():
    entries = [
        ("News · 12 March 2024", 1, SUMMARY),
        ("Joint report of two United Nations agencies · Press release · 10 March 2024", 2, None),  # longer than a label
        ("Feature · 3 March 2024", 3, SUMMARY),
        ("1 March 2024", 4, None),
    ]
    body = "<hr>".join(
        f'<p>{line}<p><a href="/n/{n}">Story number {n} about pensions</a><br>'
        f"<span>https://example.org/n/{n}</span></p>" + (f"<p>{summary}</p>" if summary else "")
        for line, n, summary in entries
    )
    html = page(f"<p><b>Department of things</b><br>News<br>Printed from https://example.org/</p><hr>{body}<hr>"
                "<p>© Example. Printed on 27/11/2024.</p>")
    expected = [
        ("/n/1", "News · 12 March 2024", None, SUMMARY),
        ("/n/2", "Joint report of two United Nations agencies · Press release · 10 March 2024", None, None),
        ("/n/3", "Feature · 3 March 2024", None, SUMMARY),
        ("/n/4", "1 March 2024", None, None),
    ]
    assert fields(items_of(html), "url", "date_text", "label", "summary") == expected
    # Without the separators, a date line above each title is still the title's.
    assert fields(items_of(html.replace("<hr>", "")), "url", "date_text", "label", "summary") == expected


def test_a_reading_time_is_no_label():
    cards = "".join(
        f'<article><a href="/b/{n}"><span>{tag}</span><h2>Blog post number {n} on pensions</h2></a>'
        f"<footer><time>{n} mars 2024</time><span>{minutes}</span></footer></article>"
        for n, tag, minutes in ((3, "Retraites", "3 min de lecture"), (2, "", "5 min read"),
                                (1, "Santé", "Lectura de 2 min"))
    )
    assert fields(items_of(page(f"<main>{cards}</main>", lang="fr")), "url", "label") == [
        ("/b/3", "Retraites"), ("/b/2", None), ("/b/1", "Santé")
    ]


def test_a_link_inside_a_sentence_is_neither_an_item_nor_a_label():
    intro = '<p>These are the latest items of this department; older ones are in the <a href="/old">archive</a>.</p>'
    rows = "".join(
        f'<p><b><a href="/s/{n}">Story number {n} on pensions</a></b> ({n} May 2024)<br>'
        f'A long enough summary of the story. <i>Watch the <a href="/v/{n}">video</a>.</i></p>'
        for n in (3, 2, 1)
    )
    items = items_of(page(f"<div>{intro}{rows}</div>"))
    assert fields(items, "url", "label") == [("/s/3", None), ("/s/2", None), ("/s/1", None)]


# --- general causes the fifth held-out set showed (pages written here, not its pages) ---


def test_a_grid_of_table_cells_is_one_item_per_cell_and_one_region_with_its_short_last_row():
    # Cells marked only by their place ("cell-first", "cell-last"), three to a row; the last row has one.
    def cell(n: int, place: str) -> str:
        return (f'<td class="cell-{n} {place}"><div class="f"><a href="/g/{n}">Grid item number {n} on pensions</a>'
                f'</div><div class="f">{n} May 2024</div><div class="f">{SUMMARY}</div></td>')
    rows = "".join(
        f'<tr class="r-{r} {"r-first" if r == 1 else ""}">{cell(3 * r - 2, "cell-first")}{cell(3 * r - 1, "")}'
        f'{cell(3 * r, "cell-last")}</tr>'
        for r in (1, 2)
    )
    last = f'<tr class="r-3 r-last">{cell(7, "cell-first")}<td class="cell-2"></td><td class="cell-last"></td></tr>'
    items = items_of(page(f'<table class="grid"><tbody>{rows}{last}</tbody></table>'))
    assert fields(items, "url", "date_text", "summary") == [(f"/g/{n}", f"{n} May 2024", SUMMARY) for n in range(1, 8)]


def test_rows_of_a_table_with_one_item_each_stay_items_of_their_own():
    # Not a grid: each row is an item (date, title and type cells), odd and even rows classed apart.
    rows = "".join(
        f'<tr class="{"odd" if n % 2 else "even"}"><td>{n} May 2024</td>'
        f'<td><a href="/t/{n}">Row item {n} on benefits</a></td><td>News</td></tr>'
        for n in (1, 2, 3, 4)
    )
    assert fields(items_of(page(f"<table>{rows}</table>")), "url", "date_text", "label") == [
        (f"/t/{n}", f"{n} May 2024", "News") for n in (1, 2, 3, 4)
    ]


def test_rows_that_name_their_field_give_title_label_summary_and_link_and_other_fields_give_none():
    # A record per item: "Name: value" rows in any order; in the second the title is plain text
    # and the only link is the address printed in its "Enlace" row.
    def record(n: int, rows: str) -> str:
        return f'<div class="rec"><p>{n}/3</p><dl>{rows}</dl></div><p><a href="#top">Volver arriba</a></p>'
    records = (
        record(1, f'<dt>Título:</dt><dd><a href="/r/1">Primer informe sobre pensiones</a></dd><dt>Fecha:</dt>'
                  f"<dd>03.05.24</dd><dt>Tipo:</dt><dd>Informe</dd><dt>Autor:</dt><dd>Ana Pérez</dd>"
                  f"<dt>Resumen:</dt><dd>{SUMMARY}</dd>")
        + record(2, "<dt>Fecha:</dt><dd>02.05.24</dd><dt>Título:</dt><dd>Segunda nota sobre salud</dd>"
                    "<dt>Palabras clave:</dt><dd>salud ; cobertura universal ; financiación pública</dd>"
                    '<dt>Enlace:</dt><dd><a href="https://example.org/r/2">https://example.org/r/2</a></dd>')
        + record(3, '<dt>Título:</dt><dd><a href="/r/3">Tercera noticia</a></dd><dt>Fuente:</dt><dd>OIT ; UNICEF</dd>'
                    "<dt>Fecha:</dt><dd>01.05.24</dd>")
    )
    items = items_of(page(f'<div id="top"><h1>Boletín</h1>{records}</div>', lang="es"))
    assert fields(items, "title", "url", "date_text", "label", "summary") == [
        ("Primer informe sobre pensiones", "/r/1", "03.05.24", "Informe", SUMMARY),
        ("Segunda nota sobre salud", "https://example.org/r/2", "02.05.24", None, None),
        ("Tercera noticia", "/r/3", "01.05.24", None, None),
    ]


def test_a_topic_row_after_the_summary_is_the_label_and_an_author_row_is_not():
    def post(n: int, topic: str) -> str:
        row = f'<li><span class="n">Topic: </span><span class="v">{topic}</span></li>' if topic else ""
        return (f'<div class="post"><h2><a href="/p/{n}">Post number {n} on social security</a></h2>'
                f'<div class="info"><span>Written by: </span><span>Press office</span></div><p>{SUMMARY}</p>'
                f'<ul class="fields">{row}<li><span class="n">Date: </span><span class="v">{n} May 2024</span></li>'
                "</ul></div>")
    items = items_of(page(f"<main>{post(3, 'Pensions')}{post(2, '')}{post(1, 'Health')}</main>"))
    assert fields(items, "url", "date_text", "label", "summary") == [
        ("/p/3", "3 May 2024", "Pensions", SUMMARY), ("/p/2", "2 May 2024", None, SUMMARY),
        ("/p/1", "1 May 2024", "Health", SUMMARY),
    ]
    # A sentence is no label, whatever names it.
    items = items_of(page(f"<main>{post(2, 'Pensions')}{post(1, 'How pensions are paid in the region.')}</main>"))
    assert [item.label for item in items] == ["Pensions", None]


def test_css_module_class_names_keep_their_local_part_and_a_hidden_picture_link_is_no_second_item():
    # Hashed CSS-module names, no list or heading tags; each card's picture link is hidden from
    # screen readers and out of the tab order (a duplicate of the title link).
    def card(n: int) -> str:
        return (f'<div class="card_9f2c1b7a" role="listitem"><a class="pic_1d2e3f4a" href="/c/{n}" tabindex="-1" '
                f'aria-hidden="true"><div class="frame_77ab12cd"><img src="/img/{n}.jpg" alt=""></div></a>'
                f'<div class="body_3c4d5e6f"><div class="title_a5b6c7d8" role="heading" aria-level="3">'
                f'<a class="titleLink_0e1f2a3b" href="/c/{n}">Card story number {n} on pensions</a></div>'
                f'<div class="meta_4b5c6d7e"><span>{n}/2/2024</span></div></div></div>')
    part = (f'<div class="part_8d7d9a8d"><div class="head_b8c5e2f0"><div class="title_3b1f0e7a" role="heading">'
            f'News</div><a class="seeAll_52c0d0d4" href="/news/all">See all</a></div>'
            f'<div class="list_1c8f3e6a" role="list">{card(1)}{card(2)}{card(3)}</div></div>')
    assert fields(items_of(page(part)), "url", "date_text", "image") == [
        (f"/c/{n}", f"{n}/2/2024", f"/img/{n}.jpg") for n in (1, 2, 3)
    ]


def test_css_in_js_class_names_are_a_library_prefix_and_a_hash_not_a_kind():
    # Every element "css-<hash>": the content div inside each row is the row's, not an item of its own.
    rows = "".join(
        f'<div class="css-7hk{n}qd"><div class="css-a1s{n}d3"><span class="css-j7k8l9">News</span>'
        f'<h2 class="css-x0c9v8"><a class="css-b7n6m5" href="/e/{n}">Emotion story number {n}</a></h2>'
        f'<time class="css-q2w3e4">{n} May 2024</time></div></div>'
        for n in (1, 2, 3)
    )
    assert fields(items_of(page(f'<div class="css-1x2y3z">{rows}</div>')), "url", "date_text", "label") == [
        (f"/e/{n}", f"{n} May 2024", "News") for n in (1, 2, 3)
    ]


def test_a_smaller_box_after_the_listing_that_repeats_one_of_its_items_is_picks_not_items():
    listing = "".join(
        f'<article><h2><a href="/n/{n}">Listed story number {n}</a></h2><p>{n} May 2024</p><p>{SUMMARY}</p></article>'
        for n in range(6, 0, -1)
    )
    def box(title: str, links: tuple[str, ...]) -> str:
        return (f"<section><h2>{title}</h2><ul>"
                + "".join(f'<li><a href="{href}">Story at {href}</a><br>{k} April 2024</li>'
                          for k, href in enumerate(links, 1)) + "</ul></section>")
    most_read = box("Most read", ("/n/4", "/old/1", "/old/2"))
    events = box("Events", ("/e/1", "/e/2", "/e/3"))
    urls = [item.url for item in items_of(page(f"<main><div>{listing}</div>{most_read}</main>"))]
    assert urls == [f"/n/{n}" for n in range(6, 0, -1)]
    # A box that repeats nothing listed is a section of its own; one before the listing leads the page.
    urls = [item.url for item in items_of(page(f"<main><div>{listing}</div>{events}</main>"))]
    assert urls == [f"/n/{n}" for n in range(6, 0, -1)] + ["/e/1", "/e/2", "/e/3"]
    urls = [item.url for item in items_of(page(f"<main>{most_read}<div>{listing}</div></main>"))]
    assert urls == ["/n/4", "/old/1", "/old/2", "/n/6", "/n/5", "/n/3", "/n/2", "/n/1"]


def test_a_dated_box_set_among_a_listings_items_is_no_part_of_it():
    cards = [
        f'<div><h3><a href="/n/{n}">Story number {n} on pensions</a></h3><p>{n} May 2024</p><p>{SUMMARY}</p></div>'
        for n in range(6, 0, -1)
    ]
    box = "<div><h4>Editors' picks</h4><ul>" + "".join(
        f'<li><a href="/p/{k}">Picked story {k} with a long title</a> <small>{k} April 2024</small></li>'
        for k in (1, 2, 3)
    ) + "</ul></div>"
    between = page("<main><div>" + "".join(cards[:3]) + box + "".join(cards[3:]) + "</div></main>")
    assert [item.url for item in items_of(between)] == [f"/n/{n}" for n in range(6, 0, -1)]
    # Left alone: the same box after the listing's container is a section of its own (three
    # picks: two bare dated links after a listing are the site's notices, see _without_notices).
    after = page("<main><div>" + "".join(cards) + "</div>" + box + "</main>")
    assert [item.url for item in items_of(after)] == [f"/n/{n}" for n in range(6, 0, -1)] + ["/p/1", "/p/2", "/p/3"]


def test_a_whole_card_link_of_lines_cut_by_br_has_its_first_line_as_title_and_a_later_one_as_date():
    rows = "".join(
        f'<li><a href="/n/{n}">Second story number {n} on pensions<br>{n} June 2024</a></li>' for n in (3, 2, 1)
    )
    assert fields(items_of(page(f"<main><h1>News</h1><ul>{rows}</ul></main>")), "url", "title", "date_text") == [
        (f"/n/{n}", f"Second story number {n} on pensions", f"{n} June 2024") for n in (3, 2, 1)
    ]
    # The same in the card's first block with text (a caption under the card's picture).
    cards = "".join(
        f'<figure><a href="/n/{n}"><img src="/i/{n}.jpg" alt=""><figcaption><span>Statement</span> Caption story'
        f" number {n}<br> {n} June 2024</figcaption></a></figure>"
        for n in (3, 2, 1)
    )
    found = fields(items_of(page(f"<main><h1>News</h1><div>{cards}</div></main>")), "url", "title", "date_text")
    assert [(url, date) for url, _, date in found] == [(f"/n/{n}", f"{n} June 2024") for n in (3, 2, 1)]
    assert [title.endswith(f"Caption story number {n}") for (_, title, _), n in zip(found, (3, 2, 1), strict=True)] == [
        True
    ] * 3  # the kicker before the title stays in it
    # Left alone: a title that a <br> breaks in two, with no date among its lines, is one title.
    rows = "".join(
        f'<li><a href="/n/{n}">A long title number {n}<br>that goes on</a><p>{n} June 2024</p></li>' for n in (3, 2, 1)
    )
    assert [item.title for item in items_of(page(f"<main><ul>{rows}</ul></main>"))] == [
        f"A long title number {n} that goes on" for n in (3, 2, 1)
    ]


def test_a_whole_card_link_that_is_a_bold_title_and_its_date_is_titled_by_the_bold_part():
    rows = "".join(
        f'<p><a href="/n/{n}"><b>Third story number {n} on care work</b> ({n} July 2024)'
        + (f"<br>{SUMMARY}" if n == 2 else "") + "</a></p>"
        for n in (3, 2, 1)
    )
    assert fields(items_of(page(f"<main><h1>News</h1>{rows}</main>")), "url", "title") == [
        (f"/n/{n}", f"Third story number {n} on care work") for n in (3, 2, 1)
    ]
    # Left alone: a bold lead-in that the title goes on after, with no date, is part of the title.
    rows = "".join(
        f'<li><a href="/n/{n}"><b>Care work:</b> story number {n} goes on</a> <span>{n} July 2024</span></li>'
        for n in (3, 2, 1)
    )
    assert [item.title for item in items_of(page(f"<main><ul>{rows}</ul></main>"))] == [
        f"Care work: story number {n} goes on" for n in (3, 2, 1)
    ]


def test_a_whole_card_link_that_leads_with_its_date_is_titled_by_what_follows_the_date():
    rows = "".join(
        f'<li><a href="/n/{n}"><span>{n}-{n + 1} June 2024</span> — Seventh story number {n} on pensions</a></li>'
        for n in (3, 2, 1)
    )
    assert fields(items_of(page(f"<main><h1>News</h1><ul>{rows}</ul></main>")), "url", "title", "date_text") == [
        (f"/n/{n}", f"Seventh story number {n} on pensions", f"{n}-{n + 1} June 2024") for n in (3, 2, 1)
    ]
    # Left alone: a year before the words is part of a title ("2024 annual report on …").
    rows = "".join(
        f'<li><a href="/n/{n}"><span>202{n}</span> annual report number {n}</a> <small>{n} June 2024</small></li>'
        for n in (3, 2, 1)
    )
    assert [item.title for item in items_of(page(f"<main><ul>{rows}</ul></main>"))] == [
        f"202{n} annual report number {n}" for n in (3, 2, 1)
    ]


def test_a_whole_card_links_title_is_its_first_block_that_starts_with_text_not_one_whose_text_trails_it():
    cards = "".join(
        f'<article><a href="/n/{n}"><div><p>Fourth story number {n} on pensions</p><p>{n} August 2024</p>'
        f"<p>{SUMMARY}</p> Read on the partner site</div><div><img src='/i/{n}.jpg' alt=''></div></a></article>"
        for n in (3, 2, 1)
    )
    assert fields(items_of(page(f"<main><h1>News</h1>{cards}</main>")), "url", "title") == [
        (f"/n/{n}", f"Fourth story number {n} on pensions") for n in (3, 2, 1)
    ]
    # Left alone: a first block that starts with its own text is the title's, trailing text after it or not.
    cards = "".join(
        f'<article><a href="/n/{n}"><p>Fifth story number {n} on pensions</p><div><p>{n} August 2024</p>'
        " Read on the partner site</div></a></article>"
        for n in (3, 2, 1)
    )
    assert [item.title for item in items_of(page(f"<main><h1>News</h1>{cards}</main>"))] == [
        f"Fifth story number {n} on pensions" for n in (3, 2, 1)
    ]


def test_a_list_of_files_beside_a_listing_of_pages_is_no_item_but_a_listing_of_files_is():
    news = "".join(f'<li><h3><a href="/n/{n}">News story {n}</a></h3><p>{n} May 2024</p></li>' for n in (3, 2, 1))
    files = "".join(
        f'<div class="row"><span><a href="/docs/{name}">{name}</a></span><span>{n}/11/2026</span><span>A. Person</span>'
        "</div>"
        for n, name in ((18, "Mission-report.docx"), (12, "Annual-report-2025.pdf"), (3, "Brief-template.dotx"))
    )
    html = page(f'<main><ul>{news}</ul><div role="grid"><div>Recent documents</div>{files}</div></main>')
    assert [item.url for item in items_of(html)] == ["/n/3", "/n/2", "/n/1"]
    reports = "".join(
        f'<li><h3><a href="/pub/report-{n}.pdf?download=1">Report number {n} on pensions</a></h3><p>{n} May 2024</p>'
        "</li>" for n in (3, 2, 1)
    )
    assert [item.url for item in items_of(page(f"<main><ul>{reports}</ul></main>"))] == [
        f"/pub/report-{n}.pdf?download=1" for n in (3, 2, 1)
    ]


def test_an_item_whose_only_link_is_a_button_takes_its_first_line_as_title_never_the_button_text():
    blank = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
    def entry(n: int, topic: str, button: str) -> str:
        row = f'<p>Tema: <a href="/temas/{n}">{topic}</a></p>' if topic else ""
        return (f'<article class="row"><div class="col">{row}<p class="lead">Título del artículo número {n} sobre '
                f"pensiones</p><p>Lunes {n} de mayo de 2024 | OIT</p><p>{SUMMARY}</p>{button.format(n=n)}</div>"
                f'<div class="col"><img src="{blank}" data-srcset="/img/{n}-400.jpg 1x, /img/{n}-800.jpg 2x" alt="">'
                "</div></article>")
    # The button is known by its role, or by its words ("Leer en …", "Read on …", "Lire sur …").
    articles = (entry(3, "Pensiones", '<a href="https://ilo.example/a/{n}" target="_blank">Leer en ilo.example</a>')
                + entry(2, "", '<a role="button" href="https://ilo.example/a/{n}">Abrir</a>')
                + entry(1, "Salud", '<a href="https://ilo.example/a/{n}">Leer en ilo.example</a>'))
    items = items_of(page(f"<main><section>{articles}</section></main>", lang="es"))
    assert fields(items, "title", "url", "label", "summary", "image") == [
        (f"Título del artículo número {n} sobre pensiones", f"https://ilo.example/a/{n}", label, SUMMARY,
         f"/img/{n}-400.jpg")
        for n, label in ((3, "Pensiones"), (2, None), (1, "Salud"))
    ]
    # A link that is no button stays the title.
    linked = "".join(f'<article><p>{n} May 2024</p><p><a href="/b/{n}">Linked title {n}</a></p><p>{SUMMARY}</p>'
                     "</article>" for n in (2, 1))
    assert fields(items_of(page(f"<main>{linked}</main>")), "title", "summary") == [
        ("Linked title 2", SUMMARY), ("Linked title 1", SUMMARY),
    ]


def test_a_css_background_picture_or_a_lazy_data_src_on_a_div_is_the_item_image():
    pictures = {
        1: '<div class="pic" style="background-image: url(&quot;/img/1.jpg&quot;);"></div>',
        2: '<div class="pic" data-src="/img/2.jpg"></div>',
        3: '<div class="pic hidden-when-empty"></div>',  # no picture
        4: '<div class="pic" style="background-image:url(data:image/gif;base64,R0lGODlhAQABAAAAACw=)"></div>',
    }
    cards = "".join(
        f'<div class="card"><a href="/w/{n}">{pic}<h3>Card with a background picture {n}</h3></a>'
        f"<div>{n} May 2024</div></div>"
        for n, pic in pictures.items()
    )
    assert fields(items_of(page(f'<div class="list">{cards}</div>')), "url", "image") == [
        ("/w/1", "/img/1.jpg"), ("/w/2", "/img/2.jpg"), ("/w/3", None), ("/w/4", None),
    ]


def test_a_type_after_the_date_is_the_label_when_it_varies_but_a_publisher_after_every_date_is_not():
    def listing(kinds: tuple[str, ...]) -> str:
        return "<ul>" + "".join(
            f'<li><a href="/l/{n}">Linked story number {n} about pensions</a><br><small>May {n}, 2024 · {kind}</small>'
            "</li>" for n, kind in enumerate(kinds, 1)
        ) + "</ul>"
    typed = items_of(page(listing(("Article", "Press release", "Video", "Article"))))
    assert fields(typed, "date_text", "label") == [
        ("May 1, 2024 · Article", "Article"), ("May 2, 2024 · Press release", "Press release"),
        ("May 3, 2024 · Video", "Video"), ("May 4, 2024 · Article", "Article"),
    ]
    published = items_of(page(listing(("Ministry of Labour", "Ministry of Labour", "Ministry of Labour, ILO"))))
    assert [item.label for item in published] == [None, None, None]


def test_web_components_a_custom_element_with_href_is_the_link_and_its_shadow_tree_shows_the_heading():
    shadow = ('<template shadowrootmode="open"><a part="link" href="{href}"><slot name="pic"></slot>'
              '<slot name="kind"></slot><h2><slot name="name"></slot></h2><slot name="meta"></slot><slot></slot></a>'
              "</template>")
    def story(n: int, kind: str, pic: str) -> str:
        href = f"/s/{n}"
        return (f'<x-story href="{href}">{shadow.format(href=href)}{pic}<x-tag slot="kind">{kind}</x-tag>'
                f'<span slot="name">Web component story number {n}</span><x-when slot="meta">{n} May 2024</x-when>'
                f'<span slot="meta">Geneva office</span><p>{SUMMARY}</p></x-story>')
    def event(n: int) -> str:
        return (f'<x-event><x-icon slot="kind" role="img" aria-label="Webinar"><svg><title>Webinar</title></svg>'
                f'</x-icon><a slot="name" href="/e/{n}">Event number {n} on social security</a>'
                f'<x-when slot="meta">{n} June 2024</x-when><span slot="meta">Online</span></x-event>')
    nav = '<x-nav><x-nav-item href="/about">About us and our work</x-nav-item></x-nav>'
    feed = (story(3, "News", '<x-pic slot="pic" src="/img/3.jpg"></x-pic>') + event(2) + story(2, "Video", "")
            + event(1) + story(1, "News", ""))
    items = items_of(page(f'<header><nav>{nav}</nav></header><main><x-feed>{feed}</x-feed></main>'))
    assert fields(items, "title", "url", "date_text", "label", "image") == [
        ("Web component story number 3", "/s/3", "3 May 2024", "News", "/img/3.jpg"),
        ("Event number 2 on social security", "/e/2", "2 June 2024", "Webinar", None),
        ("Web component story number 2", "/s/2", "2 May 2024", "Video", None),
        ("Event number 1 on social security", "/e/1", "1 June 2024", "Webinar", None),
        ("Web component story number 1", "/s/1", "1 May 2024", "News", None),
    ]


def test_an_author_beside_their_photo_and_a_count_of_views_are_no_label_and_the_photo_no_item_picture():
    def tile(n: int, author: str, picture: str, kind: str) -> str:
        return (f'<div class="tile">{picture}<span class="kind">{kind}</span><h3><a href="/t/{n}">Tile story {n}</a>'
                f'</h3><div class="by"><div class="who"><img src="/people/photo.aspx?user={author}" alt="">'
                f'<span>{author}</span></div> <span>{n}/5/2024</span></div><span>{n * 100} views</span></div>')
    tiles = (tile(1, "Jane Roe", '<img src="/pics/1.jpg" alt="">', '<img src="/icons/news.svg" alt="">News')
             + tile(2, "John Doe", "", "")
             + tile(3, "Jane Roe", '<img src="/pics/3.jpg" alt="">', '<img src="/icons/video.svg" alt="">Video'))
    items = items_of(page(f'<div class="tiles">{tiles}</div>'))
    assert fields(items, "url", "label", "image") == [("/t/1", "News", "/pics/1.jpg"), ("/t/2", None, None),
                                                      ("/t/3", "Video", "/pics/3.jpg")]
    # A figure's caption is no person: the picture stays the item's.
    figures = "".join(f'<div class="t"><figure><img src="/f/{n}.jpg" alt=""><figcaption>Jane Roe</figcaption></figure>'
                      f'<h3><a href="/f/{n}">Figure story {n}</a></h3><p>{n} May 2024</p></div>' for n in (1, 2))
    assert [item.image for item in items_of(page(f"<main>{figures}</main>"))] == ["/f/1.jpg", "/f/2.jpg"]
    # Nor is a badge on the picture above the title.
    badges = "".join(f'<div class="t"><a href="/b/{n}"><div class="pic"><img src="/b/{n}.jpg" alt=""><span>{kind}'
                     f'</span></div><h3>Badged story {n}</h3></a><p>{n} May 2024</p></div>'
                     for n, kind in ((1, "Video"), (2, "News")))
    assert fields(items_of(page(f"<main>{badges}</main>")), "image", "label") == [
        ("/b/1.jpg", "Video"), ("/b/2.jpg", "News"),
    ]


# --- general causes the third held-out set showed (pages written here, not its pages) ---


def _same_line_above(rows: list[tuple[int, str | None]], above: str, link_below: bool) -> str:
    """Items with the same short line above every title, and below it a line that differs (or none)."""
    def below(n: int, text: str) -> str:
        return f'<p><a href="/topics/{n}">{text}</a></p>' if link_below else f"<p>{text}</p>"
    return page("<main><h1>Stories</h1>" + "".join(
        f"<section><p>{above}</p><h2><a href='/s/{n}'>Story number {n} about pensions</a></h2>"
        f"<p>{n} April 2024</p>" + (below(n, text) if text else "") + f"<p>{SUMMARY}</p></section>"
        for n, text in rows) + "</main>")


def test_a_line_every_item_repeats_is_no_label_where_a_category_link_differs():
    """The one author atop every item, or a field's name, tells no item apart: the topic link does."""
    rows = [(4, "Pensions"), (3, "Health care"), (2, None), (1, "Pensions")]
    items = items_of(_same_line_above(rows, "Jane Roe", link_below=True))
    assert fields(items, "url", "label") == [("/s/4", "Pensions"), ("/s/3", "Health care"), ("/s/2", None),
                                             ("/s/1", "Pensions")]
    # Without links that differ, a label every item shares (a listing of one type) is their label:
    # a place or a byline below is no category.
    items = items_of(_same_line_above(rows, "Press release", link_below=False))
    assert fields(items, "label") == [("Press release",)] * 4
    # Nor does a link every item has first (a download), whatever links follow it in some.
    html = page("<main>" + "".join(
        f"<div><span>Publication</span><h3><a href='/p/{n}'>Report number {n} on social security</a></h3>"
        f"<p>{n} May 2024</p><ul><li><a href='/p/{n}.pdf'>Download</a></li>{extra}</ul></div>"
        for n, extra in ((3, "<li><a href='/p/3-summary.pdf'>Summary</a></li>"), (2, ""), (1, ""))) + "</main>")
    assert fields(items_of(html), "label") == [("Publication",)] * 3


def test_a_row_whose_wrapper_is_never_closed_is_still_an_item_without_a_picture():
    """The rows after it nest inside it; it is named after its title link, they after their picture's."""
    def row(n: int, picture: bool, close: bool = True) -> str:
        image = f'<div class="pic"><a href="/r/{n}"><img src="/i/{n}.jpg" alt=""></a></div>' if picture else ""
        return (f'<div class="row"><div class="card">{image}<div class="text"><div class="topic">'
                f'<a href="/t/{n}">Topic {n}</a></div><h3><a href="/r/{n}">Row number {n} about benefits</a></h3>'
                f"<p>{n} June 2024</p></div></div>" + ("</div>" if close else ""))
    html = page('<div class="list">' + row(5, True) + row(4, False, close=False) + row(3, True) + row(2, False)
                + row(1, True) + "</div>")
    items = items_of(html)
    assert fields(items, "url", "date_text", "image") == [
        ("/r/5", "5 June 2024", "/i/5.jpg"), ("/r/4", "4 June 2024", None), ("/r/3", "3 June 2024", "/i/3.jpg"),
        ("/r/2", "2 June 2024", None), ("/r/1", "1 June 2024", "/i/1.jpg"),
    ]
    # A box of another kind around several items (a section) is still no item.
    boxed = page('<div class="list"><div class="box"><a href="/all">All rows</a>' + row(5, True) + row(4, False)
                 + '</div><div class="box"><a href="/all-2">All rows</a>' + row(3, True) + row(2, False)
                 + "</div></div>")
    assert [item.url for item in items_of(boxed)] == ["/r/5", "/r/4", "/r/3", "/r/2"]


def test_a_short_text_beside_the_title_on_its_line_is_read_as_the_label():
    """'<b>Statement</b> <a>Title</a><br>date' (a kicker before it), 'date: <a>Title</a> [Video]' (after it)."""
    kicker = page("<div>" + "".join(
        f'<div><p><b>{kind}</b> <a href="/k/{n}">Kicker story number {n} on pensions</a><br>{n} July 2024</p></div>'
        for n, kind in ((3, "Statement"), (2, "Feature"), (1, "Statement"))) + "</div>")
    assert fields(items_of(kicker), "title", "date_text", "label") == [
        ("Kicker story number 3 on pensions", "3 July 2024", "Statement"),
        ("Kicker story number 2 on pensions", "2 July 2024", "Feature"),
        ("Kicker story number 1 on pensions", "1 July 2024", "Statement"),
    ]
    after = page("<ol>" + "".join(
        f'<li>{n} August 2024: <a href="/v/{n}">Clip number {n} on social protection</a> {kind}</li>'
        for n, kind in ((3, "[Video]"), (2, "<em>Podcast</em>"), (1, "[Video]"))) + "</ol>")
    assert fields(items_of(after), "title", "label") == [
        ("Clip number 3 on social protection", "Video"),
        ("Clip number 2 on social protection", "Podcast"),
        ("Clip number 1 on social protection", "Video"),
    ]


def test_a_file_format_a_place_a_sentence_or_a_date_beside_the_title_is_no_label():
    downloads = page("<ul>" + "".join(
        f'<li>{n} August 2024 — <a href="/d/{n}">Guide number {n} on pensions</a> {size}</li>'
        for n, size in ((3, "(PDF, 2 MB)"), (2, "(PDF)"), (1, "[DOCX 350 Ko]"))) + "</ul>")
    assert fields(items_of(downloads), "label") == [(None,)] * 3
    # Plain text after the title continues its line: a place, not a label.
    places = page("<ul>" + "".join(
        f'<li><a href="/e/{n}">Conference number {n} on pensions</a>, {place}<br>{n} June 2024</li>'
        for n, place in ((3, "Geneva"), (2, "Bangkok"), (1, "Lima"))) + "</ul>")
    assert fields(items_of(places), "date_text", "label") == [(f"{n} June 2024", None) for n in (3, 2, 1)]
    teasers = page("<ul>" + "".join(
        f'<li><span>{n} May 2024</span> — <a href="/t/{n}">Teaser number {n} on pensions</a> — {SUMMARY}</li>'
        for n in (3, 2, 1)) + "</ul>")
    assert fields(items_of(teasers), "date_text", "label", "summary") == [
        (f"{n} May 2024", None, SUMMARY) for n in (3, 2, 1)
    ]


def test_a_time_inside_the_title_link_is_the_date_not_words_of_the_title():
    html = page("<ul>" + "".join(
        f'<li><a href="/m/{n}">Monthly note number {n} on benefits{br}<time datetime="{machine}">{shown}</time>'
        "</a></li>"
        for n, br, machine, shown in ((3, "<br>", "2024-03-12", "12 March 2024"), (2, " ", "2024-02", "February 2024"),
                                      (1, "<br>", "2024-01", "January 2024"))) + "</ul>")
    items = items_of(html)
    assert fields(items, "title", "date_text", "datetime_attr") == [
        ("Monthly note number 3 on benefits", "12 March 2024", "2024-03-12"),
        ("Monthly note number 2 on benefits", "February 2024", "2024-02"),
        ("Monthly note number 1 on benefits", "January 2024", "2024-01"),
    ]
    published = [item_json(item)["published"] for item in normalize_items(items, Context.for_page("https://e.org/"))]
    assert published == ["2024-03-12", "2024-02", "2024-01"]
    # A date written in the title's words, without <time>, is part of the title.
    plain = page("<ul>" + "".join(
        f'<li><a href="/w/{n}">Meeting of {n} March 2024 on pensions</a><p>{n} March 2024</p></li>'
        for n in (3, 2, 1)) + "</ul>")
    assert [item.title for item in items_of(plain)] == [f"Meeting of {n} March 2024 on pensions" for n in (3, 2, 1)]


# --- general causes the fourth held-out set showed (pages written here, not its pages) ---


def test_the_main_element_is_content_whatever_its_names_say():
    rows = "".join(f'<li><h3><a href="/m/{n}">Main story number {n}</a></h3><p>{n} May 2024</p></li>' for n in (1, 2))
    body = f'<a href="#skip">Skip to content</a><nav><a href="/">Home</a></nav><main id="skip"><ul>{rows}</ul></main>'
    assert [item.url for item in items_of(page(body))] == ["/m/1", "/m/2"]
    # The same names on a <div> still mark chrome.
    assert fallback_items(page(f'<div id="skip"><ul>{rows}</ul></div>'))[0] == []


def test_empty_time_elements_date_items_and_two_joined_by_a_dash_are_a_range():
    rows = [
        ('<time datetime="2023-05-04"></time>', "2023-05-04"),
        ('<time datetime="2023-04"></time>', "2023-04"),
        ('<time datetime="2023-03-15"></time><span aria-hidden="true"> – </span><time datetime="2023-03-16"></time>',
         "2023-03-15/2023-03-16"),
        # Published, then updated: two dates of one item, not a range.
        ('<time datetime="2023-02-01"></time> <span>updated</span> <time datetime="2023-02-09"></time>', "2023-02-01"),
    ]
    body = "<ol>" + "".join(
        f'<li><a href="/e/{n}">Entry number {n} of the archive</a> {times}<p>{SUMMARY}</p></li>'
        for n, (times, _) in enumerate(rows)
    ) + "</ol>"
    items = items_of(page(f"<main>{body}</main>"))
    assert [item.datetime_attr for item in items] == [machine for _, machine in rows]
    context = Context.for_page("https://example.org/news")
    assert [(i["published"], i["end"]) for i in map(item_json, normalize_items(items, context))] == [
        ("2023-05-04", None), ("2023-04", None), ("2023-03-15", "2023-03-16"), ("2023-02-01", None),
    ]


def test_a_share_link_that_carries_the_item_address_is_never_the_item():
    def card(n: int) -> str:
        target = f"https://news.example.org/stories/{n}"
        quoted = target.replace(":", "%3A").replace("/", "%2F")
        return (f'<div class="card"><a href="{target}"><img src="/img/{n}.jpg" alt=""></a>'
                f"<h3>Story number {n} without a link on its heading</h3><p>{n} May 2024</p>"
                f'<a href="https://share.example.com/share?u={quoted}">Share</a></div>')
    items = items_of(page(f"<main>{''.join(card(n) for n in (1, 2, 3))}</main>"))
    assert fields(items, "title", "url", "image") == [
        (f"Story number {n} without a link on its heading", f"https://news.example.org/stories/{n}", f"/img/{n}.jpg")
        for n in (1, 2, 3)
    ]


def test_a_redirect_that_is_the_only_link_to_its_target_is_still_the_item():
    # A newsletter's click tracking: the address it carries is linked nowhere else.
    rows = "".join(
        f'<tr><td><a href="https://click.example.com/t?url=https%3A%2F%2Fnews.example.org%2Fs%2F{n}">'
        f"Tracked story number {n}</a></td><td>{n} May 2024</td></tr>"
        for n in (1, 2, 3)
    )
    assert len(items_of(page(f"<table>{rows}</table>"))) == 3


def _table(rows: str, head: str = "") -> str:
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def test_a_table_of_documents_after_a_listing_is_not_news_but_alone_it_is_the_listing():
    news = _table("".join(
        f'<tr><td>0{n}/05/2024</td><td><a href="/news/{n}">News story number {n}</a></td></tr>' for n in (1, 2, 3)
    ))
    documents = _table("".join(
        f'<tr><td>0{n}/04/2024</td><td><a href="/files/report-{n}.pdf">Report number {n}</a></td><td>PDF</td></tr>'
        for n in (1, 2, 3)
    ))
    both = items_of(page(f"<main>{news}<h2>Related documents</h2>{documents}</main>", lang="fr"))
    assert [item.url for item in both] == ["/news/1", "/news/2", "/news/3"]
    alone = items_of(page(f"<main><h1>Publications</h1>{documents}</main>", lang="fr"))
    assert [item.url for item in alone] == ["/files/report-1.pdf", "/files/report-2.pdf", "/files/report-3.pdf"]
    # A list of publications longer than a box of news beside it is the page's listing.
    box = _table("".join(
        f'<tr><td>0{n}/06/2024</td><td><a href="/news/{n}">News story number {n}</a></td></tr>' for n in (1, 2)
    ))
    longer = items_of(page(f"<main>{documents}<h2>News</h2>{box}</main>", lang="fr"))
    assert [item.url for item in longer] == [
        "/files/report-1.pdf", "/files/report-2.pdf", "/files/report-3.pdf", "/news/1", "/news/2",
    ]


def test_a_range_cut_by_a_line_break_in_its_cell_is_one_date():
    rows = "".join(
        f'<tr><td>{date}</td><td><a href="/ev/{n}">Event number {n} on social security</a></td></tr>'
        for n, date in enumerate(["15/03/2022 –<br>16/03/2022", "10/03/2022", "01/03/2022<br>Geneva"])
    )
    items = items_of(page(_table(rows), lang="es"))
    assert [item.date_text for item in items] == ["15/03/2022 – 16/03/2022", "10/03/2022", "01/03/2022"]


def test_a_date_in_a_sentence_after_the_teaser_dates_an_item_that_has_no_date_line():
    teaser = "Un résumé de l’article, assez long pour être son chapeau, qui parle du sommet du 2 février 2023."
    rows = [
        ("La session a été diffusée en direct le dimanche 17 septembre 2023, à la veille du Sommet sur les ODD.",
         "2023-09-17", None),
        ("Les résultats du programme ont été présentés lors d’une rencontre organisée les 27 et 28 juin 2023.",
         "2023-06-27", "2023-06-28"),
        ("Cette réunion des partenaires du programme a eu lieu le vendredi 24 mars 2023 à 9 heures (heure de Genève).",
         "2023-03-24T09:00:00+01:00", None),
        # Only the teaser names a date: it does not date the item, and stays its summary.
        ("", None, None),
    ]
    blocks = "".join(
        f'<div class="bloc"><h3><a href="/fr/{n}">Article numéro {n} sur la protection sociale</a></h3>'
        f"<p>{teaser}</p>{f'<p>{sentence}</p>' if sentence else ''}</div>"
        for n, (sentence, _, _) in enumerate(rows)
    )
    items = items_of(page(f"<main>{blocks}</main>", lang="fr"))
    assert [item.summary for item in items] == [teaser] * 4
    context = Context.for_page("https://example.org/actualites", languages=("fr", "en", "es"))
    assert [(i["published"], i["end"]) for i in map(item_json, normalize_items(items, context))] == [
        (published, end) for _, published, end in rows
    ]


def test_amp_img_is_the_item_image():
    cards = "".join(
        f'<article><amp-img src="/img/{n}.jpg" width="640" height="360" layout="responsive" alt=""></amp-img>'
        f'<h2><a href="/amp/{n}">AMP story number {n}</a></h2><p>{n} de mayo de 2024</p></article>'
        for n in (1, 2, 3)
    )
    assert [item.image for item in items_of(page(f"<main>{cards}</main>", lang="es"))] == [
        "/img/1.jpg", "/img/2.jpg", "/img/3.jpg",
    ]


def test_a_line_that_holds_another_date_is_no_label_but_a_label_with_a_number_is():
    def entry(n: int, label: str) -> str:
        return (f'<article><h2><a href="/p/{n}">Plone story number {n}</a></h2>'
                f"<div><span>by <a href='/author/x'>The secretariat</a></span>"
                f"<span>— <span>published</span> May 0{n}, 2024 09:14 AM</span>"
                f"<span>— <span>last modified</span> May 1{n}, 2024 04:02 PM</span></div>{label}</article>")
    plain = "".join(entry(n, "") for n in (1, 2, 3))
    assert [item.label for item in items_of(page(f"<main>{plain}</main>"))] == [None, None, None]
    labelled = "".join(entry(n, f"<p>{label}</p>") for n, label in ((1, "Agenda 2030"), (2, "COP28"), (3, "News")))
    assert [item.label for item in items_of(page(f"<main>{labelled}</main>"))] == ["Agenda 2030", "COP28", "News"]


def test_a_printed_address_after_its_field_name_is_no_summary_or_label():
    def url(n: int) -> str:
        return f"https://example.org/actualites/2024/entree-numero-{n}-sur-la-protection-sociale"
    rows = "".join(
        f'<section><h1><a href="{url(n)}">Feed entry number {n}</a></h1><p>Publié : {n} mai 2024</p>'
        f"{f'<p>{RESUME}</p>' if n == 1 else ''}<p>Identifiant : {url(n)}</p></section>"
        for n in (1, 2, 3)
    )
    items = items_of(page(f"<main>{rows}</main>", lang="fr"))
    assert fields(items, "summary", "label") == [(RESUME, None), (None, None), (None, None)]


# --- broken pages --------------------------------------------------------------------

UNCLOSED_PAGE = page(f"""
<div class="list">
<div class="entry"><p class="kind">News<h3><a href="/u/1">Unclosed one</a></h3><p class="when">1 May 2024<p>{SUMMARY}
<div class="entry"><p class="kind">Event<h3><a href="/u/2">Unclosed two</a></h3><p class="when">2 May 2024<p>{SUMMARY}
<div class="entry"><p class="kind">News<h3>An entry without a link</h3><p class="when">9 May 2024
<div class="entry"><p class="kind">News<h3><a href="/u/3">Unclosed three</a></h3><p class="when">3 May 2024
""")


def test_items_swallowed_by_unclosed_tags_are_still_separate():
    assert fields(items_of(UNCLOSED_PAGE), "title", "date_text", "label", "summary") == [
        ("Unclosed one", "1 May 2024", "News", SUMMARY),
        ("Unclosed two", "2 May 2024", "Event", SUMMARY),
        ("Unclosed three", "3 May 2024", "News", None),
    ]


def test_a_malformed_windows_1252_page_a_person_can_read_yields_its_items():
    html = page(f"""
<div id="contenu"><h1>Actualités</h1>
<div class="bloc"><div class="rubrique">Communiqué de presse
<h3><a href="/fr/1">Réformes des retraites : où en est-on ?</a></h3>
<p>1er mars 2024<p>{RESUME}
<div class="bloc"><div class="rubrique">Actualités
<h3><a href="/fr/2">Été 2024 : la protection sociale des saisonniers</a></h3>
<p>15 juillet 2024
<div class="bloc"><div class="rubrique">Actualités<h3><a href="/fr/3">Sécurité sociale : l’OIT publie un guide</a></h3>
<p>2 août 2024
</body></html>""", lang="fr", head='<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">')
    body = html.encode("windows-1252")
    assert b"\xe9" in body  # é as one byte: not UTF-8
    items = items_of(decode_html(body, None))
    assert fields(items, "title", "date_text") == [
        ("Réformes des retraites : où en est-on ?", "1er mars 2024"),
        ("Été 2024 : la protection sociale des saisonniers", "15 juillet 2024"),
        ("Sécurité sociale : l’OIT publie un guide", "2 août 2024"),
    ]
    assert items[0].summary == RESUME


def test_an_archive_without_classes_dates_undated_items_by_their_month_heading():
    html = page("""
<div><h2>July 2022</h2><ul><li><h3><a href="/a/1">Dated item</a></h3><p>28 July 2022</p></li>
<li><h3><a href="/a/2">Undated item</a></h3></li></ul>
<h2>June 2022</h2><ul><li><h3><a href="/a/3">Another undated item</a></h3></li>
<li><h3><a href="/a/4">Another dated item</a></h3><p>8 June 2022</p></li></ul></div>""")
    assert fields(items_of(html), "url", "date_text", "group_date") == [
        ("/a/1", "28 July 2022", None),
        ("/a/2", None, "July 2022"),
        ("/a/3", None, "June 2022"),
        ("/a/4", "8 June 2022", None),
    ]


# --- general causes the seventh held-out set showed (pages written here, not its pages) ---

# One utility class first on every element: every link stands in the same place, so no slot
# tells an item's title from its teaser, its author or its buttons.
_UTILITY = 'class="ui ui-flex"'


def _utility_post(n: int, teaser: str = "") -> str:
    teaser_line = f'<div {_UTILITY}><a {_UTILITY} href="/p/{n}">{teaser}</a></div>' if teaser else ""
    return (
        f'<div {_UTILITY}><div {_UTILITY}>'
        f'<div {_UTILITY}><a {_UTILITY} href="/p/{n}">Post number {n} on social protection</a></div>{teaser_line}'
        f'<div {_UTILITY}><time datetime="2024-05-0{n}">May {n}, 2024</time><span>∙</span>'
        f'<a {_UTILITY} href="/@team">The team</a></div>'
        f'<div {_UTILITY}><a {_UTILITY} href="/p/{n}" aria-label="Like">{n}</a>'
        f'<a {_UTILITY} href="/p/{n}/comments">Comments</a></div>'
        f'</div></div>'
    )


def test_a_page_whose_every_element_has_one_class_is_read_from_its_repeated_siblings():
    menu = f'<a {_UTILITY} href="/">Brief</a><a {_UTILITY} href="/about">About</a>'
    header = f"<div {_UTILITY}><div {_UTILITY}>{menu}</div></div>"
    # A featured post above them, beside a box of picks: its heading, date, comments and author links.
    u = _UTILITY
    hero = (f'<div {u}><div {u}><h2 {u}><a {u} href="/p/4">Featured post number 4</a></h2>'
            f'<div {u}><time datetime="2024-05-04">May 4, 2024</time><a {u} href="/p/4/comments">1 comment'
            f'</a></div><div {u}><a {u} href="/@team">The team</a></div></div>'
            f'<div {u}><div {u}>Most popular</div><div {u}><a {u} href="/p/2">Post 2</a></div>'
            f'<div {u}><a {u} href="/p/9">Welcome</a></div></div></div>')
    posts = _utility_post(3, SUMMARY) + _utility_post(2) + _utility_post(1, SUMMARY)
    html = page(f'{header}{hero}<div {_UTILITY}>{posts}</div>'
                f'<div {_UTILITY}><a {_UTILITY} href="/archive">See all</a></div>')
    assert fields(items_of(html), "title", "url", "datetime_attr", "summary") == [
        ("Featured post number 4", "/p/4", "2024-05-04", None),
        ("Post number 3 on social protection", "/p/3", "2024-05-03", SUMMARY),
        ("Post number 2 on social protection", "/p/2", "2024-05-02", None),
        ("Post number 1 on social protection", "/p/1", "2024-05-01", SUMMARY),
    ]


def test_a_lone_featured_story_does_not_hide_the_repeated_siblings_below_it():
    # The slots read only the featured story (a heading, a link and a date of its own class);
    # the posts below, one utility class on every element, are found by the siblings' reading.
    hero = ('<article class="hero"><h2><a href="/p/9">Featured post of the week</a></h2>'
            '<time datetime="2024-05-09">May 9, 2024</time></article>')
    posts = _utility_post(3, SUMMARY) + _utility_post(2) + _utility_post(1, SUMMARY)
    assert [item.url for item in items_of(page(f"{hero}<div {_UTILITY}>{posts}</div>"))] == [
        "/p/9", "/p/3", "/p/2", "/p/1"]


def test_repeated_siblings_are_found_under_many_wrappers():
    # Generated markup: each post's link sits ten elements below the post's place in the list.
    def deep(n: int) -> str:
        return f"<div {_UTILITY}>" * 5 + _utility_post(n, SUMMARY) + "</div>" * 5

    html = page(f"<div {_UTILITY}>{deep(3)}{deep(2)}{deep(1)}</div>")
    assert [item.url for item in items_of(html)] == ["/p/3", "/p/2", "/p/1"]


def test_repeated_siblings_without_a_heading_or_a_date_are_still_no_listing():
    # The same utility classes, a menu, an article and three columns of links: no items, as before.
    links = "".join(f'<div {_UTILITY}><a {_UTILITY} href="/{name}">{name.title()} page of the site</a></div>'
                    for name in ("about", "archive", "help", "terms", "privacy", "jobs"))
    html = page(f'<div {_UTILITY}>{links}</div><div {_UTILITY}><p>{SUMMARY}</p><p>{SUMMARY}</p></div>')
    assert fallback_items(html)[0] == []


def test_an_inner_wrapper_named_like_its_block_around_the_link_is_the_blocks_own():
    # A site builder nests column wrappers of one class name: the inner one holds the item's
    # only link, so it is the item's content, not another item an unclosed tag put there.
    def section(n: int, label: str) -> str:
        return (f'<div class="col"><div class="in"><div class="col"><p>{label}</p>'
                f'<h3><a href="/s/{n}">Section story number {n}</a></h3><p>{n} June 2023</p><p>{RESUME}</p>'
                f"</div></div></div>")

    html = page(f'<div class="list">{section(3, "Rapport") + section(2, "Article") + section(1, "Rapport")}</div>',
                lang="fr")
    assert fields(items_of(html), "url", "date_text", "label", "summary") == [
        ("/s/3", "3 June 2023", "Rapport", RESUME),
        ("/s/2", "2 June 2023", "Article", RESUME),
        ("/s/1", "1 June 2023", "Rapport", RESUME),
    ]


def test_main_is_content_inside_a_wrapper_named_like_chrome_but_not_inside_a_hidden_one():
    rows = "".join(f'<li><h3><a href="/q/{n}">Listed story number {n}</a></h3><p>{n} May 2024</p></li>' for n in (1, 2))
    # "page-navbar": a layout that has a navbar; the listing is in <main> inside it.
    wrapped = f'<nav><a href="/">Home</a></nav><div class="page-layout page-navbar"><main><ul>{rows}</ul></main></div>'
    assert [item.url for item in items_of(page(wrapped))] == ["/q/1", "/q/2"]
    assert fallback_items(page(f"<div hidden><main><ul>{rows}</ul></main></div>"))[0] == []


def test_the_first_link_to_the_item_is_its_title_and_a_longer_one_to_it_its_teaser():
    def row(n: int, first: str) -> str:
        return (f'<li><a href="/t/{n}">{first}</a><p>{n} May 2024</p>'
                f'<a href="/t/{n}">{SUMMARY}</a></li>')

    items = items_of(page("<ul>" + row(2, "Title of teaser story two") + row(1, "Title of teaser story one") + "</ul>"))
    assert fields(items, "title", "summary") == [
        ("Title of teaser story two", SUMMARY), ("Title of teaser story one", SUMMARY)]
    # A date or a word or two linking to the item first is no title: the longer link still is.
    for first in ("2 May 2024", "Video"):
        assert [item.title for item in items_of(page("<ul>" + row(2, first) + row(1, first) + "</ul>"))] == [
            SUMMARY, SUMMARY]


def test_a_section_heading_with_a_link_above_a_table_of_items_is_no_item():
    # A wiki's year headings, each with an "[edit]" link, then the year's table of items.
    def year(y: int, section: int) -> str:
        rows = "".join(f'<tr><td>{d} mai {y}</td><td><a href="/w/{y}-{d}">Nouvelle numéro {d} de {y}</a></td>'
                       f"<td>{RESUME}</td></tr>" for d in (3, 2))
        return (f'<div class="heading"><h2>{y}</h2><span>[<a href="/edit?section={section}">modifier</a>]</span></div>'
                f"<table><tr><th>Date</th><th>Titre</th><th>Résumé</th></tr>{rows}</table>")

    see_also = '<ul><li><a href="/wiki/a">Socle de protection</a></li><li><a href="/wiki/b">C102</a></li></ul>'
    html = page(f'<div class="content">{year(2024, 1)}{year(2023, 2)}'
                f'<div class="heading"><h2>Voir aussi</h2><span>[<a href="/edit?section=3">modifier</a>]</span></div>'
                f"{see_also}</div>", lang="fr")
    assert [item.url for item in items_of(html)] == ["/w/2024-3", "/w/2024-2", "/w/2023-3", "/w/2023-2"]


def test_titles_stand_in_one_place_across_a_region():
    # An aggregator: each entry under its source's heading, which links to the source's home.
    # Sources met twice are shared links (never a title); one met once must not be the title either.
    def entry(n: int, source: str) -> str:
        return (f'<div class="day"><h3><a href="/{source.lower()}/">{source}</a></h3>'
                f'<h4><a href="/e/{n}">Entry number {n} of the aggregated feeds</a></h4><p>{n} June 2022</p></div>')

    html = page(entry(5, "Africa") + entry(4, "Africa") + entry(3, "Asia") + entry(2, "Asia") + entry(1, "Live"))
    assert [(item.title, item.url) for item in items_of(html)] == [
        (f"Entry number {n} of the aggregated feeds", f"/e/{n}") for n in (5, 4, 3, 2, 1)]


def test_a_block_that_swallowed_the_next_items_and_the_sidebar_does_not_read_the_sidebar():
    def day(n: int, rest: str = "", close: str = "</div>") -> str:
        return (f'<div class="day"><h2>June {n}, 2022</h2><div class="entry">'
                f'<h4><a href="/e/{n}">Entry number {n} of the planet</a></h4>{rest}'
                f"<p>by the team at June {n}, 2022 09:30 AM</p></div>{close}")

    sidebar = f'<div class="sidebar"><img src="/logo.png" alt=""><p>{SUMMARY}</p></div>'
    # The second entry's day is never closed: the third and the sidebar end up inside it.
    html = page(day(10, f"<p>{SUMMARY}</p>") + day(8, close="") + day(1, '<img src="/e1.jpg" alt="">') + sidebar)
    assert fields(items_of(html), "url", "summary", "image") == [
        ("/e/10", SUMMARY, None), ("/e/8", None, None), ("/e/1", None, "/e1.jpg")]


def test_a_section_named_after_its_heading_is_no_chrome_and_a_heading_permalink_no_word_of_the_title():
    # Generators make each section's id from its heading: "social" in it names no share bar.
    def section(slug: str, title: str, n: int) -> str:
        return (f'<section id="{slug}"><h3><a href="/n/{n}">{title}</a><a class="headerlink" href="#{slug}">¶</a></h3>'
                f"<p>2024-05-0{n} · News</p></section>")

    html = page('<section id="news"><h2>News</h2>'
                + section("extending-social-protection-to-workers", "Extending social protection to workers", 3)
                + section("pensions-in-the-region", "Pensions in the region", 2)
                + section("health-care-for-all", "Health care for all", 1) + "</section>")
    assert [item.title for item in items_of(html)] == [
        "Extending social protection to workers", "Pensions in the region", "Health care for all"]
    # A share bar's own name still marks chrome.
    rows = "".join(f'<li><h3><a href="/s/{n}">Share on {n}</a></h3><p>{n} May 2024</p></li>' for n in (1, 2))
    assert fallback_items(page(f'<div id="social-share-bar"><ul>{rows}</ul></div>'))[0] == []


def test_an_item_whose_heading_has_no_link_is_read_from_its_read_more_on_line():
    # Two headings of the year's sections are plain text; their link is "Read more on <a>ilo.org</a>."
    def item(n: int, linked: bool) -> str:
        title = f"Story number {n} of the year"
        heading = f'<h3><a href="/n/{n}">{title}</a></h3>' if linked else f"<h3>{title}</h3>"
        more = f'<p>Read more on <a href="https://www.ilo.org/n/{n}">ilo.org</a>.</p>' if not linked else ""
        return f"<section>{heading}<p>{n} May 2024</p><p>{SUMMARY}</p>{more}</section>"

    html = page(f'<section><h2>2024</h2>{item(6, False)}{item(5, True)}{item(4, True)}</section>'
                f'<section><h2>2023</h2>{item(3, True)}{item(2, False)}{item(1, True)}</section>')
    assert [item.url for item in items_of(html)] == [
        "https://www.ilo.org/n/6", "/n/5", "/n/4", "/n/3", "https://www.ilo.org/n/2", "/n/1"]
    # A link inside a teaser's sentence stays no link of the item.
    sentence = page("<ul>" + "".join(
        f'<li><h3>Plain story {n}</h3><p>{n} May 2024</p><p>The report, which you can <a href="/r/{n}">download</a>.'
        "</p></li>" for n in (2, 1)) + "</ul>")
    assert fallback_items(sentence)[0] == []


def test_a_long_label_in_the_meta_line_makes_no_place_of_summaries_nor_does_a_reading_time():
    def post(n: int, label: str, teaser: str) -> str:
        return (f'<article><ul class="meta"><li><time datetime="2023-0{n}-01">1 de mayo de 2023</time></li>'
                f'<li>en <a href="/category/{n}">{label}</a></li><li>{n} min de lectura</li></ul>'
                f'<h2><a href="/blog/{n}">Entrada número {n} del blog de la red</a></h2>{teaser}</article>')

    resumen = "Un resumen bastante largo para ser el de la entrada, y no una etiqueta."
    html = page(post(3, "ILO Live", f"<p>{resumen}</p>") + post(2, "Reuniones Anuales del Banco Mundial y el FMI",
                f"<p>{resumen}</p>") + post(1, "ILO Live", ""), lang="es")
    assert fields(items_of(html), "label", "summary") == [
        ("ILO Live", resumen), ("Reuniones Anuales del Banco Mundial y el FMI", resumen), ("ILO Live", None)]


def test_a_table_header_names_the_fields_of_each_rows_cells():
    # A database export: the title links to the export's own page of the row, the "Link"
    # column holds the article's address; "Summary" and "Type" cells are sometimes empty.
    def row(n: int, kind: str, summary: str) -> str:
        url = f"https://www.ilo.org/resource/news/story-{n}"
        return (f'<tr><td><a href="Export/Story%20{n}%20a1b2.html">Exported story number {n}</a></td>'
                f"<td>@{n} May 2024</td><td><span>{kind}</span></td>"
                f'<td><a href="{url}">{url}</a></td><td>{summary}</td></tr>')

    header = "<tr><th>Name</th><th>Date</th><th>Type</th><th>Link</th><th>Summary</th></tr>"
    html = page(f'<table><thead>{header}</thead><tbody>{row(3, "News", SUMMARY)}{row(2, "", "")}'
                f'{row(1, "Press release", SUMMARY)}</tbody></table>')
    assert fields(items_of(html), "title", "url", "label", "summary") == [
        ("Exported story number 3", "https://www.ilo.org/resource/news/story-3", "News", SUMMARY),
        ("Exported story number 2", "https://www.ilo.org/resource/news/story-2", None, None),
        ("Exported story number 1", "https://www.ilo.org/resource/news/story-1", "Press release", SUMMARY),
    ]


def test_the_same_name_after_every_date_on_its_line_is_a_byline_and_a_varying_one_a_label():
    def post(n: int, after: str, teaser: str = "") -> str:
        return (f'<li><h3><a href="/p/{n}">Post number {n} of the brief</a></h3>{teaser}'
                f'<div><time datetime="2024-05-0{n}">May {n}, 2024</time><span>∙</span>{after}</div></li>')

    team = '<a href="/@team">Brief team</a>'
    html = page(f"<ul>{post(3, team, f'<p>{SUMMARY}</p>')}{post(2, team)}{post(1, team, f'<p>{SUMMARY}</p>')}</ul>")
    assert fields(items_of(html), "label", "summary") == [(None, SUMMARY), (None, None), (None, SUMMARY)]
    kinds = "".join(post(n, f'<a href="/type/{kind}">{kind}</a>') for n, kind in enumerate(("News", "Video", "News")))
    assert [item.label for item in items_of(page(f"<ul>{kinds}</ul>"))] == ["News", "Video", "News"]


def test_a_card_a_broken_end_tag_moved_out_of_its_list_is_still_the_lists():
    def card(n: int) -> str:
        return f'<li class="card"><div class="body"><a href="/c/{n}">Card story {n}</a><p>{n} May 2024</p></div></li>'

    # A stray </ul> (a label closed by the wrong end tag) ends the list before the last card.
    html = page(f'<div class="news"><ul class="cards">{card(3)}{card(2)}</ul>{card(1)}</div>')
    assert [item.url for item in items_of(html)] == ["/c/3", "/c/2", "/c/1"]


@pytest.mark.parametrize(("lang", "words"), [
    ("fr", "Lire sur le site de l’OIT"), ("en", "Read on the ILO website"), ("es", "Leer en el sitio web de OIT")])
def test_a_read_on_the_site_link_is_no_label(lang: str, words: str):
    rows = "".join(f'<li><h3><a href="/n/{n}">Story number {n} of the site</a></h3><p>{n} May 2024</p>'
                   f'<p><a href="https://www.ilo.org/n/{n}">{words}</a></p></li>' for n in (3, 2, 1))
    assert [item.label for item in items_of(page(f"<ul>{rows}</ul>", lang=lang))] == [None, None, None]


def test_a_wrapper_named_after_the_sidebar_beside_it_that_holds_the_pages_title_is_no_chrome():
    def rows(prefix: str) -> str:
        return "".join(f'<li><h3><a href="/{prefix}/{n}">Story {n} of {prefix}</a></h3><p>{n} May 2024</p></li>'
                       for n in (3, 2, 1))

    side = f'<div class="sidebar"><ul>{rows("side")}</ul></div>'
    html = page(f'<div class="layout-with-sidebar"><h1>News</h1><ul>{rows("news")}</ul></div>{side}')
    assert [item.url for item in items_of(html)] == ["/news/3", "/news/2", "/news/1"]
    # A bar named like chrome whose heading is the site's linked name stays chrome.
    logo = f'<div class="navbar"><h1><a href="/">The site</a></h1><ul>{rows("menu")}</ul></div>'
    assert fallback_items(page(logo + side))[0] == []


def test_titles_with_teasers_are_a_listing_on_a_page_with_nothing_headed_or_dated():
    # Relative dates ("2 days ago") and titles in plain divs: nothing else on the page is a listing.
    posts = "".join(f'<div class="post"><div class="t"><a href="/p/{n}">Undated post number {n} here</a></div>'
                    f"<p>{SUMMARY}</p><span>{n} days ago</span></div>" for n in (1, 2, 3))
    menu = '<div class="top"><a href="/">Home</a> <a href="/about">About us</a></div>'
    assert [item.url for item in items_of(page(f'{menu}<div class="posts">{posts}</div>'))] == ["/p/1", "/p/2", "/p/3"]
    # Columns of links with short descriptions, an article's paragraphs: still no listing.
    columns = "".join(f'<div class="col"><a href="/{name}">{name.title()} of the site</a><p>Short words.</p></div>'
                      for name in ("about", "jobs", "press"))
    assert fallback_items(page(f"{menu}<div>{columns}</div><p>{SUMMARY}</p><p>{SUMMARY}</p>"))[0] == []
    # A page with a dated listing reads it as before, not its undated teasers too.
    dated = "".join(f'<li><h3><a href="/d/{n}">Dated story {n}</a></h3><p>{n} May 2024</p></li>' for n in (1, 2))
    assert [item.url for item in items_of(page(f'<ul>{dated}</ul><div class="posts">{posts}</div>'))] == [
        "/d/1", "/d/2"]


def test_a_cell_of_its_own_gives_the_time_or_the_last_day_of_a_dated_row():
    def row(day: str, when: str) -> str:
        return f'<tr><td>{day}</td><td><a href="/e/{day[:2]}">Événement du {day}</a></td><td>{when}</td></tr>'

    html = page("<table><tr><th>Date</th><th>Titre</th><th>Horaire</th></tr>" + row("24/03/2023", "9 h 00 (CET)")
                + row("27/06/2023", "jusqu’au 28/06/2023") + row("20/06/2023", "") + "</table>", lang="fr")
    rows = [item_json(one) for one in normalize_items(items_of(html), Context.for_page("https://e.org/"))]
    assert [(one["published"], one["end"]) for one in rows] == [
        ("2023-03-24T09:00:00+01:00", None), ("2023-06-27", "2023-06-28"), ("2023-06-20", None)]


# --- long regions: the template its sample proves ----------------------------------


def long_page(count: int, odd: int | None = None) -> str:
    """A listing whose items vary (label, image, summary, date form) on a period the sample cannot see."""
    rows = []
    for n in range(count):
        parts = ['<li class="entry">']
        if n % 3 == 0:
            parts.append(f'<div class="pic"><a href="/n/{n}"><img src="/i/{n}.jpg" alt=""></a></div>')
        if n % 7:
            parts.append(f'<p class="kicker">{["News", "ILO Live", "Feature"][n % 3]}</p>')
        parts.append(f'<h3 class="t"><a href="/n/{n}">Item number {n}</a></h3>')
        parts.append(f'<p class="d">{["27-28 June 2023", "3 May 2023", "Press release | 2 May 2023"][n % 3]}</p>')
        if n % 5:
            parts.append(f'<p class="s">{SUMMARY} ({n})</p>')
        if n == odd:
            parts.append('<div class="note">A note no other item has, read in full.</div>')
        parts.append("</li>")
        rows.append("".join(parts))
    return page(f'<ol class="list">{"".join(rows)}</ol>')


@pytest.mark.parametrize("odd", [None, 137])
def test_a_long_region_reads_the_same_as_block_by_block(monkeypatch, odd):
    html = long_page(200, odd)
    fast = items_of(html)
    import spfeed.fallback

    monkeypatch.setattr(spfeed.fallback, "_SAMPLE", 10_000)  # every region read block by block
    assert items_of(html) == fast
    assert len(fast) == 200
    assert fields(fast[135:138], "label", "summary", "image") == [
        ("News", None, "/i/135.jpg"),
        ("ILO Live", f"{SUMMARY} (136)", None),
        ("Feature", f"{SUMMARY} (137)", None),
    ]


# --- the fixtures, against the items their profiles give ---------------------------

# Every fixture a profile reads (the built-in ones, and a user's for the platform table).
PROFILE_FIXTURES = [(name, count) for name, _, profile, count in LAYOUT_FIXTURES if profile != FALLBACK]
MIN_SHARE = 0.98


def fallback_rows(name: str) -> list[dict[str, object]]:
    result = scrape(Source(location=str(FIXTURES / name), profile=FALLBACK))
    assert result.parsed.profile == FALLBACK
    return [item_json(item) for item in result.items]


def test_the_fallback_gets_98_percent_of_the_fields_the_profiles_get(caplog):
    caplog.set_level(logging.ERROR)
    scores = []
    for name, _ in PROFILE_FIXTURES:
        golden = json.loads((FIXTURES / name.replace(".html", ".items.json")).read_text("utf-8"))
        scores.append((name, score(fallback_rows(name), golden)))
    summed = total(one for _, one in scores)
    table = markdown_table(scores)
    assert summed.ratio >= MIN_SHARE, table
    assert not summed.missing and not summed.extra and summed.order_ok, table
    worst = min(scores, key=lambda pair: pair[1].ratio)
    assert worst[1].ratio >= 0.95, table


def test_the_fixtures_read_as_well_with_no_class_or_id_at_all():
    # Structure alone: the same pages with every class and id attribute removed.
    from lxml import etree

    from spfeed.fetch import read_file
    from spfeed.markup import tree

    scores = []
    for name, _ in PROFILE_FIXTURES:
        root = tree(read_file(FIXTURES / name).text)
        for element in root.iter(etree.Element):
            for attribute in ("class", "id"):
                element.attrib.pop(attribute, None)
        bare = etree.tostring(root, encoding="unicode", method="html")
        parsed = parse_page(bare, (FIXTURES / name).as_uri(), profile=FALLBACK)
        items = normalize_items(parsed.items, Context.for_page(parsed.base_url))
        golden = json.loads((FIXTURES / name.replace(".html", ".items.json")).read_text("utf-8"))
        scores.append((name, score([item_json(item) for item in items], golden)))
    summed = total(one for _, one in scores)
    table = markdown_table(scores)
    assert summed.ratio >= MIN_SHARE and not summed.missing and not summed.extra and summed.order_ok, table


def test_scrape_json_gives_every_field_of_a_page_unlike_any_fixture(tmp_path: Path):
    path = tmp_path / "listing.html"
    path.write_text(DIV_PAGE.replace('<div><div><h1>', '<div><div><h1><a href="/">Home</a>'), "utf-8")
    result = CliRunner().invoke(main, ["scrape", str(path), "--json", "--base-url", "https://example.org/news/"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows[0] == {
        "title": "First story about social protection",
        "url": "https://example.org/n/1",
        "published": "2024-03-12",
        "end": None,
        "category": "News",
        "summary": SUMMARY,
        "image": "https://example.org/img/1.jpg",
    }
    assert [row["category"] for row in rows] == ["News", "Press release", "News"]
    assert "generic fallback" in result.stderr


def test_fallback_items_takes_html_or_the_tree_parse_built():
    from spfeed.markup import tree

    assert fallback_items(DL_PAGE) == fallback_items(tree(DL_PAGE))
    assert parse_page(DL_PAGE, "https://example.org/").items == items_of(DL_PAGE)


def test_items_after_a_stray_end_of_page_are_read_as_a_browser_shows_them():
    # Two templates glued together: the first ends the page, the listing follows.
    html = (
        "<html><head><title>News</title></head><body><header><a href='/'>Home</a></header></body></html>"
        "<ul>"
        "<li><h3><a href='/news/a'>Pension reform in Viet Nam</a></h3><p>17 September 2023</p></li>"
        "<li><h3><a href='/news/b'>Social protection floors in Africa</a></h3><p>27 June 2023</p></li>"
        "<li><h3><a href='/news/c'>Unemployment benefits for all</a></h3><p>24 March 2023</p></li>"
        "</ul></body></html>"
    )
    assert fields(items_of(html), "title") == [
        ("Pension reform in Viet Nam",),
        ("Social protection floors in Africa",),
        ("Unemployment benefits for all",),
    ]


def test_the_first_item_a_stray_end_tag_leaves_alone_in_the_list_is_the_lists():
    def entry(n: int, kind: str = "entry") -> str:
        return f'<li class="{kind}"><a href="/n/{n}">Story number {n} on pensions</a> <span>{n} May 2024</span></li>'

    # "</div>" after the first item closes the list and its box: the others stand after them.
    html = page('<main><div class="box"><ul class="list">' + entry(3) + "</div>" + entry(2) + entry(1) + "</ul></main>")
    assert [item.url for item in items_of(html)] == ["/n/3", "/n/2", "/n/1"]
    # Left alone: a lone block of another shape before the list (a notice) is no item of it.
    html = page('<main><ul><li class="notice"><a href="/n/9">Site maintenance on Sunday night</a> <span>9 May 2024'
                "</span></li></ul><ul>" + entry(2) + entry(1) + "</ul></main>")
    assert [item.url for item in items_of(html)] == ["/n/2", "/n/1"]


# --- pages in other languages ---------------------------------------------------------


def _read_page(html: str, languages: tuple[str, ...] = ("en", "fr", "es")) -> list[dict[str, object]]:
    parsed = parse_page(html, "https://example.org/", profile=FALLBACK, languages=languages)
    context = Context.for_page(parsed.base_url, languages=parsed.languages)
    return [item_json(item) for item in normalize_items(parsed.items, context)]


def test_a_pages_own_language_reads_its_dates_when_another_is_configured():
    # A source left at its default language (English) on a German page: the page's
    # lang says in which language its month names are, and the dates are read.
    cards = "".join(
        f'<div><h3><a href="/de/{n}">Meldung Nummer {n} zur sozialen Sicherung</a></h3><p>{n}. März 2024</p></div>'
        for n in (4, 3, 2)
    )
    html = page(f"<main>{cards}</main>", lang="de-DE")
    assert parse_page(html, "https://example.org/", profile=FALLBACK).languages == ("en", "de", "fr", "es")
    assert [item["published"] for item in _read_page(html)] == ["2024-03-04", "2024-03-03", "2024-03-02"]
    # A lang CLDR does not know is no language to read: no error, the configured ones stay.
    unknown = html.replace('lang="de-DE"', 'lang="x-private"')
    assert parse_page(unknown, "https://example.org/", profile=FALLBACK).languages == ("en", "fr", "es")
    assert [item["published"] for item in _read_page(unknown)] == [None, None, None]


def test_a_year_heading_in_another_script_completes_the_days_below_it_and_a_box_of_yearless_days_is_no_listing():
    def rows(prefix: str, days: list[str]) -> str:
        return "".join(
            f'<li><a href="/{prefix}/{n}">第{n}条关于社会保护的新闻标题</a> <span>[{day}]</span></li>'
            for n, day in enumerate(days)
        )

    html = page(
        f"<div><h3>2022年</h3><ul>{rows('a', ['11-30', '10-17', '06-10'])}</ul>"
        f"<h3>٢٠٢١</h3><ul>{rows('b', ['10-20', '09-01'])}</ul></div>"
        # A "Most read" box after them: its days have no heading that gives their year.
        f"<div><h4>热点排行</h4><ol>{rows('c', ['09-13', '09-11', '09-06'])}</ol></div>",
        lang="zh-CN",
    )
    assert [(item["url"], item["published"]) for item in _read_page(html)] == [
        ("https://example.org/a/0", "2022-11-30"),
        ("https://example.org/a/1", "2022-10-17"),
        ("https://example.org/a/2", "2022-06-10"),
        ("https://example.org/b/0", "2021-10-20"),
        ("https://example.org/b/1", "2021-09-01"),
    ]
    # Without the year headings, no list is dated: all of them stay, undated.
    bare = html.replace("<h3>2022年</h3>", "").replace("<h3>٢٠٢١</h3>", "")
    assert [item["published"] for item in _read_page(bare)] == [None] * 8


def test_what_a_title_says_to_screen_readers_only_at_its_end_is_no_word_of_it():
    cards = "".join(
        f'<li><h3><a href="/de/{n}" target="_blank"><span>Meldung {n} zur sozialen Sicherung</span>'
        f'<span class="u-visually-hidden"> (externer Link)</span></a></h3><p>{n}.03.2024</p></li>'
        for n in (1, 2, 3)
    )
    # Left alone: hidden text inside the title (it is read as part of the sentence), and a title
    # that is nothing but hidden text.
    cards += ('<li><h3><a href="/de/4">Meldung <span class="sr-only">vier</span> zur Sicherung</a></h3>'
              "<p>4.03.2024</p></li>"
              '<li><h3><a href="/de/5"><span class="visually-hidden">Meldung fünf</span></a></h3><p>5.03.2024</p></li>')
    items = items_of(page(f"<main><ul>{cards}</ul></main>", lang="de"))
    assert [(item.title, item.label) for item in items] == [
        ("Meldung 1 zur sozialen Sicherung", None),
        ("Meldung 2 zur sozialen Sicherung", None),
        ("Meldung 3 zur sozialen Sicherung", None),
        ("Meldung vier zur Sicherung", None),
        ("Meldung fünf", None),
    ]


def test_a_lazy_loaders_real_picture_wins_over_its_placeholder():
    cards = "".join(
        f'<article><img src="/img/placeholder.gif" {attr}="/photos/{n}.jpg" width="380" height="214" alt="">'
        f'<h2><a href="/n/{n}">Story number {n} about pensions</a></h2><p>{n} May 2024</p></article>'
        for n, attr in ((1, "data-src"), (2, "data-lazy-src"), (3, "data-original"))
    )
    # Left alone: a picture with its own src only.
    cards += '<article><img src="/photos/4.jpg" alt=""><h2><a href="/n/4">Story four</a></h2><p>4 May 2024</p>'
    cards += "</article>"
    assert [item.image for item in items_of(page(f"<main>{cards}</main>"))] == [
        "/photos/1.jpg", "/photos/2.jpg", "/photos/3.jpg", "/photos/4.jpg",
    ]


def test_read_more_links_and_field_names_in_other_languages_are_no_labels():
    # "Weiterlesen »", "Подробнее", "[详细]" link to the item and name nothing; a row's "Autor:" or
    # "Источник:" names a field that is no label. Left alone: a label that only starts like a
    # read-more word ("Mehrwertsteuer").
    rows = [("Weiterlesen »", "Nachricht", "Autor: Jana Schmidt", "Nachricht"),
            ("Подробнее", "Новость", "Источник: МОТ", "Новость"),
            ("[详细]", "Mehrwertsteuer", "Ort: Genf", "Mehrwertsteuer")]
    cards = "".join(
        f'<div><h3><a href="/n/{n}">Meldung Nummer {n} zur sozialen Sicherung</a></h3>'
        f'<p><small>{n}.03.2024 | {label}</small></p><p><span>{row}</span></p><p><a href="/n/{n}">{more}</a></p></div>'
        for n, (more, label, row, _) in enumerate(rows, start=1)
    )
    items = items_of(page(f"<main>{cards}</main>", lang="de"))
    assert [item.label for item in items] == [label for *_, label in rows]


def test_a_srcset_gives_its_widest_picture_and_one_without_widths_its_first():
    blank = "data:image/gif;base64,R0lGODlhAQABAAAAACw="
    sets = [
        "/img/1.jpg?imwidth=360 360w, /img/1.jpg 720w",
        "/img/2-big.jpg 1280w, /img/2-small.jpg 640w",
        "/img/3.jpg 1x, /img/3@2x.jpg 2x",  # left alone: no widths, the first
    ]
    cards = "".join(
        f'<article><img src="{blank}" data-srcset="{srcset}" alt=""><h2><a href="/n/{n}">Story number {n} about'
        f" pensions</a></h2><p>{n} May 2024</p></article>"
        for n, srcset in enumerate(sets, start=1)
    )
    assert [item.image for item in items_of(page(f"<main>{cards}</main>"))] == [
        "/img/1.jpg", "/img/2-big.jpg", "/img/3.jpg",
    ]


def test_a_line_that_is_a_date_a_dash_and_the_teaser_gives_both():
    teasers = [f"{SUMMARY} Number {n}." for n in (1, 2, 3)]
    rows = [
        ("17/09/2024", f"17/09/2024 - {teasers[0]}", "2024-09-17", teasers[0]),
        ("24 March 2023", f"24 March 2023 — {teasers[1]}", "2023-03-24", teasers[1]),
        # Left alone: a date alone, and a teaser that starts with no date.
        ("", "20/06/2024", "2024-06-20", None),
        ("", f"Geneva - {teasers[2]}", None, f"Geneva - {teasers[2]}"),
    ]
    cards = "".join(
        f'<li><div class="t"><a href="/n/{n}">Story number {n} about pensions</a></div>'
        f'<span class="d">{line}</span></li>'
        for n, (_, line, _, _) in enumerate(rows, start=1)
    )
    html = page(f'<main><ul class="news">{cards}</ul></main>')
    assert [(item["published"], item.get("summary")) for item in _read_page(html)] == [
        (published, summary) for _, _, published, summary in rows
    ]


def test_list_items_an_unclosed_link_nested_are_read_as_the_siblings_they_are():
    # "<LI><a href=…><img …>" never closed: libxml2 keeps the <a> open and puts the next <LI> in it
    # (a browser closes the item). The third item has no picture link.
    def item(n: int, picture: bool) -> str:
        image = f'<a href="/n/{n}"><img src="/img/{n}.jpg" alt="">' if picture else ""
        return (f"<LI class=news>{image}<span class=kicker>Report</span>"
                f'<h2><a href="/n/{n}">Story number {n} about social protection</a></h2>'
                f"<span class=time>{n} May 2024</span><P>{SUMMARY}")

    html = page("<ul class=list>" + "".join(item(n, n != 3) for n in range(1, 6)) + "</ul>")
    assert [(item.url, item.date_text, item.image) for item in items_of(html)] == [
        (f"/n/{n}", f"{n} May 2024", None if n == 3 else f"/img/{n}.jpg") for n in range(1, 6)
    ]


def test_a_list_inside_a_list_item_stays_inside_it():
    nested = "".join(
        f'<li><h3><a href="/n/{n}">Story number {n} about pensions</a></h3><p>{n} May 2024</p>'
        f'<ul><li><a href="/n/{n}/annex">Annex</a></li></ul></li>'
        for n in (1, 2, 3)
    )
    root = tree(page(f"<ul>{nested}</ul>"))
    before = etree.tostring(root)
    _unnest_list_items(root)
    assert etree.tostring(root) == before


@pytest.mark.parametrize("brackets", ["[]", "【】", "〔〕", "［］"])
def test_a_label_in_brackets_before_the_title_is_the_label_without_them(brackets):
    opening, closing = brackets
    labels = ["声明", "新闻稿", "声明"]
    rows = "".join(
        f'<li><span>{opening}{label}{closing}</span><a href="/n/{n}">第{n}条关于社会保护的新闻标题</a>'
        f"<span>2024-10-{n + 10}</span></li>"
        for n, label in enumerate(labels, start=1)
    )
    assert [item.label for item in items_of(page(f"<ul>{rows}</ul>", lang="zh"))] == labels


# --- general causes the sixth held-out set showed (pages written here, not its pages) ---


def _post(n: int, kind: str, footer: str) -> str:
    """A blog post: a short line above its title link, a summary, and a footer after its date."""
    return (f'<article>{kind}<h2><a href="/p/{n}">Post number {n} on social protection</a></h2><p>{SUMMARY}</p>'
            f"<footer><time>{n} May 2024</time> {footer}</footer></article>")


def _labels_of_posts(*posts: tuple[str, str]) -> list[tuple[str | None, ...]]:
    html = "".join(_post(n, kind, footer) for n, (kind, footer) in zip((3, 2, 1), posts, strict=True))
    return fields(items_of(page(f"<main>{html}</main>")), "label")


def test_a_count_of_notes_or_replies_is_no_label_but_a_type_that_names_notes_is():
    assert _labels_of_posts(*((f'<a href="/c">{count}</a>', "") for count in ("12 notas", "3 replies", "1 note"))) == [
        (None,), (None,), (None,)
    ]
    kinds = ("Notes", "Policy notes", "News")
    assert _labels_of_posts(*((f"<span>{kind}</span>", "") for kind in kinds)) == [(kind,) for kind in kinds]


def test_a_host_name_beside_a_link_is_no_label():
    def post(n: int, kind: str) -> str:
        return (f'<article><div><a href="https://ext.example.org/{n}">Linked story number {n} on pensions</a>'
                f' <span>ext.example.org</span></div>{kind}<p>{SUMMARY}</p><footer><time>{n} May 2024</time>'
                "</footer></article>")
    posts = post(3, "") + post(2, "") + post(1, "")
    assert fields(items_of(page(f"<main>{posts}</main>")), "url", "label") == [
        ("https://ext.example.org/3", None), ("https://ext.example.org/2", None), ("https://ext.example.org/1", None),
    ]
    # A label that is a site's name with its dot stays: it has capitals or spaces.
    posts = post(3, "<p>Europa.eu news</p>") + post(2, "<p>Video</p>") + post(1, "<p>Europa.eu news</p>")
    assert fields(items_of(page(f"<main>{posts}</main>")), "label") == [
        ("Europa.eu news",), ("Video",), ("Europa.eu news",),
    ]


def test_a_month_archives_heading_dates_a_bare_list_of_links_under_it():
    entries = "".join(f'<LI><A HREF="0000{n}.html">Message number {n} about social protection</A>'
                      f"<I>Department of Social Security {n}</I>" for n in (41, 42, 43))
    items = items_of(page(f"<h1>{{heading}}</h1><ul>{entries}</ul>").replace("{heading}", "March 2022 Archives"))
    assert fields(items, "url", "group_date", "date_text") == [
        (f"0000{n}.html", "March 2022 Archives", None) for n in (41, 42, 43)
    ]
    # Under a heading that names no month (a year alone completes a day and month, it dates nothing),
    # or with two entries only, a bare list of links is no listing.
    for heading in ("Topics", "2022"):
        assert items_of(page(f"<h1>{heading}</h1><ul>{entries}</ul>")) == []
    two = "".join(f'<li><a href="/m/{n}">Message number {n} about pensions</a></li>' for n in (1, 2))
    assert items_of(page(f"<h1>March 2022</h1><ul>{two}</ul>")) == []
    # Nor is a list of tags after a dated listing under the page's month title.
    listing = "".join(f'<h2><a href="/s/{n}">Story number {n} about pensions</a></h2><p>{n} March 2022</p>'
                      for n in (1, 2, 3))
    tags = "".join(f'<li><a href="/tag/{tag}">{tag}</a></li>' for tag in ("pensions", "health", "ilo"))
    items = items_of(page(f"<h1>Watch, March 2022</h1><main>{listing}</main><ul>{tags}</ul>"))
    assert [item.url for item in items] == ["/s/1", "/s/2", "/s/3"]


def test_a_place_where_most_items_name_an_organisation_is_no_label():
    def row(n: int, org: str, kind: str) -> str:
        return (f'<div class="r"><h3><a href="/r/{n}">Story number {n} about pensions</a></h3>{kind}'
                f"<p>{org}</p><p>{n} May 2024</p></div>")
    orgs = ("ILO Social Protection Department", "Organisation internationale du Travail · Genève",
            "Ministerio de Trabajo", "ILO Social Protection Department")
    items = items_of(page("<main>" + "".join(row(n, org, "") for n, org in enumerate(orgs)) + "</main>"))
    assert fields(items, "label", "summary") == [(None, None)] * 4
    kinds = ("<span>Press release</span>", "<span>Communiqué de presse</span>", "", "<span>News</span>")
    rows = enumerate(zip(orgs, kinds, strict=True))
    items = items_of(page("<main>" + "".join(row(n, org, kind) for n, (org, kind) in rows) + "</main>"))
    assert fields(items, "label") == [("Press release",), ("Communiqué de presse",), (None,), ("News",)]
    # One office among short names in the same place (a column of sources) stays their label.
    sources = ("ILO", "ILO Office for Senegal", "SOCPRO", "ILO")
    items = items_of(page("<main>" + "".join(row(n, "", f"<span>{t}</span>") for n, t in enumerate(sources))
                          + "</main>"))
    assert fields(items, "label") == [(t,) for t in sources]
    # A type that names an office's work stays a label: one or two words are a type, not a name.
    types = ("Office news", "Statement", "Office news", "Statement")
    items = items_of(page("<main>" + "".join(row(n, "", f"<span>{t}</span>") for n, t in enumerate(types))
                          + "</main>"))
    assert fields(items, "label") == [(t,) for t in types]


def _blog(posts: list[tuple[str, int, str]], entry: str) -> str:
    """A blog's posts under day headings, in a part named like a sidebar box: each day heading over
    its posts (one may cover two), the time in each post's footer, in an <abbr title> (hAtom)."""
    days: dict[str, list[str]] = {}
    for day, n, stamp in posts:
        days.setdefault(day, []).append(
            f'<div class="{entry}"><h3><a href="/{n}.html">Blog post number {n} on social protection</a></h3>'
            f"<p>{SUMMARY}</p><div>Posted at <abbr title='{stamp}'>{stamp[11:16]}</abbr></div></div>")
    body = "".join(f"<div><h2>{day}</h2>{''.join(entries)}</div>" for day, entries in days.items())
    side = '<div class="sidebar"><h2>Popular</h2><ul><li><a href="/9.html">An older popular post</a></li></ul></div>'
    return page(f'<div class="widget Blog">{body}</div>{side}', lang="es")


def test_a_blogs_posts_marked_as_entries_are_read_in_a_part_named_like_chrome_with_their_abbr_time():
    posts = [("jueves, 28 de julio de 2022", 3, "2022-07-28T09:40:00-05:00"),
             ("viernes, 10 de junio de 2022", 2, "2022-06-10T11:05:00-05:00"),
             ("viernes, 10 de junio de 2022", 1, "2022-06-10T08:00:00-05:00")]
    items = items_of(_blog(posts, "post hentry"))
    assert fields(items, "url", "datetime_attr", "label") == [
        ("/3.html", "2022-07-28T09:40:00-05:00", None), ("/2.html", "2022-06-10T11:05:00-05:00", None),
        ("/1.html", "2022-06-10T08:00:00-05:00", None),
    ]
    # Without the entries' mark, a part named like a sidebar box is chrome, as before.
    assert items_of(_blog(posts, "post")) == []
    # And an <aside> stays chrome, whatever it holds ("related posts" marked as entries too).
    related = "".join(f'<div class="hentry"><h3><a href="/r/{n}">Related post number {n}</a></h3>'
                      f"<p>{n} May 2022</p></div>" for n in (1, 2, 3))
    html = _blog(posts, "post hentry").replace("</body>", f"<aside>{related}</aside></body>")
    assert [item.url for item in items_of(html)] == ["/3.html", "/2.html", "/1.html"]
    # Without a machine time, the day heading above dates each of its posts, a day's one post too.
    undated = [(day, n, "no time") for day, n, _ in posts]
    assert fields(items_of(_blog(undated, "post hentry")), "url", "group_date") == [
        ("/3.html", "jueves, 28 de julio de 2022"), ("/2.html", "viernes, 10 de junio de 2022"),
        ("/1.html", "viernes, 10 de junio de 2022"),
    ]


def _positioned(items: list[tuple[str, str, str, list[str], str, list[str]]]) -> str:
    """A PDF converted to HTML: every line of text its own absolutely placed <p>, classes for fonts only."""
    lines, top = [], 60
    def line(css: str, html: str, left: int = 72) -> None:
        nonlocal top
        lines.append(f'<p style="position:absolute;top:{top}px;left:{left}px;white-space:nowrap" class="{css}">'
                     f"{html}</p>")
        top += 20
    line("f0", "Social protection digest")
    line("f0", "Page 1", left=600)
    for label, href, _, title_lines, date, summary_lines in items:
        line("f1", label)
        for text in title_lines:
            line("f2", f'<a href="{href}">{text}</a>')
        line("f3", date)
        for text in summary_lines:
            line("f4", text)
        top += 30
    return page(f'<div style="position:relative"><img src="bg.png" alt="background image">{"".join(lines)}</div>')


def test_lines_set_apart_by_position_are_read_as_the_text_they_wrap():
    rows = [("ILO Live", "/a", "", ["Development partners meeting of the Global", "Flagship Programme"],
             "24 March 2023", ["The annual meeting of the Global Flagship Programme noted", "significant progress."]),
            ("News", "/b", "", ["Number of children without social protection", "increasing globally"],
             "1 March 2023", ["Multiple crises set to plunge more children into poverty."]),
            ("Press release", "/c", "", ["ILO launches an online course"], "26 January 2023",
             ["This course enables learners to understand the key concepts", "of social protection", "and more."])]
    assert fields(items_of(_positioned(rows)), "url", "title", "label", "date_text", "summary") == [
        ("/a", "Development partners meeting of the Global Flagship Programme", "ILO Live", "24 March 2023",
         "The annual meeting of the Global Flagship Programme noted significant progress."),
        ("/b", "Number of children without social protection increasing globally", "News", "1 March 2023",
         "Multiple crises set to plunge more children into poverty."),
        ("/c", "ILO launches an online course", "Press release", "26 January 2023",
         "This course enables learners to understand the key concepts of social protection and more."),
    ]
    # A control character in a line joined to the one above (found by fuzz/fuzz_parse.py): the
    # text is read without it, as a reader sees it.
    rows[0] = (*rows[0][:3], ["Development partners meeting of the Global", "Flagship\x01 Programme"], *rows[0][4:])
    assert items_of(_positioned(rows))[0].title == "Development partners meeting of the Global Flagship Programme"
    # And one after the link of a title's next line, which joins the link above (lxml refused to set it).
    link = '<a href="/a">Flagship\x01 Programme</a>'
    html = _positioned(rows).replace(link, '<a href="/a">Flagship Programme</a>\x01')
    assert items_of(html)[0].title == "Development partners meeting of the Global Flagship Programme"
    # Paragraphs that flow (not placed) stay apart: the first is the summary.
    flowing = "".join(f'<div><h3><a href="/f/{n}">Flowing story number {n}</a></h3><p>{n} May 2024</p>'
                      f'<p class="t">{SUMMARY}</p><p class="t">A second paragraph of the teaser, not read.</p></div>'
                      for n in (1, 2, 3))
    assert [item.summary for item in items_of(page(f"<main>{flowing}</main>"))] == [SUMMARY] * 3


def test_a_date_line_of_fields_is_the_date_line_however_long_its_type_at_the_end_and_a_version_row_no_summary():
    def result(n: int, meta: str, summary: str) -> str:
        return (f'<article><h3><a href="/r/{n}">Result number {n} about social protection</a></h3>'
                f'<p><time datetime="2024-0{n}-12">{meta}</time></p>{summary}<p>Version française : '
                f'<a lang="fr" hreflang="fr" href="/fr/r/{n}">Résultat numéro {n} sur la protection sociale</a>'
                "</p></article>")
    metas = [(3, "March 12, 2024 | Geneva, Switzerland | International Labour Organization | Press release"),
             (2, "February 12, 2024 | Phnom Penh, Cambodia | International Labour Organization | Article"),
             (1, "January 12, 2024 | International Labour Organization")]
    items = items_of(page("<main>" + "".join(result(n, meta, f"<p>{SUMMARY}</p>" if n == 2 else "")
                                             for n, meta in metas) + "</main>"))
    assert fields(items, "url", "date_text", "label", "summary") == [
        ("/r/3", metas[0][1], "Press release", None),
        ("/r/2", metas[1][1], "Article", SUMMARY),
        ("/r/1", metas[2][1], None, None),
    ]
    # A long line with a separator that is a sentence stays a summary, not a date.
    long_line = "12 March 2024 | The ILO and its partners met in Geneva to discuss the extension of coverage to all"
    items = items_of(page("<main>" + "".join(
        f'<article><h3><a href="/s/{n}">Story number {n} on pensions</a></h3><p>{n} May 2024</p><p>{long_line}</p>'
        "</article>" for n in (1, 2, 3)) + "</main>"))
    assert [item.summary for item in items] == [long_line] * 3


def test_headings_without_links_start_the_items_whose_link_line_ends_them():
    entries = [("Article", "28 juil. 2022", "/a", "Étendre la protection sociale aux travailleurs informels"),
               ("Vidéo", "juillet 2022", "/b", "Pourquoi la protection sociale compte pour une transition"),
               ("Communiqué de presse", "10 juin 2022", "/c", "La Conférence ajoute la sécurité et la santé")]
    body = "".join(f"<h2>{title}</h2><p><span>{kind}</span> {date}</p><p>{RESUME}</p>"
                   f'<p><a href="https://ilo.example.org{href}">https://ilo.example.org{href}</a></p>'
                   for kind, date, href, title in entries)
    after = '<p>Veille précédente : <a href="/veille/juin">Veille de juin 2022</a></p>'
    items = items_of(page(f"<main><h1>Veille</h1>{body}{after}<h2>Commentaires</h2><p>Un avis.</p></main>",
                          lang="fr"))
    assert fields(items, "url", "title", "summary") == [
        (f"https://ilo.example.org{href}", title, RESUME) for _, _, href, title in entries
    ]
    # Headings over links of their own stay as they were: each heading's link is its item's.
    linked = "".join(f'<h2><a href="{href}">{title}</a></h2><p>{date}</p><p>{RESUME}</p>'
                     for _, date, href, title in entries)
    assert [item.url for item in items_of(page(f"<main>{linked}</main>", lang="fr"))] == ["/a", "/b", "/c"]


def test_links_beside_buttons_in_a_row_of_their_own_are_controls_not_a_label():
    controls = '<div><a href="https://host.example.com/reblog">Reblog</a><button type="button">Like</button></div>'
    assert _labels_of_posts(("", controls), ("", controls), ("", controls)) == [(None,), (None,), (None,)]
    # A label beside a button in a line of text stays: the row has words of its own.
    kinds = ("News", "Video", "News")
    rows = [(f'<p>Type: <a href="/t/{kind}">{kind}</a> <button>Follow</button></p>', controls) for kind in kinds]
    assert _labels_of_posts(*rows) == [(kind,) for kind in kinds]
    # A card whose only link stands beside a button keeps it: the row is its link's, not controls.
    cards = "".join(f'<div class="c"><h3>Card story number {n}</h3><p>{n} May 2024</p><div><a href="/c/{n}">Read</a>'
                    '<button type="button">Save</button></div></div>' for n in (1, 2, 3))
    assert [item.url for item in items_of(page(f"<main>{cards}</main>"))] == ["/c/1", "/c/2", "/c/3"]


@pytest.mark.parametrize(
    ("html_tag", "head", "expected"),
    [
        ("<html>", '<meta property="og:locale" content="de_DE">', ("en", "de", "fr", "es")),
        ("<html>", '<meta http-equiv="Content-Language" content="pt-BR">', ("en", "pt", "fr", "es")),
        ('<html xml:lang="ru">', "", ("en", "ru", "fr", "es")),
        # Left alone: a page that says nothing, or names a language the configured list has.
        ("<html>", "", ("en", "fr", "es")),
        ('<html lang="fr-CA">', "", ("en", "fr", "es")),
    ],
)
def test_the_pages_language_comes_from_its_lang_or_its_meta(html_tag, head, expected):
    html = f"{html_tag}<head>{head}</head><body><p>x</p></body></html>"
    assert page_languages(("en", "fr", "es"), page_language(tree(html))) == expected


@pytest.mark.parametrize(
    "rows",
    [
        # Counts and reading times; left alone: a label with a number in it that counts nothing.
        [("412 просмотров", "Новость"), ("5 Min. Lesezeit", "Nachricht"), ("阅读 1,234", "新闻"),
         ("Agenda 2030", "Agenda 2030")],
        # "Фото: МОТ" is a credit; "来源：新华社" names a source (full-width colon); left alone: a label
        # that starts with a credit's word but is none.
        [("Фото: МОТ", "Новость"), ("来源：新华社", "新闻"), ("Fotos der Woche", "Fotos der Woche")],
    ],
    ids=["counts-and-reading-times", "photo-credits-and-cjk-field-names"],
)
def test_counts_credits_and_field_names_in_other_languages_are_no_labels(rows):
    cards = "".join(
        f'<div><h3><a href="/n/{n}">Meldung Nummer {n} zur sozialen Sicherung</a></h3><p>{n}.03.2024</p>'
        f"<span>{first}</span><span>{label}</span></div>"
        for n, (first, label) in enumerate(rows, start=1)
    )
    assert [item.label for item in items_of(page(f"<main>{cards}</main>", lang="de"))] == [
        label for _, label in rows
    ]


def test_an_element_that_starts_or_ends_the_date_line_is_the_label_when_it_varies():
    def cards(labels: list[str], date_of: str = "{n} May 2024") -> str:
        return "".join(
            f'<div><h3><a href="/n/{n}">Story number {n} about social protection</a></h3>'
            f"<p><span>{label}</span> {date_of.format(n=n)}</p></div>"
            for n, label in enumerate(labels, start=1)
        )

    kinds = ["Press release", "News", "Statement"]
    assert [item.label for item in items_of(page(f"<main>{cards(kinds)}</main>"))] == kinds
    zh = ["新闻稿", "声明", "新闻"]
    items = items_of(page(f"<main>{cards(zh, '2024年9月{n}日')}</main>", lang="zh"))
    assert [item.label for item in items] == zh
    # Left alone: the same word before every date is a word of the line ("Published"), not a type.
    assert [item.label for item in items_of(page(f"<main>{cards(['Published'] * 3)}</main>"))] == [None] * 3
    # After the date: "<dt>2023.09.17<span>お知らせ</span></dt>".
    ja = ["お知らせ", "プレスリリース", "イベント"]
    rows = "".join(f'<dt>2023.09.{n}<span>{label}</span></dt>'
                   f'<dd><a href="/ja/{n}">社会保障に関するお知らせ第{n}号</a></dd>'
                   for n, label in enumerate(ja, start=10))
    assert [item.label for item in items_of(page(f"<main><dl>{rows}</dl></main>", lang="ja"))] == ja


def test_picture_items_of_another_class_among_a_lists_plain_items_are_items_of_that_list():
    # One "<li class=pic>" per list (its picture link and its title link a slot of their own), among
    # plain <li>s: each is an item, in its place, not the whole list one.
    def plain(n: int) -> str:
        return f'<li><a href="/n/{n}">Story number {n} about social protection</a> <span>{n} May 2024</span></li>'

    def pic(n: int) -> str:
        return (f'<li class="pic"><a href="/n/{n}"><img src="/img/{n}.jpg" alt=""></a>'
                f'<a href="/n/{n}"><b>Story number {n} with a picture</b></a> <span>{n} May 2024</span></li>')

    html = page(f"<div><ul>{plain(1)}{plain(2)}{pic(3)}{plain(4)}</ul><ul>{plain(5)}{pic(6)}</ul></div>")
    assert [(item.url, item.image) for item in items_of(html)] == [
        (f"/n/{n}", f"/img/{n}.jpg" if n in (3, 6) else None) for n in range(1, 7)
    ]


BOLD_TITLES = ("Universal coverage reaches half the world", "Pension reform lessons from ten countries",
               "Health insurance for informal workers grows")


def test_a_line_all_in_bold_over_the_items_other_lines_is_its_heading():
    # A bold line reads as a heading: its link is the title, not a longer "Read more about …" link.
    cards = "".join(f'<div><div><strong><a href="/n/{n}">{title}</a></strong></div><div>{n} March 2024</div>'
                    f'<div>{SUMMARY}</div><a href="/n/{n}">Read more about {title}</a></div>'
                    for n, title in enumerate(BOLD_TITLES, 1))
    assert fields(items_of(page(f"<main>{cards}</main>")), "url", "title", "summary") == [
        (f"/n/{n}", title, SUMMARY) for n, title in enumerate(BOLD_TITLES, 1)
    ]
    # A whole-card link whose title is a bold line (it read no item at all).
    cards = "".join(f'<a href="/n/{n}"><div><b>{title}</b></div><div>{n} March 2024</div><p>{SUMMARY}</p></a>'
                    for n, title in enumerate(BOLD_TITLES, 1))
    assert fields(items_of(page(f"<main>{cards}</main>")), "url", "title", "summary") == [
        (f"/n/{n}", title, SUMMARY) for n, title in enumerate(BOLD_TITLES, 1)
    ]


def test_a_bold_line_that_heads_nothing_or_is_part_of_a_line_is_no_heading():
    # Bold links that end a list of links, at the top and the foot of a page: no items.
    links = ('<ul><li><b>Sorted by:</b> <a href="/by-date">[ date ]</a> <a href="/by-title">[ title ]</a></li>'
             '<li><b><a href="/list/info">More about this list...</a></b></li></ul>')
    entries = "".join(f'<li><a href="/m/{n}">{title}</a> <i>Author {n}</i></li>' for n, title in enumerate(BOLD_TITLES))
    items = items_of(page(f"<h1>March 2022 archive by thread</h1>{links}<ul>{entries}</ul>{links}"))
    assert [item.url for item in items] == ["/m/0", "/m/1", "/m/2"]
    # A bold run inside a line (a lead-in) leaves the line as it was: the title is the link.
    rows = "".join(f'<div><p><b>New:</b> <a href="/n/{n}">{title}</a></p><p>{n} March 2024</p></div>'
                   for n, title in enumerate(BOLD_TITLES, 1))
    assert [item.title for item in items_of(page(f"<main>{rows}</main>"))] == list(BOLD_TITLES)


def test_a_months_archive_takes_its_entries_not_the_short_links_of_the_footer_below():
    entries = "".join(f'<li><a href="/m/{n}">{title}</a> <i>Author {n}</i></li>' for n, title in enumerate(BOLD_TITLES))
    footer = ('<div><ul><li><a href="/careers/">Careers</a></li><li><a href="/procurement/">Procurement</a></li>'
              '<li><a href="/privacy/">Privacy policy</a></li></ul></div>')
    items = items_of(page(f"<h1>March 2022 archives</h1><ul>{entries}</ul>{footer}"))
    assert fields(items, "url", "title", "group_date") == [
        (f"/m/{n}", title, "March 2022 archives") for n, title in enumerate(BOLD_TITLES)
    ]


def test_a_headers_links_that_stand_like_the_items_links_leave_them_their_cards():
    # No class names: the header's first link stands as each card's title link does (an <a> in a
    # <div> in a <div>), so they are one slot; the cards, pictures included, are still the items
    # (found by the no_class_names transform of benchmarks/metamorphic.py; read since round 9).
    header = ('<div><div><a href="/">Home</a><div><a href="/topics/">Topics</a> '
              '<a href="/about/">About</a></div></div></div>')
    cards = "".join(f'<div><div><img src="/img/{n}.jpg" alt=""></div><div><div><p>News</p><a href="/n/{n}">'
                    f'<p>{title}</p></a></div><div><span>{n} March 2024</span></div></div></div>'
                    for n, title in enumerate(BOLD_TITLES, 1))
    items = items_of(page(f"{header}<div><div><h1>News</h1><div>{cards}</div></div></div>"))
    assert fields(items, "url", "title", "date_text", "image") == [
        (f"/n/{n}", title, f"{n} March 2024", f"/img/{n}.jpg") for n, title in enumerate(BOLD_TITLES, 1)
    ]


def _deep(html: str, levels: int) -> str:
    return "<div>" * levels + html + "</div>" * levels


def test_a_cards_title_nested_ten_deep_still_finds_the_whole_card():
    # A page builder's card: the title link ten wrappers below the <li> whose picture and label
    # stand beside them (found by the `deeper` transform of benchmarks/metamorphic.py).
    def cards(section: int) -> str:
        return "".join(
            "<li>" + _deep(f'<h3><a href="/n/{section}{n}">{title}</a></h3><p>{n} March 2024</p>', 10)
            + f'<img src="/i/{section}{n}.jpg" alt=""><span>Article</span></li>'
            for n, title in enumerate(BOLD_TITLES, 1)
        )

    # Two such lists in two sections: each card is an item, not each section.
    items = items_of(page(f"<main><h1>News</h1><section><ul>{cards(1)}</ul></section>"
                          f"<section><ul>{cards(2)}</ul></section></main>"))
    assert fields(items, "url", "date_text", "image", "label") == [
        (f"/n/{s}{n}", f"{n} March 2024", f"/i/{s}{n}.jpg", "Article") for s in (1, 2) for n in (1, 2, 3)
    ]


def test_a_date_only_in_the_links_path_dates_a_list_of_bare_links():
    # A text-only site: bare <li><a> lists, the only date in each URL path (/2024/09/12/slug/).
    paths = ("2024/10/17", "2024/09/12", "2023/3/1")
    rows = "".join(f'<li><a href="/{path}/story-{n}/">{title}</a></li>'
                   for n, (path, title) in enumerate(zip(paths, BOLD_TITLES, strict=True)))
    items = items_of(page(f"<main><h2>Latest</h2><ul>{rows}</ul></main>"))
    assert fields(items, "title", "date_text") == [
        (BOLD_TITLES[0], "2024-10-17"), (BOLD_TITLES[1], "2024-09-12"), (BOLD_TITLES[2], "2023-03-01")
    ]
    # A visible date comes first; a year and month in the path are no day; undated links stay no listing.
    rows = "".join(f'<li><a href="/2020/01/02/story-{n}/">{title}</a> <span>{n} March 2024</span></li>'
                   for n, title in enumerate(BOLD_TITLES, 1))
    assert [item.date_text for item in items_of(page(f"<ul>{rows}</ul>"))] == [f"{n} March 2024" for n in (1, 2, 3)]
    rows = "".join(f'<li><a href="/2024/09/story-{n}/">{title}</a></li>' for n, title in enumerate(BOLD_TITLES))
    assert items_of(page(f"<main><h2>Latest</h2><ul>{rows}</ul></main>")) == []
    # A malformed href (an unclosed IPv6 bracket, found by fuzzing) has no path to read: no crash.
    rows = "".join(f'<li><a href="https://www.ex[ample.org/{path}/story-{n}/">{title}</a></li>'
                   for n, (path, title) in enumerate(zip(paths, BOLD_TITLES, strict=True)))
    assert items_of(page(f"<main><h2>Latest</h2><ul>{rows}</ul></main>")) == []


def test_a_date_only_in_a_tooltip_or_an_icons_alt_dates_the_item():
    # An aggregator's "2 years ago" with the day in its title tooltip.
    rows = "".join(f'<li><a href="/n/{n}">{title}</a> <span title="{n} March 2024"><a href="/c/{n}">2 years ago</a>'
                   "</span></li>" for n, title in enumerate(BOLD_TITLES, 1))
    items = items_of(page(f"<ul>{rows}</ul>"))
    assert fields(items, "url", "date_text") == [(f"/n/{n}", f"{n} March 2024") for n in (1, 2, 3)]
    # A calendar icon whose alt text is the date, in a <details> whose only link reads "Read on ilo.org".
    cards = "".join(f'<details><summary><img src="/cal.png" alt="{n} de marzo de 2024"> {title}</summary>'
                    f'<p>{SUMMARY}</p><p><a href="https://www.ilo.org/n/{n}">Leer en ilo.org</a></p></details>'
                    for n, title in enumerate(BOLD_TITLES, 1))
    items = items_of(page(f"<main><h1>Noticias</h1>{cards}</main>", "es"))
    assert fields(items, "title", "url", "date_text") == [
        (title, f"https://www.ilo.org/n/{n}", f"{n} de marzo de 2024") for n, title in enumerate(BOLD_TITLES, 1)
    ]
    # A tooltip that is no date (a user's name) dates nothing: still no listing.
    rows = "".join(f'<li><a href="/n/{n}">{title}</a> <span title="Posted by user {n}">2 years ago</span></li>'
                   for n, title in enumerate(BOLD_TITLES, 1))
    assert items_of(page(f"<ul>{rows}</ul>")) == []


def _aggregator_rows(titles: tuple[str, ...], subtext: str = "") -> str:
    """A link aggregator's layout table: a title row, a row of points, age and comments, a spacer row."""
    return "".join(
        f'<tr><td>{n}.</td><td><a href="vote?id={n}"><div></div></a></td><td><a href="https://example.net/s/{n}">'
        f'{title}</a> <span>(<a href="from?site=example.net">example.net</a>)</span></td></tr>'
        f'<tr><td colspan="2"></td><td>{n}0 points by <a href="user?id=u{n}">u{n}</a> '
        f'<span title="{n} March 2024"><a href="item?id={n}">2 years ago</a></span> | <a href="hide?id={n}">hide</a>'
        f' | <a href="item?id={n}">{n} comments</a>{subtext}</td></tr><tr style="height:5px"></tr>'
        for n, title in enumerate(titles, 1)
    )


def test_rows_that_take_turns_in_a_table_are_one_item_each():
    # Three rows per item (title, subtext, spacer), no class names, the date in the age's tooltip:
    # each title row with the row below is one item; its age and links are no label and no summary.
    titles = ("Press release: " + BOLD_TITLES[0], BOLD_TITLES[1], "Statement: " + BOLD_TITLES[2])
    more = '<tr><td colspan="2"></td><td><a href="news?p=2">More</a></td></tr>'
    items = items_of(page(f"<center><table>{_aggregator_rows(titles)}{more}</table></center>"))
    assert fields(items, "url", "title", "date_text", "label", "summary") == [
        ("https://example.net/s/1", BOLD_TITLES[0], "1 March 2024", "Press release", None),
        ("https://example.net/s/2", BOLD_TITLES[1], "2 March 2024", None, None),
        ("https://example.net/s/3", BOLD_TITLES[2], "3 March 2024", "Statement", None),
    ]
    # Rows of one shape are not joined: a table of one row per item reads one item per row.
    rows = "".join(f'<tr><td><a href="/n/{n}">{title}</a></td><td>{n} March 2024</td></tr>'
                   for n, title in enumerate(BOLD_TITLES, 1))
    assert [item.url for item in items_of(page(f"<table>{rows}</table>"))] == ["/n/1", "/n/2", "/n/3"]


def test_a_kind_of_item_before_a_colon_in_the_title_is_its_label():
    titles = ("Comunicado de prensa: " + BOLD_TITLES[0], "Declaración: " + BOLD_TITLES[1], BOLD_TITLES[2])
    rows = "".join(f'<li><a href="/n/{n}">{title}</a> <span>{n} March 2024</span></li>'
                   for n, title in enumerate(titles, 1))
    assert fields(items_of(page(f"<ul>{rows}</ul>", "es")), "title", "label") == [
        (BOLD_TITLES[0], "Comunicado de prensa"), (BOLD_TITLES[1], "Declaración"), (BOLD_TITLES[2], None)
    ]
    # A place or an event's name before a colon is the title's own: it stays whole.
    titles = ("Cambodia: " + BOLD_TITLES[0], "SDG Action Weekend, High Impact Initiatives: Global Accelerator",
              "Statement: " + BOLD_TITLES[2])
    rows = "".join(f'<li><a href="/n/{n}">{title}</a> <span>{n} March 2024</span></li>'
                   for n, title in enumerate(titles, 1))
    assert fields(items_of(page(f"<ul>{rows}</ul>")), "title", "label") == [
        (titles[0], None), (titles[1], None), (titles[2], None)
    ]


def test_how_long_ago_is_no_label():
    rows = "".join(f'<li><a href="/n/{n}">{title}</a> <time datetime="2024-03-0{n}">hace {n} años</time></li>'
                   for n, title in enumerate(BOLD_TITLES, 1))
    assert [item.label for item in items_of(page(f"<ul>{rows}</ul>", "es"))] == [None, None, None]


def test_a_box_named_a_menu_that_holds_dated_posts_is_content():
    # Some CMSs name every box of a list a "menu"; here the items' <div>s are never closed, too.
    posts = "".join(f'<li><div><h3><a href="/a/{n}">{title}</a></h3><p>Publié le 0{n}.03.2024</p></li>'
                    for n, title in enumerate(BOLD_TITLES, 1))
    items = items_of(page(f'<div class="menu articles"><h2>Derniers articles</h2><ul>{posts}</ul></div>', "fr"))
    assert fields(items, "url", "date_text") == [(f"/a/{n}", f"Publié le 0{n}.03.2024") for n in (1, 2, 3)]
    # A menu of the site's pages, headed but undated, stays chrome beside the listing.
    menu = "".join(f'<h3><a href="/topic/{n}">{title}</a></h3><p>Topic {n}</p>' for n, title in enumerate(BOLD_TITLES))
    rows = "".join(f'<li><a href="/n/{n}">{title}</a> <span>{n} March 2024</span></li>'
                   for n, title in enumerate(BOLD_TITLES, 1))
    items = items_of(page(f'<div class="menu">{menu}</div><main><ul>{rows}</ul></main>'))
    assert [item.url for item in items] == ["/n/1", "/n/2", "/n/3"]


def test_a_tables_category_rows_label_the_rows_below_them_and_are_no_items():
    # A database's categorized view: one cell across the row names the kind of the rows below it.
    def category(n: int, name: str) -> str:
        return (f'<tr><td colspan="3"><a href="?OpenView&amp;Collapse={n}"><img src="/c.gif" alt="Hide"></a>'
                f"<b>{name}</b></td></tr>")

    def row(n: int) -> str:
        return f'<tr><td></td><td><a href="/d/{n}">{BOLD_TITLES[n]}</a></td><td>0{n + 1}.03.2024 10:12</td></tr>'

    table = ("<table><tr><th></th><th>Title</th><th>Created</th></tr>" + category(1, "Press release") + row(0) + row(1)
             + category(2, "(Uncategorized)") + row(2) + "</table>")
    assert fields(items_of(page(table)), "url", "label") == [
        ("/d/0", "Press release"), ("/d/1", "Press release"), ("/d/2", None)
    ]
    # A row across the table that holds an item (its title and date) is one.
    wide = f'<tr><td colspan="3"><a href="/d/9">{BOLD_TITLES[0]} in a wider row</a> 09.03.2024</td></tr>'
    table = f"<table>{row(0)}{row(1)}{wide}{row(2)}</table>"
    assert [item.url for item in items_of(page(table))] == ["/d/0", "/d/1", "/d/9", "/d/2"]


def test_an_icons_alt_text_is_a_line_that_can_be_the_label():
    # A forum's topic icon names the topic's kind only in its alt text; the last post's "»" link is no label.
    kinds = ("Press release", "Statement", "Press release")
    rows = "".join(
        f'<li><dl><dt><img src="/icons/{n}.gif" width="16" height="16" alt="{kind}"><div><a href="/t/{n}">{title}</a>'
        f'<br>by Ana » <time datetime="2024-03-0{n}T10:00:00Z">Mar {n}, 2024</time></div></dt><dd>{n} replies</dd>'
        f'<dd>Last post by lucia <a href="/p/{n}#p">»</a></dd></dl></li>'
        for n, (kind, title) in enumerate(zip(kinds, BOLD_TITLES, strict=True), 1)
    )
    assert [item.label for item in items_of(page(f"<ul>{rows}</ul>"))] == list(kinds)
    # A photo's alt describes the photo: no label.
    cards = "".join(f'<li><img src="/p/{n}.jpg" width="300" height="200" alt="Workers {n}"><a href="/n/{n}">{title}</a>'
                    f" <span>{n} March 2024</span></li>" for n, title in enumerate(BOLD_TITLES, 1))
    assert [item.label for item in items_of(page(f"<ul>{cards}</ul>"))] == [None, None, None]


def test_a_type_after_a_dash_in_the_date_line_is_the_label():
    kinds = ("Comunicado de prensa", "Artículo", "Declaración")
    rows = "".join(f'<div><h4><a href="/n/{n}">{title}</a></h4><p>Jueves 0{n}/03/2024 - {kind}</p></div>'
                   for n, (kind, title) in enumerate(zip(kinds, BOLD_TITLES, strict=True), 1))
    assert [item.label for item in items_of(page(rows, "es"))] == list(kinds)
    # A range joined by a dash, or the same place after every date, is no type.
    rows = "".join(f'<div><h4><a href="/n/{n}">{title}</a></h4><p>0{n}/03/2024 - 0{n + 1}/03/2024</p></div>'
                   for n, title in enumerate(BOLD_TITLES, 1))
    assert [item.label for item in items_of(page(rows, "es"))] == [None, None, None]
    rows = "".join(f'<div><h4><a href="/n/{n}">{title}</a></h4><p>0{n}/03/2024 - Ginebra</p></div>'
                   for n, title in enumerate(BOLD_TITLES, 1))
    assert [item.label for item in items_of(page(rows, "es"))] == [None, None, None]
    # Places that vary after a dash are no types either: a dash takes only a kind the taxonomy knows.
    rows = "".join(f'<div><h4><a href="/n/{n}">{title}</a></h4><p>0{n}/03/2024 - {place}</p></div>'
                   for n, (place, title) in enumerate(zip(("Ginebra", "Lima", "Quito"), BOLD_TITLES, strict=True), 1))
    assert [item.label for item in items_of(page(rows, "es"))] == [None, None, None]


def test_a_captions_item_is_its_whole_figure_with_the_picture():
    # <figure>s of two kinds (class names that differ): the title's block is the caption, its picture beside it.
    cards = "".join(
        f'<figure class="{kind}">' + (f'<img src="/i/{n}.jpg" alt="">' if n != 2 else "")
        + f'<figcaption><h3><a href="/n/{n}">{title}</a></h3><p>{n} March 2024</p></figcaption></figure>'
        for n, (kind, title) in enumerate(zip(("card", "event", "card"), BOLD_TITLES, strict=True), 1)
    )
    assert fields(items_of(page(f"<main>{cards}</main>")), "url", "image") == [
        ("/n/1", "/i/1.jpg"), ("/n/2", None), ("/n/3", "/i/3.jpg")
    ]


def test_a_tooltip_date_of_an_item_nested_in_another_is_not_the_outer_items():
    # Unclosed <div>s nest each post in the one before; the first shows no date, the others a tooltip's.
    posts = "".join(
        f'<div class="post"><h3><a href="/n/{n}">{title}</a></h3>'
        + (f'<span title="{n} March 2024">{n} days ago</span>' if n > 1 else "<p>Pinned</p>")
        for n, title in enumerate(BOLD_TITLES, 1)
    )
    assert fields(items_of(page(f"<main>{posts}</main>")), "url", "date_text") == [
        ("/n/1", None), ("/n/2", "2 March 2024"), ("/n/3", "3 March 2024")
    ]


def test_a_heading_that_outranks_the_title_heads_its_section_and_is_no_label():
    # A featured box: its section's <h2> and one article under an <h3>, then the list of <h3>s with kickers.
    featured = (f'<div class="box"><h2>Top story</h2><div><h3><a href="/n/0">{BOLD_TITLES[0]}</a></h3>'
                "<p>1 March 2024</p></div></div>")
    rows = "".join(f'<li><p>Press release</p><h3><a href="/n/{n}">{title}</a></h3><p>{n} March 2024</p></li>'
                   for n, title in enumerate(BOLD_TITLES[1:], 2))
    items = items_of(page(f"<main>{featured}<h2>Latest</h2><ul>{rows}</ul></main>"))
    assert fields(items, "url", "label") == [("/n/0", None), ("/n/2", "Press release"), ("/n/3", "Press release")]
    # A kicker in a lower-ranked heading above the title stays the label.
    rows = "".join(f'<li><h4>Statement</h4><h3><a href="/n/{n}">{title}</a></h3><p>{n} March 2024</p></li>'
                   for n, title in enumerate(BOLD_TITLES, 1))
    assert [item.label for item in items_of(page(f"<ul>{rows}</ul>"))] == ["Statement"] * 3


def test_a_schema_org_date_in_microdata_is_a_machine_date():
    # A date box shows day and month; the year and the range are only in microdata (itemprop + content).
    cards = "".join(
        f'<a href="/e/{n}"><div><span>{n}</span><span>juin</span></div><h5>{title}</h5><small>'
        f'<span itemprop="startDate" content="2023-06-0{n}">2023</span>'
        + (f' → <span itemprop="endDate" content="2023-06-0{n + 1}">0{n + 1} juin 2023</span>' if n == 2 else "")
        + "</small></a>"
        for n, title in enumerate(BOLD_TITLES, 1)
    )
    items = items_of(page(f'<main><h2>Événements</h2><div>{cards}</div></main>', "fr"))
    assert fields(items, "url", "datetime_attr", "label") == [
        ("/e/1", "2023-06-01", None), ("/e/2", "2023-06-02/2023-06-03", None), ("/e/3", "2023-06-03", None)
    ]
    # Another property's content (a price, a rating) is no date.
    rows = "".join(f'<li><a href="/n/{n}">{title}</a> <span itemprop="price" content="2023-01-01">x</span>'
                   f" <span>{n} March 2024</span></li>" for n, title in enumerate(BOLD_TITLES, 1))
    assert [item.datetime_attr for item in items_of(page(f"<ul>{rows}</ul>"))] == [None, None, None]


def test_two_date_boxes_a_dash_joins_are_a_range():
    def chip(day: int) -> str:
        return f'<x-date><span>{day}</span><abbr title="June">Jun</abbr><span>2023</span></x-date>'

    tiles = "".join(
        "<x-tile>" + chip(n) + (f'<span aria-hidden="true">–</span>{chip(n + 1)}' if n == 2 else "")
        + (f"<span>Geneva</span>{chip(20)}" if n == 3 else "")
        + f'<h3><a href="/e/{n}">{title}</a></h3></x-tile>'
        for n, title in enumerate(BOLD_TITLES, 1)
    )
    items = items_of(page(f"<main>{tiles}</main>"))
    # Two boxes with a place between them are no range: the first is the date.
    assert [item.date_text for item in items] == ["1 Jun 2023", "2 Jun 2023 – 3 Jun 2023", "3 Jun 2023"]


def test_who_posted_linked_after_by_is_no_label():
    rows = "".join(
        f'<li><div><a href="/t/{n}">{title}</a><br>by <a href="/u/{n}">user_{n}</a> » '
        f'<time datetime="2024-03-0{n}T10:00:00Z">Mar {n}, 2024</time></div>'
        f'<div>Last post by <a href="/u/9">lucia_p</a> <a href="/p/{n}">»</a></div></li>'
        for n, title in enumerate(BOLD_TITLES, 1)
    )
    assert [item.label for item in items_of(page(f"<ul>{rows}</ul>"))] == [None, None, None]
    # A category linked in the date line stays the label ("Feb 3, 2022 — <a>News</a>").
    rows = "".join(f'<li><a href="/n/{n}">{title}</a><p>{n} March 2024 — <a href="/c/{kind}">{kind}</a></p></li>'
                   for n, (kind, title) in enumerate(zip(("News", "Stories", "News"), BOLD_TITLES, strict=True), 1))
    assert [item.label for item in items_of(page(f"<ul>{rows}</ul>"))] == ["News", "Stories", "News"]


def test_a_badge_in_a_card_link_whose_words_open_the_heading_title_is_still_the_label():
    # One big <a> per card, the title an <h5> inside it; "Statement" opens the title too.
    titles = ("Statement by the Director-General on the day", BOLD_TITLES[1], BOLD_TITLES[2])
    kinds = ("Statement", "Press release", "News")
    cards = "".join(f'<div><a href="/b/{n}"><div><span>{kind}</span><h5>{title}</h5><div>{n} March 2024</div></div>'
                    "</a></div>" for n, (kind, title) in enumerate(zip(kinds, titles, strict=True), 1))
    items = items_of(page(f"<main><h2>News</h2><div>{cards}</div></main>"))
    assert fields(items, "title", "label") == list(zip(titles, kinds, strict=True))
    # A card link whose heading's screen-reader copy repeats the title: that copy is no label.
    cards = "".join(f'<div><a href="/b/{n}"><div><span hidden-visually>{title}</span><h5>{title}</h5>'
                    f"<div>{n} March 2024</div></div></a></div>" for n, title in enumerate(titles, 1))
    items = items_of(page(f"<main><h2>News</h2><div>{cards}</div></main>"))
    assert fields(items, "title", "label") == [(title, None) for title in titles]


def test_how_long_ago_in_another_language_is_no_label():
    # words.json's ages: "vor 2 Jahren", "2 года назад", "3年前" stand where the items' type would.
    for lang, age in (("de", "vor {n} Jahren"), ("ru", "{n} года назад"), ("zh", "{n}年前")):
        rows = "".join(f'<li><a href="/n/{n}">{title}</a> <time datetime="2024-03-0{n}">{age.format(n=n)}</time></li>'
                       for n, title in enumerate(BOLD_TITLES, 1))
        assert [item.label for item in items_of(page(f"<ul>{rows}</ul>", lang))] == [None, None, None], lang
    # A type that varies stays the label beside the <time>.
    kinds = ("Meldung", "Bericht", "Meldung")
    rows = "".join(f'<li><a href="/n/{n}">{title}</a> <span>{kind}</span> <time datetime="2024-03-0{n}">x</time></li>'
                   for n, (kind, title) in enumerate(zip(kinds, BOLD_TITLES, strict=True), 1))
    assert [item.label for item in items_of(page(f"<ul>{rows}</ul>", "de"))] == list(kinds)


def test_a_link_after_the_items_in_their_container_is_no_item_that_holds_them():
    # No class names: "All news" after the cards stands as each card's label link does (an <a> in a
    # <p> in a <div>), so they are one slot, and its <div> holds the cards; it is no item an unclosed
    # tag made of them (that one's own link comes before theirs). Taken for one, it put the cards in
    # the header's and the footer's region (found by the no_class_names transform of
    # benchmarks/metamorphic.py).
    titles = (*BOLD_TITLES, "Unemployment insurance after the crisis", "Social protection floors in Africa")
    cards = "".join(f'<div><p>{SUMMARY}</p><h3><a href="/n/{n}">{title}</a></h3>'
                    f'<p>Published on {n} March 2024 in <a href="/topic/{n}">Topic {n}</a></p></div>'
                    for n, title in enumerate(titles, 1))
    header = ('<div><a href="/"><img src="/logo.png" alt="Home"></a>'
              '<ul><li><a href="/topics/">Topics</a></li><li><a href="/about/">About us</a></li></ul></div>')
    footer = '<div><a href="/copyright/">Copyright</a> - <a href="/privacy/">Privacy</a></div>'
    items = items_of(page(f'{header}<div><h1>News</h1>{cards}<p><a href="/news/">All news</a></p></div>{footer}'))
    assert fields(items, "url", "title", "label") == [
        (f"/n/{n}", title, f"Topic {n}") for n, title in enumerate(titles, 1)
    ]


def test_a_breadcrumb_link_in_the_wrapper_of_the_pages_title_and_its_cards_is_no_item():
    # No class names: the breadcrumb's first link stands as each card's title link does (an <a> in a
    # <div> in a <div>), and as far up as a card is above its link stands the wrapper of the
    # breadcrumb, the page's title and the cards: no item an unclosed tag made of them, since it
    # holds the page's title (found by the no_class_names transform of benchmarks/metamorphic.py).
    cards = "".join(f'<div><div><div>{n} March 2024</div><div><a href="/n/{n}">{title}</a></div>'
                    f'<div>{SUMMARY}</div></div></div>' for n, title in enumerate(BOLD_TITLES, 1))
    crumbs = '<div><div><a href="/">Home</a></div><div>/</div><div>News</div></div>'
    expected = [(f"/n/{n}", title, f"{n} March 2024") for n, title in enumerate(BOLD_TITLES, 1)]
    items = items_of(page(f"<main><div>{crumbs}<h1>News</h1><div>{cards}</div></div></main>"))
    assert fields(items, "url", "title", "date_text") == expected
    # A first card left unclosed holds the others, and the page's title is above it: still three items.
    unclosed = cards.replace("</div></div></div>", "</div></div>", 1)
    items = items_of(page(f"<main><div>{crumbs}<h1>News</h1><div>{unclosed}</div></div></main>"))
    assert fields(items, "url", "title", "date_text") == expected


def test_an_item_left_open_over_the_next_items_and_the_pages_links_stays_an_item():
    # No class names: the second card's date <div> is never closed, so the card holds the next cards
    # and the list's page links. Its "More" link finds the date <div> (as far up as the other cards
    # are above theirs), and the page links are blocks of another kind inside it; only what lies before
    # the cards nested in it is its own, so it is no section (found by the no_class_names transform).
    def card(n: int, title: str, close: bool = True) -> str:
        return (f'<div><div><h3><a href="/n/{n}">{title}</a></h3></div><div><p>{n} March 2024</p>'
                + ("</div>" if close else "") + f'<div><p>{SUMMARY}</p><a href="/n/{n}">More</a></div></div>')

    titles = (*BOLD_TITLES, "Unemployment insurance after the crisis")
    pages = "".join(f'<li><a href="?page={n}">{text}</a></li>' for n, text in ((2, 2), (3, 3), (2, "Next")))
    expected = [(f"/n/{n}", title, f"{n} March 2024") for n, title in enumerate(titles, 1)]
    for left_open in (0, 2):  # none left open: the same items
        cards = "".join(card(n, title, n != left_open) for n, title in enumerate(titles, 1))
        items = items_of(page(f"<h1>News</h1><div>{cards}<div><ul>{pages}</ul></div></div>"))
        assert fields(items, "url", "title", "date_text") == expected


def test_a_box_titled_as_related_news_beside_the_listing_is_chrome():
    # No class names: the box's title says what a class name ("related", "sidebar") would have said;
    # its dated items are not the page's (found by the no_class_names transform).
    cards = "".join(f'<div><h2><a href="/n/{n}">{title}</a></h2><div>{n} March 2024</div><p>{SUMMARY}</p></div>'
                    for n, title in enumerate(BOLD_TITLES, 1))
    related = "".join(f'<div><h4><a href="/r/{n}">Older story number {n} about social security</a></h4>'
                      f'<div>{n} January 2024</div></div>' for n in (1, 2))
    expected = [(f"/n/{n}", title) for n, title in enumerate(BOLD_TITLES, 1)]
    for box, kept in (("Related news", False), ("Noticias relacionadas", False), ("Latest from the regions", True)):
        sidebar = f"<div><div><h3>{box}</h3>{related}</div></div>"
        items = items_of(page(f"<div><div><h1>News</h1>{cards}</div>{sidebar}</div>"))
        assert fields(items, "url", "title")[:3] == expected
        assert len(items) == (5 if kept else 3)
    # A title that is a link is an item's, whatever its words: "Work-related injuries" is news.
    items = items_of(page(f'<div><h1>News</h1><div><h3><a href="/w">Work-related injuries</a></h3>'
                          f"<div>4 March 2024</div></div>{cards}</div>"))
    assert [item.url for item in items] == ["/w", "/n/1", "/n/2", "/n/3"]


def test_of_two_lines_in_the_place_where_the_other_items_have_their_label_the_first_is_the_label():
    # No class names: "News" and a "Featured" badge in one row of tags, where the other items have
    # their one tag; the badge, nearer the title, is the item's alone (found by the no_class_names
    # transform). With class names the badge stands in a place of its own: the same label.
    def cards(badge: str) -> str:
        return "".join(f'<div><div><span>{kind}</span>{badge if n == 1 else ""}</div>'
                       f'<h2><a href="/n/{n}">{title}</a></h2><p>{n} March 2024</p></div>'
                       for n, (kind, title) in enumerate(zip(("News", "Event", "Report"), BOLD_TITLES, strict=True), 1))

    for badge in ("<span>Featured</span>", '<span class="featured">Featured</span>'):
        items = items_of(page(f"<main><h1>News</h1>{cards(badge)}</main>"))
        assert fields(items, "url", "label") == [("/n/1", "News"), ("/n/2", "Event"), ("/n/3", "Report")]


def test_items_an_unclosed_item_holds_stay_in_the_list_when_a_section_holds_that_item():
    # No class names, a card left unclosed: the page links after the list fall into it, and stand as
    # the filter links above the list stand (an <a> in a <div> in a <div>). The filter's block, the
    # page's wrapper, holds cards of another kind before it: a section, not an item. The cards it
    # took for its own swallowed items are still the list's, with the cards before them (found by
    # the no_class_names transform). Apart, the first two cards were a region of their own, too
    # small for the first card's label to stand where another card has one.
    kinds = ("News", None, "Report", "News", "Event")  # the second card has no label
    titles = (*BOLD_TITLES, "Unemployment insurance after the crisis", "Social protection floors in Africa")

    def card(n: int, close: bool) -> str:
        label = f"<span>{kinds[n - 1]}</span>" if kinds[n - 1] else ""
        return (f'<div><div>{label}<h3><a href="/n/{n}">{titles[n - 1]}</a></h3>'
                f"<p>{n} March 2024</p></div>" + ("</div>" if close else ""))

    expected = [(f"/n/{n}", kinds[n - 1], f"{n} March 2024") for n in range(1, 6)]
    for left_open in (0, 3):  # none left open: the same items
        cards = "".join(card(n, n != left_open) for n in range(1, 6))
        items = items_of(page(f'<div><h1>News</h1><div>Show: <a href="?t=a">All</a> | <a href="?t=b">Events</a></div>'
                              f'<div>{cards}<div>Page 1 of 9 <a href="?p=2">Next</a></div></div></div>'))
        assert fields(items, "url", "label", "date_text") == expected


def test_a_place_line_over_the_summary_in_the_same_tag_is_no_summary_but_a_short_summary_under_it_is():
    # No class names: the venue and the summary are both a <p> of the event; which of them a line is,
    # is which <p> it is (found by the no_class_names transform). The short teaser of the third event
    # stands where the others' summaries stand: a summary; the fourth has none.
    places = ("Geneva, Switzerland", "New York, United States", "Addis Ababa, Ethiopia", "Dubai, United Arab Emirates")
    teasers = (SUMMARY, SUMMARY, "A short teaser, four words.", None)
    events = "".join(f'<div><p>Meeting</p><h3><a href="/e/{n}">{title}</a></h3><p>{n} June 2024</p>'
                     f"<p>{place}</p>{f'<p>{teaser}</p>' if teaser else ''}</div>"
                     for n, (title, place, teaser) in enumerate(zip((*BOLD_TITLES, "COP28"), places, teasers,
                                                                   strict=True), 1))
    items = items_of(page(f"<main><h1>Events</h1>{events}</main>"))
    assert fields(items, "url", "summary") == [(f"/e/{n}", teaser) for n, teaser in enumerate(teasers, 1)]


def test_a_read_more_link_standing_as_the_pictures_link_is_part_of_its_item():
    # No class names: the picture's link (an <a> in a <div> in the card) and the "Read more" link (an
    # <a> in a <div> in the card's text <div>) are one slot; the "Read more" block lies inside the
    # card, as an item an unclosed tag nests would. It leads where the card's own link leads: the
    # card's part (found by the no_class_names transform). A nested card leading elsewhere is an item.
    def card(n: int, title: str) -> str:
        picture = f'<div><a href="/n/{n}"><img src="/i/{n}.jpg" alt=""></a></div>' if n != 2 else ""
        return (f'<div>{picture}<h3><a href="/n/{n}">{title}</a></h3><div>{n} March 2024</div>'
                f'<div><div>{SUMMARY}</div><div><a href="/n/{n}">Read more</a></div></div></div>')

    items = items_of(page("<main><h1>News</h1>" + "".join(card(n, t) for n, t in enumerate(BOLD_TITLES, 1))
                          + "</main>"))
    assert fields(items, "url", "title", "summary", "image") == [
        (f"/n/{n}", title, SUMMARY, f"/i/{n}.jpg" if n != 2 else None) for n, title in enumerate(BOLD_TITLES, 1)
    ]


def test_the_last_item_of_a_list_with_separators_does_not_take_the_page_links_after_it():
    # No class names: items between separator <div>s take what follows them up to the next; the last
    # took the page links' <div> after the list, whose links are items of another list, and was
    # dropped as a section's heading (found by the no_class_names transform).
    titles = (*BOLD_TITLES, "Unemployment insurance after the crisis", "Social protection floors in Africa")
    cards = '<div><!-- --></div>'.join(
        f'<div><h3><a href="/n/{n}">{title}</a></h3><div>{n} March 2024</div><div>{SUMMARY}</div></div>'
        for n, title in enumerate(titles, 1))
    pages = '<div><ul><li><a href="?p=2">Next</a></li><li><a href="?p=9">Last</a></li></ul></div>'
    items = items_of(page(f"<main><h1>News</h1><div>{cards}{pages}</div></main>"))
    assert fields(items, "url", "title", "date_text") == [
        (f"/n/{n}", title, f"{n} March 2024") for n, title in enumerate(titles, 1)
    ]


def test_a_grids_cells_are_its_items_when_links_elsewhere_stand_as_their_titles():
    # No class names: each cell's title is an <a> in a <span> in a <div>, and so are four links in
    # boxes outside the table; those have no cell above them, and too many to be placed at the
    # cells' depth: they leave the slot, and the cells are the items (found by the no_class_names
    # transform). Before, the slot stopped at the title's <div>, an item of one line per cell.
    titles = (*BOLD_TITLES, "Unemployment insurance after the crisis", "Social protection floors in Africa",
              "Pensions for domestic workers", "Child benefits in the Americas")
    cells = [f'<td><div><span><a href="/n/{n}">{title}</a></span></div><div><span>Type: </span><span>News</span>'
             f"</div><div><span>{n} June 2022</span></div><div><p>{SUMMARY}</p></div></td>"
             for n, title in enumerate(titles, 1)]
    rows = "".join(f"<tr>{''.join(cells[i:i + 3])}</tr>" for i in range(0, len(cells), 3))
    boxes = [f'<div><div><span><a href="/x/{n}">Other link {n}</a></span></div></div>' for n in range(4)]
    items = items_of(page(f"<div>{''.join(boxes[:2])}</div><main><h1>News</h1><table>{rows}</table></main>"
                          f"<div>{''.join(boxes[2:])}</div>"))
    assert fields(items, "url", "label", "date_text", "summary") == [
        (f"/n/{n}", "News", f"{n} June 2022", SUMMARY) for n in range(1, len(titles) + 1)
    ]


def test_a_term_is_no_label_when_a_wrapper_holds_its_text():
    # One more <div> in every <dt> (the `deeper` transform): "Informations" is still the term that
    # names the rows under it, not the label of the item that has no category row (found by the
    # deeper transform of benchmarks/metamorphic.py). Without the wrapper, the same.
    def card(n: int, wrap: bool) -> str:
        def cell(tag: str, text: str) -> str:
            return f"<{tag}><div>{text}</div></{tag}>" if wrap else f"<{tag}>{text}</{tag}>"

        category = cell("dd", f'Catégorie : <a href="/c/{n}">Thème {n}</a>') if n != 2 else ""
        return (f'<div><h2><a href="/n/{n}">Article numéro {n} sur la protection sociale</a></h2><dl>'
                f'{cell("dt", "Informations")}{category}{cell("dd", f"Publié le {n} mars 2024")}</dl>'
                f"<p>{RESUME}</p></div>")

    for wrap in (False, True):
        rows = "".join(f"<div>{card(n, wrap)}{card(n + 1, wrap)}</div>" for n in (1, 3))
        found = items_of(page(f"<main><h1>Actualités</h1>{rows}</main>", lang="fr"))
        assert fields(found, "url", "label") == [("/n/1", "Thème 1"), ("/n/2", None), ("/n/3", "Thème 3"),
                                                ("/n/4", "Thème 4")]


def test_a_breadcrumbs_last_crumb_is_the_label_a_row_of_tags_its_first():
    # "News › Press release" above the title: the path's last crumb names the item's kind.
    kinds = ("Press release", "Statement", "Article")
    tiles = "".join(f'<x-tile><x-crumbs><span>News</span><x-icon aria-hidden="true"></x-icon><span>{kind}</span>'
                    f'</x-crumbs><h3><a href="/n/{n}">{title}</a></h3><p>{n} March 2024</p></x-tile>'
                    for n, (kind, title) in enumerate(zip(kinds, BOLD_TITLES, strict=True), 1))
    assert [item.label for item in items_of(page(f"<main>{tiles}</main>"))] == list(kinds)
    # Tags in a row with only a space between them: the first stands where the others' one tag does.
    cards = "".join(f'<div><div><span>{kind}</span>' + (" <span>Featured</span>" if n == 2 else "")
                    + f'</div><h3><a href="/n/{n}">{title}</a></h3><p>{n} March 2024</p></div>'
                    for n, (kind, title) in enumerate(zip(kinds, BOLD_TITLES, strict=True), 1))
    assert [item.label for item in items_of(page(f"<main>{cards}</main>"))] == list(kinds)


# --- general causes the eighth and tenth held-out sets showed (round 11; pages written here, not theirs) ---


def items_in(html: str, language: str) -> list[RawItem]:
    """The items of a page in another language, its dates read in it as parse_page reads them."""
    items, skipped = fallback_items(html, page_languages(("en", "fr", "es"), language))
    assert skipped == 0
    return items


def test_the_target_of_the_pages_first_link_is_content_whatever_its_names_say():
    # A skip link leads past the menus to the content: the element it leads to is the page's main
    # content, as <main> is, though its id names what it skips ("nav-end").
    rows = "".join(f'<tr><td>{n} May 2024</td><td><a href="/s/{n}">Skipped-to story number {n}</a></td></tr>'
                   for n in (1, 2, 3))
    menu = '<nav><a href="/">Home</a> <a href="/about">About</a></nav>'
    target = f'<section id="nav-end"><h2>Latest</h2><table>{rows}</table></section>'
    items = items_of(page(f'<p><a href="#nav-end">Skip the menu</a></p>{menu}{target}'))
    assert [item.url for item in items] == ["/s/1", "/s/2", "/s/3"]
    # A link to it that is not the page's first (a "back to" link at the foot) makes no content of it.
    assert fallback_items(page(f'{menu}{target}<p><a href="#nav-end">Back</a></p>'))[0] == []


KINDS_PT = ("Reportagem", "Vídeo", "Reportagem")


def test_a_place_where_most_items_name_an_organisation_is_no_label_in_other_languages_either():
    # words.json's organisation nouns by language: "(Cortesia do Escritório da OIT em Lisboa, Portugal)" under every
    # item names who sent it, punctuation around its words or not: it is neither label nor summary.
    kinds = ("<b>Notícia</b> ", "", "<b>Comunicado</b> ", "")
    teaser = "Um resumo bastante longo para ser lido como o texto de abertura da notícia."
    sender = "<small>(Cortesia do Escritório da OIT em Lisboa, Portugal)</small>"
    rows = "".join(f'<li>{kind}<a href="/p/{n}">Notícia número {n} sobre a protecção social</a> <i>{n} de maio de 2024'
                   f"</i>{f'<p>{teaser}</p>' if kind else ''}{sender}</li>" for n, kind in enumerate(kinds, 1))
    assert fields(items_in(page(f"<ul>{rows}</ul>", lang="pt"), "pt"), "label", "summary") == [
        ("Notícia", teaser), (None, None), ("Comunicado", teaser), (None, None)]
    # A short line that names no organisation in that place stays the label of the items that have one.
    places = "".join(f'<li><a href="/p/{n}">Notícia número {n} sobre a protecção social</a> <i>{n} de maio de 2024'
                     f"</i><br><small>{kind}</small></li>" for n, kind in enumerate(KINDS_PT))
    found = items_in(page(f"<ul>{places}</ul>", lang="pt"), "pt")
    assert fields(found, "label") == [(kind,) for kind in KINDS_PT]


def test_a_time_line_may_start_with_the_word_for_its_part_of_the_day():
    # "下午 3:00" (afternoon), under a day's date: the line is the time, one word before its numbers.
    rows = "".join(f'<div><h4><a href="/z/{n}">关于社会保护的第{n}条新闻标题</a></h4><p>2023年9月{n}日</p>'
                   f"<p>{time}</p></div>" for n, time in ((11, "下午 3:00"), (12, "上午 9:30"), (13, "")))
    found = items_in(page(f"<main>{rows}</main>", lang="zh"), "zh")
    assert [item.date_text for item in found] == [
        "2023年9月11日, 下午 3:00", "2023年9月12日, 上午 9:30", "2023年9月13日"]
    # A word of a script whose vowels are marks (Bengali "বিকাল", afternoon) is a word too.
    cards = "".join(f'<div><h4><a href="/b/{n}">সামাজিক সুরক্ষা বিষয়ে সংবাদ নম্বর {n}</a></h4><p>{n} সেপ্টেম্বর 2023</p>'
                    f"<p>বিকাল 4:15</p></div>" for n in (11, 12))
    assert [item.date_text for item in items_in(page(f"<main>{cards}</main>", lang="bn"), "bn")] == [
        f"{n} সেপ্টেম্বর 2023, বিকাল 4:15" for n in (11, 12)]
    # Left alone: a line of words with a time in it is no time line ("两场会议 3:00 开始" says more).
    other = rows.replace("下午 3:00", "会议共两场，下午 3:00 开始")
    assert fields(items_in(page(f"<main>{other}</main>", lang="zh"), "zh"), "date_text")[0] == ("2023年9月11日",)


def test_a_second_link_to_the_items_own_page_is_no_label_in_whatever_words():
    # "Zum vollständigen Bericht" (words no table holds) under each item, to the item's own page: its
    # read-more, not its label; the kind before the date stays in the date line (normalize's label).
    def rows(more: str) -> str:
        return "".join(f'<article><h3><a href="/d/{n}">Bericht Nummer {n} über soziale Sicherung</a></h3>'
                       f"<p><span>{kind}</span> <span>{n}.05.2024</span> | Quelle: <b>Bundesamt für Soziales</b></p>"
                       f"{more.format(n=n)}</article>"
                       for n, kind in enumerate(("Bericht", "Meldung", "Bericht"), 1))

    found = items_in(page(f'<main>{rows("<a href=/d/{n}>Zum vollständigen Bericht</a>")}</main>', lang="de"), "de")
    assert [item.label for item in found] == [None] * 3
    # A link to another page in that place (the item's topic) stays its label.
    found = items_in(page(f'<main>{rows("<a href=/themen/{n}>Arbeit und Soziales</a>")}</main>', lang="de"), "de")
    assert [item.label for item in found] == ["Arbeit und Soziales"] * 3


def test_a_label_ends_before_the_separator_that_followed_it():
    # "Tema: <a>Pensioni</a> | <a>Leggi tutto</a>" below the title: the read-more leaves its line, and the
    # "|" that set it apart goes with it; a separator between two words of the label stays.
    def cards(topics: tuple[str, ...]) -> str:
        return "".join(f'<div><h4><a href="/i/{n}">Notizia numero {n} sulla protezione sociale</a></h4>'
                       f'<p>{n} maggio 2024</p><p>Tema: <a href="/t/{n}">{topic}</a> | <a href="/i/{n}">Leggi tutto</a>'
                       "</p></div>" for n, topic in enumerate(topics, 1))

    topics = ("Pensioni", "Salute | Lavoro", "Pensioni")
    assert [item.label for item in items_in(page(f"<main>{cards(topics)}</main>", lang="it"), "it")] == list(topics)


def test_a_title_heading_without_a_link_takes_the_items_read_more_link_over_its_category_link():
    # Cards whose <h3> is plain text: the item's link is its "Ver más", not the category link above the
    # heading (each card's category a page of its own, so no link shared between cards tells it apart).
    def cards(more: str) -> str:
        return "".join(f'<div class="tarjeta"><p><a href="/temas/{topic}">{topic}</a> <span>{n} de mayo de 2024'
                       f"</span></p><h3>Noticia número {n} sobre la protección social en la región</h3>"
                       f"{more.format(n=n)}</div>" for n, topic in enumerate(("Pensiones", "Salud", "Empleo"), 1))

    found = items_of(page(f'<main>{cards("<a href=/noticias/{n}>Ver más</a>")}</main>', lang="es"))
    assert fields(found, "url", "label") == [(f"/noticias/{n}", topic) for n, topic in
                                              enumerate(("Pensiones", "Salud", "Empleo"), 1)]
    # Its words in a span, beside what it says to screen readers only: still a "Ver más".
    hidden = '<a href=/noticias/{n}><span>Ver más</span> <span class="sr-only">sobre la noticia {n}</span></a>'
    found = items_of(page(f"<main>{cards(hidden)}</main>", lang="es"))
    assert [item.url for item in found] == [f"/noticias/{n}" for n in (1, 2, 3)]
    # Without a read-more, the heading's link is still the longest link text (here, the source's page).
    found = items_of(page(f'<main>{cards("<a href=/fuentes/{n}>Fuente: Ministerio de Trabajo</a>")}</main>', lang="es"))
    assert [item.url for item in found] == [f"/fuentes/{n}" for n in (1, 2, 3)]


def test_the_caption_of_a_disclosure_is_the_items_title_when_no_heading_links():
    # Each item a <details>: its <summary> is the title, in plain text; its only link, inside, names the
    # document's place in words no table holds ("Open the full report at the partner’s online library").
    docs = "".join(f"<details><summary>Report number {n} on pension coverage in the region</summary><p>{n} May 2024"
                   f'</p><p>{SUMMARY}</p><p><a href="/r/{n}">Open the full report at the partner’s online library</a>'
                   "</p></details>" for n in (1, 2, 3))
    assert fields(items_of(page(f"<main>{docs}</main>")), "title", "url", "label", "summary") == [
        (f"Report number {n} on pension coverage in the region", f"/r/{n}", None, SUMMARY) for n in (1, 2, 3)]
    # Where an item has no teaser, its link's words name where it is: no summary either.
    bare = docs.replace(f"<p>{SUMMARY}</p>", "", 1)
    assert [item.summary for item in items_of(page(f"<main>{bare}</main>"))] == [None, SUMMARY, SUMMARY]
    # Left alone: a disclosure inside a card whose heading links is no title ("Show the abstract").
    cards = "".join(f'<div><h3><a href="/c/{n}">Card story number {n} on benefits</a></h3><p>{n} May 2024</p>'
                    f"<details><summary>Show the abstract of the study</summary><p>{SUMMARY}</p></details></div>"
                    for n in (1, 2, 3))
    assert [item.title for item in items_of(page(f"<main>{cards}</main>"))] == [
        f"Card story number {n} on benefits" for n in (1, 2, 3)]


def test_a_reference_number_that_opens_the_title_in_an_element_of_its_own_is_no_word_of_it():
    def rows(ref: str) -> str:
        return "".join(f'<li><h4><b>{ref.format(n=n)}</b> <a href="/m/{n}">Motion number {n} on pensions for all'
                       f"</a></h4><p>{n} May 2024</p></li>" for n in (1, 2, 3))

    assert [item.title for item in items_of(page(f"<ul>{rows('No. 2024-11{n}')}</ul>"))] == [
        f"Motion number {n} on pensions for all" for n in (1, 2, 3)]
    # Left alone: the same number written in the title's own text is a word of it.
    plain = "".join(f'<li><h4><a href="/m/{n}">No. 2024-11{n} Motion number {n} on pensions for all</a></h4>'
                    f"<p>{n} May 2024</p></li>" for n in (1, 2, 3))
    assert [item.title for item in items_of(page(f"<ul>{plain}</ul>"))] == [
        f"No. 2024-11{n} Motion number {n} on pensions for all" for n in (1, 2, 3)]


def test_a_link_around_blocks_takes_its_title_after_a_kicker_block():
    # One <a> around the whole tile, no heading: a kind of one or two words in the first block above the
    # title's block is the label, not the title.
    kinds = ("Feature", "Press release", "Feature")
    tiles = "".join(f'<a href="/t/{n}"><p>{kind}</p><p>The long title of tile number {n} about pensions</p>'
                    f"<p>{SUMMARY}</p><p>{n} May 2024</p></a>" for n, kind in enumerate(kinds, 1))
    assert fields(items_of(page(f"<main><div>{tiles}</div></main>")), "title", "label", "summary") == [
        (f"The long title of tile number {n} about pensions", kind, SUMMARY) for n, kind in enumerate(kinds, 1)]
    # Left alone: a short title whose next block is its date.
    short = "".join(f'<a href="/s/{n}"><p>Pension reform {n}</p><p>{n} May 2024</p></a>' for n in (1, 2, 3))
    assert [item.title for item in items_of(page(f"<main><div>{short}</div></main>"))] == [
        f"Pension reform {n}" for n in (1, 2, 3)]


def test_a_row_that_names_its_field_inside_another_items_block_is_no_item():
    # No class names: a category row ("Topic: <a>Pensions</a>") shares its place with the picture's
    # link of the items that have one, so it was read as an item of its own; it is a field of the item
    # it stands in, which keeps it as its label.
    def post(n: int, picture: bool) -> str:
        image = f'<a href="/p/{n}"><img src="/img/{n}.jpg" width="300" height="200" alt=""></a>' if picture else ""
        return (f"<div><span>{n} May 2024</span>{image}<h3><a href=\"/p/{n}\">Post number {n} about pensions for all"
                f'</a></h3><p>{SUMMARY}</p><div>Topic: <a href="/topics/{n}">Topic {n}</a></div>'
                f'<a href="/p/{n}">Continue</a><hr></div>')

    posts = "".join(post(n, n % 2 == 1) for n in range(1, 7))
    assert fields(items_of(page(f"<main><h1>Posts</h1><div>{posts}</div></main>")), "url", "label") == [
        (f"/p/{n}", f"Topic {n}") for n in range(1, 7)]
    # Left alone: a dated post that an unclosed <div> nested inside the one before it is an item.
    unclosed = "".join(post(n, n % 2 == 1).removesuffix("</div>") if n == 3 else post(n, n % 2 == 1)
                       for n in range(1, 7)) + "</div>"
    assert [item.url for item in items_of(page(f"<main><h1>Posts</h1><div>{unclosed}</div></main>"))] == [
        f"/p/{n}" for n in range(1, 7)]


def test_what_follows_a_list_an_unclosed_tag_left_in_its_item_goes_after_the_list():
    # The second item's <div><p> is never closed: libxml2 nests the next items in it, and the page after
    # the list (the pager, a box of two dated notices) too. A browser closes the item at the next <li>
    # and the list at </ul>: the items are siblings again, the notices after the list, no item's part.
    def item(n: int, unclosed: bool) -> str:
        teaser = f"<div><p>{SUMMARY}" if unclosed else f"<div><p>{SUMMARY}</p></div>"
        return (f'<li><span>{n} May 2024</span><div><a href="/k/{n}">Story number {n} about pensions for all</a>'
                f"{teaser}</div></li>")

    notices = "".join(f'<li><span>{n}.10.2024</span> <a href="/notice/{n}">Notice number {n} of the office</a></li>'
                      for n in (1, 2))
    html = page("<div><ul>" + "".join(item(n, n == 2) for n in range(1, 6)) + "</ul>"
                f'<div><a href="?p=2">2</a></div><div><h3>Notices</h3><ul>{notices}</ul></div></div>')
    root = tree(html)
    _unnest_list_items(root)
    listing = root.find(".//ul")
    assert [li.find(".//a").get("href") for li in listing] == [f"/k/{n}" for n in range(1, 6)]
    assert [node.tag for node in listing.itersiblings()] == ["div", "div"]
    # Left alone: a list inside an item, before the next item, stays inside it.
    inner = page('<ul><li><a href="/k/1">Story one</a><ul><li>part</li></ul><p>more</p></li><li>two</li></ul>')
    root = tree(inner)
    before = etree.tostring(root)
    _unnest_list_items(root)
    assert etree.tostring(root) == before


def test_a_lazy_loaders_srcset_wins_over_its_placeholder_src():
    # lazysizes: src is a loading picture (not data:), the picture is in data-srcset; a srcset of the
    # img's own (no loader) leaves its src the picture.
    cards = "".join(
        f'<article><img src="/static/spinner.svg" data-srcset="/photos/{n}.jpg 1x" alt=""><h2><a href="/n/{n}">'
        f"Story number {n} about pensions</a></h2><p>{n} May 2024</p></article>" for n in (1, 2))
    cards += ('<article><img src="/photos/3.jpg" srcset="/photos/3-big.jpg 2x" alt=""><h2><a href="/n/3">Story number'
              " 3 about pensions</a></h2><p>3 May 2024</p></article>")
    assert [item.image for item in items_of(page(f"<main>{cards}</main>"))] == [
        "/photos/1.jpg", "/photos/2.jpg", "/photos/3.jpg"]


def test_a_short_box_of_bare_dated_links_after_the_listing_is_no_more_of_it():
    # After a listing whose items have teasers, a box of two links with only their dates ("Office notices":
    # the site's own announcements) is not more of the listing.
    posts = "".join(f'<li><h3><a href="/n/{n}">Story number {n} about pensions for all</a></h3><p>{n} May 2024</p>'
                    f"<p>{SUMMARY}</p></li>" for n in range(1, 6))
    box = "".join(f'<p><a href="/office/{n}">Office closed on a public holiday, notice {n}</a> <small>{n}.10.2024'
                  "</small></p>" for n in (1, 2))
    html = page(f"<div><div><ul>{posts}</ul></div><div><b>Office notices</b>{box}</div></div>")
    assert [item.url for item in items_of(html)] == [f"/n/{n}" for n in range(1, 6)]
    # Left alone: the same box before the listing leads the page (its top stories).
    html = page(f"<div><div><b>Office notices</b>{box}</div><div><ul>{posts}</ul></div></div>")
    assert [item.url for item in items_of(html)] == ["/office/1", "/office/2"] + [f"/n/{n}" for n in range(1, 6)]


def test_a_kind_in_an_element_of_its_own_keeps_its_place_when_its_line_has_text_of_its_own():
    # One row's line also has text of its own (brackets around a second link): its kind, the whole text of
    # its <b>, stands where the other rows' <b> does, and is its label too; the mark after a title is no label.
    rows = [("Notice", ""), ("Report", ' (<a href="/files/2.pdf">summary, PDF</a>)'), ("Notice", ""),
            (None, '<img src="/img/new.gif" width="24" height="10" alt="NEW">'),
            ("Notice", '<img src="/img/new.gif" width="24" height="10" alt="NEW">')]
    html = page("<dl>" + "".join(
        f"<dt>{n} May 2024</dt><dd>{f'<b>{kind}</b> ' if kind else ''}"
        f'<a href="/n/{n}">Story number {n} about pensions for all</a>{rest}</dd>'
        for n, (kind, rest) in enumerate(rows, 1)) + "</dl>")
    assert [item.label for item in items_of(html)] == ["Notice", "Report", "Notice", None, "Notice"]


def test_a_teaser_ends_before_the_link_to_its_item_that_closes_it():
    # An unclosed <p> holds the "go on" link after the teaser: the link's words (to the item's own page)
    # are no words of the teaser; a link to another page that ends a sentence stays in it.
    def rows(end: str) -> str:
        return "".join(f'<div><h3><a href="/n/{n}">Story number {n} about pensions for all</a></h3><p>{n} May 2024</p>'
                       f"<p>{SUMMARY} {end.format(n=n)}</p></div>" for n in (1, 2, 3))

    found = items_of(page(f'<main>{rows("<a href=/n/{n}>Continue to the full release</a>")}</main>'))
    assert [item.summary for item in found] == [SUMMARY] * 3
    found = items_of(page(f'<main>{rows("See <a href=/reports/{n}>the report</a>")}</main>'))
    assert [item.summary for item in found] == [f"{SUMMARY} See the report"] * 3


def test_an_organisation_that_ends_the_date_line_is_no_type():
    # "<b>Report</b> 12 May 2024 | Source: <b>Ministry of Labour and Employment</b>": the element that starts
    # the line is the type; the one that ends it names who sent the item, also where no type starts it.
    kinds = ("<b>Report</b> ", "<b>Statement</b> ", "", "<b>Notice</b> ")
    rows = "".join(f'<div><h3><a href="/r/{n}">Release number {n} about pensions for all</a></h3><p>{kind}'
                   f"<span>{n} May 2024</span> | Source: <b>Ministry of Labour and Employment</b></p></div>"
                   for n, kind in enumerate(kinds, 1))
    items = normalize_items(items_of(page(f"<main>{rows}</main>")), Context.for_page("https://e.org/"))
    assert [item_json(item)["category"] for item in items] == ["Report", "Statement", None, "Notice"]
    # Left alone: a kind that ends the date line, varying from item to item, is the label.
    ends = "".join(f'<div><h3><a href="/r/{n}">Release number {n} about pensions for all</a></h3><p>'
                   f"<span>{n} May 2024</span> <b>{kind}</b></p></div>"
                   for n, kind in enumerate(("Webinar", "Statement", "Report"), 1))
    assert [item.label for item in items_of(page(f"<main>{ends}</main>"))] == ["Webinar", "Statement", "Report"]


def test_a_line_below_the_title_where_most_items_have_a_label_above_is_no_label():
    # Each event's place under its title ("Lyon", "Online"); its kind above the title, but on one event.
    # That one has no kind: its place is not its label. Left alone: a kind below the title, where no
    # item has one above, is the label.
    kinds = ("<em>Webinar</em>", "<em>Conference</em>", "", "<em>Webinar</em>")
    places = ("Lyon", "Online", "Brussels", "Geneva")
    rows = "".join(f'<li>{kind}<h4><a href="/e/{n}">Event number {n} about pensions for all</a></h4>'
                   f"<p>{n} May 2024</p><p>{place}</p></li>"
                   for n, (kind, place) in enumerate(zip(kinds, places, strict=True), 1))
    assert [item.label for item in items_of(page(f"<ul>{rows}</ul>"))] == ["Webinar", "Conference", None, "Webinar"]
    below = "".join(f'<li><h4><a href="/e/{n}">Event number {n} about pensions for all</a></h4>'
                    f"<p>{n} May 2024</p><p>{kind}</p></li>"
                    for n, kind in enumerate(("Webinar", "Talk", "Webinar"), 1))
    assert [item.label for item in items_of(page(f"<ul>{below}</ul>"))] == ["Webinar", "Talk", "Webinar"]


@pytest.mark.parametrize(
    ("row", "cell"),
    [
        # A heading row spanning "²" columns: str.isdigit() is true of "²", int() refuses it.
        ('<tr><td colspan="²">Press releases</td></tr>', ""),
        # A colspan of 5,000 digits: int() refuses more than 4,300.
        (f'<tr><td colspan="{"9" * 5000}">Press releases</td></tr>', ""),
        # An icon whose width is "²" (a tiny icon's alt names the item's kind).
        ("", '<img src="/icon.png" width="²" height="10" alt="Video">'),
        # An image whose srcset names a width of "²w".
        ("", '<img srcset="/a.jpg ²w, /b.jpg 3w">'),
    ],
    ids=["colspan", "colspan-5000-digits", "icon-width", "srcset-width"],
)
def test_a_number_int_cannot_read_is_no_number_not_a_crash(row, cell):
    # Found by grepping for the class of bug the fuzzer found: each raised ValueError out of parse_page.
    rows = "".join(f'<tr><td>{cell}<a href="/news/n{n}">{title}</a></td><td>{n} March 2024</td></tr>'
                   for n, title in enumerate(BOLD_TITLES, 1))
    found = items_of(page(f"<table>{row}{rows}</table>"))
    assert [item.url for item in found] == [f"/news/n{n}" for n in range(1, len(BOLD_TITLES) + 1)]


def test_a_control_character_in_a_tag_s_name_is_dropped_not_a_crash():
    # libxml2 keeps <x\x1dy> as a tag named "x\x1dy", which lxml's iter() then refused (found by atheris).
    cards = "".join(f'<x\x1dy class="card"><h3><a href="/n/{n}">{title}</a></h3><p>{n} March 2024</p></x\x1dy>'
                    for n, title in enumerate(BOLD_TITLES, 1))
    assert [item.url for item in items_of(page(f"<main>{cards}</main>"))] == [
        f"/n/{n}" for n in range(1, len(BOLD_TITLES) + 1)
    ]


# --- synthetic listings (tests/synthetic.py, benchmarks/synthetic.py) ---------------


def test_a_headings_item_links_where_its_read_more_link_goes_not_to_its_topic():
    # The heading has no link; the item's links are its topic's page and a "Read more" to the article.
    cards = "".join(
        f"<div class='teaser'><h3>Story number {n} on social protection floors</h3><p>{n} May 2024</p>"
        f"<p>{SUMMARY}</p><a href='/topics/{topic}'>{topic.title()}</a> <a href='/stories/{n}'>{more}</a></div>"
        for n, topic, more in ((1, "pensions", "Read more"), (2, "health", "Read more"), (3, "children", "Read more"))
    )
    items = items_of(page(f"<main>{cards}</main>"))
    assert fields(items, "url", "title", "label") == [
        (f"/stories/{n}", f"Story number {n} on social protection floors", topic)
        for n, topic in ((1, "Pensions"), (2, "Health"), (3, "Children"))
    ]
    # Left alone: with no "Read more", the heading's item links where its one longer link goes.
    plain = "".join(
        f"<div><h3>Story {n}</h3><p>{n} May 2024</p><a href='/stories/{n}'>The whole story of case {n}</a></div>"
        for n in (1, 2, 3)
    )
    assert [item.url for item in items_of(page(f"<main>{plain}</main>"))] == ["/stories/1", "/stories/2", "/stories/3"]


THREE = (1, 2, 3)


def _terms(description: str, *, picture_last: bool = True) -> str:
    """A <dl> of three stories: the title as the term, then its descriptions."""
    rows = ""
    for n in (1, 2, 3):
        picture = f"<dd>{description.format(n=n)}</dd>"
        lines = f"<dd><p>{n} May 2024</p></dd><dd><p>{SUMMARY}</p></dd>"
        rows += f"<dt><h3><a href='/s/{n}'>Story number {n} about pensions</a></h3></dt>"
        rows += lines + picture if picture_last else picture + lines
    return page(f"<main><dl>{rows}</dl></main>")


def test_pictures_that_end_every_item_the_last_one_too_are_their_own_items():
    # Each story's picture is its last description: none is the next story's.
    items = items_of(_terms("<img src='/i/{n}.jpg' alt=''>"))
    assert fields(items, "url", "image", "date_text") == [(f"/s/{n}", f"/i/{n}.jpg", f"{n} May 2024") for n in THREE]
    # Left alone: a picture just above each item's first line (the last item's run ends with no picture).
    above = "".join(f"<img src='/i/{n}.jpg' alt=''><h3><a href='/s/{n}'>Story number {n} about pensions</a></h3>"
                    f"<p>{n} May 2024</p><p>{SUMMARY}</p>" for n in (1, 2, 3))
    # (The first picture, above the first item's run, is read by none, as before.)
    assert [item.image for item in items_of(page(f"<main><div>{above}</div></main>"))][1:] == ["/i/2.jpg", "/i/3.jpg"]



def test_a_descriptions_link_after_its_terms_title_link_goes_on_with_its_item():
    # The picture links where the title does, or to the report, from a description of its own: one
    # item each, with its date (a <dd> describes the <dt> above it).
    items = items_of(_terms("<a href='/s/{n}'><img src='/i/{n}.jpg' alt=''></a>", picture_last=False))
    assert fields(items, "url", "image", "date_text") == [(f"/s/{n}", f"/i/{n}.jpg", f"{n} May 2024") for n in THREE]
    report = items_of(_terms("<a href='/report/{n}.pdf'>The report</a>", picture_last=False))
    assert fields(report, "url", "date_text") == [(f"/s/{n}", f"{n} May 2024") for n in (1, 2, 3)]
    # Left alone: cards of two shapes taking turns, each linking to a page of its own, are an item each.
    cards = "".join(f"<div class='{shape}'><{tag}><a href='/s/{n}'>Story number {n} about pensions</a></{tag}>"
                    f"<p>{n} May 2024</p></div>"
                    for n, (shape, tag) in enumerate((("wide", "h3"), ("narrow", "h4")) * 2, 1))
    assert [item.url for item in items_of(page(f"<main><div>{cards}</div></main>"))] == [f"/s/{n}" for n in range(1, 5)]


def _card_links(kicker: str, title: str) -> str:
    kinds = ("Feature", "Press release", "News")
    titles = ("Maternity protection for informal workers in Ghana", "Pensions reach more older people in Asia",
              "Health coverage grows in West Africa")
    return page("<main><div>" + "".join(
        f"<a href='/s/{n}'><div>{kicker.format(kind)}{title.format(text)}<p>{n} May 2024</p><p>{SUMMARY}</p></div></a>"
        for n, (kind, text) in enumerate(zip(kinds, titles, strict=True), 1)) + "</div></main>")


def test_a_card_links_title_is_its_line_under_a_short_kicker_not_the_kicker():
    titles = ["Maternity protection for informal workers in Ghana", "Pensions reach more older people in Asia",
              "Health coverage grows in West Africa"]
    for kicker, title in (("<p>{}</p>", "<div>{}</div>"), ("<span>{}</span>", "<strong>{}</strong>"),
                          ("<p>{}</p>", "<strong>{}</strong>")):
        items = items_of(_card_links(kicker, title))
        assert fields(items, "title", "label") == list(zip(titles, ("Feature", "Press release", "News"), strict=True))
    # Left alone: a short title over a longer teaser is the title.
    short = page("<main><div>" + "".join(
        f"<a href='/s/{n}'><div><p>Report {n}</p><p>{n} May 2024</p><p>{SUMMARY}</p></div></a>" for n in (1, 2, 3)
    ) + "</div></main>")
    assert [item.title for item in items_of(short)] == ["Report 1", "Report 2", "Report 3"]


def test_a_card_links_title_is_its_first_line_when_no_block_in_it_has_text_of_its_own():
    titles = ("Maternity protection for informal workers in Ghana", "Pensions reach more older people in Asia",
              "Health coverage grows in West Africa")
    for card in ("<div><strong>{}</strong><p><span>{} May 2024</span></p></div>",
                 "<strong>{}</strong><p>{} May 2024</p>",
                 "<div><p>{}</p><p>{} May 2024</p></div>"):  # the last one left alone: read so before
        links = "".join(f"<a href='/s/{n}'>{card.format(title, n)}</a>" for n, title in enumerate(titles, 1))
        items = items_of(page(f"<main><div>{links}</div></main>"))
        assert fields(items, "title", "date_text") == [(title, f"{n} May 2024") for n, title in enumerate(titles, 1)]


def test_a_section_of_one_item_in_the_listings_template_is_an_item():
    def section(name: str, numbers: tuple[int, ...], dated: bool = True) -> str:
        rows = "".join(f"<li><strong><a href='/s/{n}'>Story number {n} about pensions</a></strong>"
                       + (f"<p>{n} May 2024</p>" if dated else "") + "</li>" for n in numbers)
        return f"<section><h2>{name}</h2><ul>{rows}</ul></section>"

    body = section("Featured", (9,)) + section("Latest news", (3, 2, 1)) + section("Press releases", (8,))
    assert [item.url for item in items_of(page(f"<main>{body}</main>"))] == ["/s/9", "/s/3", "/s/2", "/s/1", "/s/8"]
    # Left alone: an undated one in that template after a dated listing ("All news") is no item, nor a
    # dated one whose title names a place rather than saying something (a site's name over its date).
    body = section("Latest news", (3, 2, 1)) + section("More", (7,), dated=False)
    assert [item.url for item in items_of(page(f"<main>{body}</main>"))] == ["/s/3", "/s/2", "/s/1"]
    hub = "<ul><li><strong><a href='/hub'>ILO Intranet</a></strong><p>9 May 2024</p></li></ul>"
    body = f"<section>{hub}</section>" + section("Latest news", (3, 2, 1))
    assert [item.url for item in items_of(page(f"<main>{body}</main>"))] == ["/s/3", "/s/2", "/s/1"]


def test_a_term_with_no_link_starts_the_item_whose_description_holds_the_link():
    # "<dt>Title</dt><dd>date</dd><dd>Read more</dd>": the term above each linked description is its title.
    rows = "".join(f"<dt><h3>Story number {n} about pensions</h3></dt><dd><p>{n} May 2024</p></dd>"
                   f"<dd><p>{SUMMARY}</p></dd><dd><a href='/s/{n}'>Read more</a></dd>" for n in THREE)
    items = items_of(page(f"<main><dl>{rows}</dl></main>"))
    assert fields(items, "url", "title", "date_text") == [
        (f"/s/{n}", f"Story number {n} about pensions", f"{n} May 2024") for n in THREE]
    # Left alone: terms that hold the title links start their items already.
    assert [item.url for item in items_of(_terms("<img src='/i/{n}.jpg' alt=''>"))] == [f"/s/{n}" for n in THREE]


def test_undated_titles_most_of_them_with_a_teaser_are_a_listing():
    def listing(teasers: tuple[int, ...]) -> str:
        rows = "".join(f"<li><strong><a href='/s/{n}'>Story number {n} about pensions</a></strong>"
                       + (f"<p>{SUMMARY}</p>" if n in teasers else "") + "</li>" for n in (1, 2, 3, 4))
        return page(f"<main><ul>{rows}</ul></main>")

    assert [item.url for item in items_of(listing((1, 2, 4)))] == ["/s/1", "/s/2", "/s/3", "/s/4"]
    # Left alone: titles with a teaser under one of them only are links, not a listing.
    assert items_of(listing((2,))) == []


def test_card_links_a_tag_left_open_nested_in_each_other_are_an_item_each():
    # Each card leaves a <div> open: libxml2 nests the next card's link in it (a browser closes the link).
    cards = "".join(f"<a href='/s/{n}'><div><div><h3>Story number {n} about pensions</h3><p>{n} May 2024</p>"
                    f"<p>{SUMMARY}</p></div></a>" for n in (1, 2, 3, 4))
    items = items_of(page(f"<main><div>{cards}</div></main>"))
    assert fields(items, "url", "title", "date_text") == [
        (f"/s/{n}", f"Story number {n} about pensions", f"{n} May 2024") for n in (1, 2, 3, 4)]
    # Left alone: words in a link inside a card's link (no block of its own) stay where they are.
    cards = "".join(f"<a href='/s/{n}'><div><h3>Story number {n} about <a href='/t/p'>pensions</a> today</h3>"
                    f"<p>{n} May 2024</p></div></a>" for n in THREE)
    assert [item.title for item in items_of(page(f"<main><div>{cards}</div></main>"))] == [
        f"Story number {n} about pensions today" for n in THREE]


def test_a_pictures_link_standing_as_the_titles_link_does_to_the_same_page_is_the_same_item():
    # "<dt>date</dt><dd><a>Title</a></dd><dd><a><img></a></dd>": both links alike in a <dd>, one slot.
    rows = "".join(f"<dt><span>{n} May 2024</span></dt><dd><a href='/s/{n}'>Story number {n} about pensions</a></dd>"
                   f"<dd><a href='/s/{n}'><img src='/i/{n}.jpg' alt=''></a></dd>" for n in THREE)
    items = items_of(page(f"<main><dl>{rows}</dl></main>"))
    assert fields(items, "url", "date_text", "image") == [(f"/s/{n}", f"{n} May 2024", f"/i/{n}.jpg") for n in THREE]
    # Left alone: alike links to pages of their own, one after the other, are an item each.
    rows = "".join(f"<dt><span>{n} May 2024</span></dt><dd><a href='/s/{n}'>Story number {n} about pensions</a></dd>"
                   for n in (1, 2, 3, 4))
    assert [item.url for item in items_of(page(f"<main><dl>{rows}</dl></main>"))] == [f"/s/{n}" for n in range(1, 5)]


def test_a_known_kind_after_the_date_is_the_label_even_where_every_item_has_the_same():
    def cards(after: str) -> str:
        return page("<main><div>" + "".join(
            f"<div><h3><a href='/s/{n}'>Story number {n} about pensions</a></h3><p>{n} May 2024 | {after}</p></div>"
            for n in (1, 2)) + "</div></main>")

    assert [item.label for item in items_of(cards("Press release"))] == ["Press release", "Press release"]
    # Left alone: the same words after every date that name no kind of item are the publisher's.
    assert [item.label for item in items_of(cards("Social Security Institute"))] == [None, None]


def test_a_picture_in_a_description_is_its_terms_items_not_the_next_ones():
    # "<dt>date</dt><dd>title</dd><dd>picture</dd>[<dd>summary</dd>]": a <dd> describes the term above it;
    # the last item's run ends with its summary, the third's (no summary) with its picture.
    five = (1, 2, 3, 4, 5)
    rows = "".join(f"<dt><span>{n} May 2024</span></dt><dd><strong><a href='/s/{n}'>Story number {n} about pensions"
                   f"</a></strong></dd><dd><a href='/s/{n}'><img src='/i/{n}.jpg' alt=''></a></dd>"
                   + (f"<dd>{SUMMARY}</dd>" if n != 3 else "") for n in five)
    assert [item.image for item in items_of(page(f"<main><dl>{rows}</dl></main>"))] == [f"/i/{n}.jpg" for n in five]
    # Left alone: a picture standing alone before each item's first line, not in a description, moves.
    above = "".join(f"<img src='/i/{n}.jpg' alt=''><h3><a href='/s/{n}'>Story number {n} about pensions</a></h3>"
                    f"<p>{n} May 2024</p><p>{SUMMARY}</p>" for n in THREE)
    assert [item.image for item in items_of(page(f"<main><div>{above}</div></main>"))][1:] == ["/i/2.jpg", "/i/3.jpg"]


def test_a_descriptions_links_after_another_description_still_go_on_with_the_terms_item():
    # "<dt>Title</dt><dd>teaser</dd><dd><a>topic</a></dd><dd><a><img></a></dd>": the picture's link follows
    # the topic's, not the title's; both describe the term above them.
    rows = "".join(f"<dt><h4><a href='/s/{n}'>Story number {n} about pensions</a></h4></dt><dd>{SUMMARY}</dd>"
                   f"<dd><time datetime='2024-05-0{n}'>{n} May 2024</time></dd>"
                   f"<dd><a href='/topics/{topic}'>{topic}</a></dd>"
                   f"<dd><a href='/s/{n}'><img src='/i/{n}.jpg' alt=''></a></dd>"
                   for n, topic in zip(THREE, ("Pensions", "Health", "Pensions"), strict=True))
    items = items_of(page(f"<main><dl>{rows}</dl></main>"))
    assert fields(items, "url", "image", "label") == [
        ("/s/1", "/i/1.jpg", "Pensions"), ("/s/2", "/i/2.jpg", "Health"), ("/s/3", "/i/3.jpg", "Pensions")]


def test_terms_with_no_link_head_their_items_in_a_list_of_two_too():
    # Two sections of "<dt>Title</dt><dd>date</dd><dd>Read more</dd>": a term heads its descriptions however
    # few the items (a heading needs three: "Events … All events" is a section and its link).
    def terms(numbers: tuple[int, ...]) -> str:
        return "<dl>" + "".join(f"<dt><h3>Story number {n} about pensions</h3></dt><dd><p>{n} May 2024</p></dd>"
                                f"<dd><a href='/s/{n}'>Read more</a></dd>" for n in numbers) + "</dl>"

    items = items_of(page(f"<main><section>{terms((1, 2, 3))}</section><section>{terms((4, 5))}</section></main>"))
    assert fields(items, "url", "title", "date_text") == [
        (f"/s/{n}", f"Story number {n} about pensions", f"{n} May 2024") for n in range(1, 6)]


def test_a_title_that_asks_a_question_under_a_kicker_is_the_title():
    # One <a> around the tile: "Webinar" over "Who pays for social protection in a crisis?": a title may ask.
    tiles = "".join(f'<a href="/q/{n}"><div><span>{n}.06.2022</span> <span>{kind}</span></div>'
                    f"<div>Who pays for social protection in crisis number {n}?</div></a>"
                    for n, kind in enumerate(("Webinar", "Podcast", "Webinar"), 1))
    assert fields(items_of(page(f"<main><div>{tiles}</div></main>")), "title", "label") == [
        (f"Who pays for social protection in crisis number {n}?", kind)
        for n, kind in enumerate(("Webinar", "Podcast", "Webinar"), 1)]
