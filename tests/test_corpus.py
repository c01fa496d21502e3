"""Evidence of generality (issue 13, part 4): listing shapes spfeed has never seen.

Each corpus page is read as ``spfeed scrape`` reads it (no profile matches, so
the generic fallback does the work) and scored field by field against items a
person wrote down from the page (tests/fieldscore.py). The built-in fixtures
are read again with the fallback forced, against the goldens their profiles
reproduce. The bars are the targets, not today's figures:

- every corpus shape: >= 95 % of its fields exact, no extra items, page order kept;
- the corpus as a whole: >= 98 % of its fields;
- every built-in fixture with ``--profile fallback``: >= 98 % of the fields its
  profile gets, no extra items, page order kept.

Every shape meets them (the fallback rewrite of issue 13); docs/generality.md
keeps the table of the fallback before it, which read 58.5 % of the corpus.
``benchmarks/corpus_score.py`` prints the whole table.

The held-out set (fixtures/corpus-holdout/) was built after that rewrite, by
someone who had not read the fallback, and is held to the same bars. The
shapes it does not meet are listed in HOLDOUT_MISSES with what goes wrong, as
measured (``benchmarks/corpus_score.py --holdout --details``); they are strict
xfails, so a fix shows up as XPASS and its name must go.

The second held-out set (fixtures/corpus-holdout-2/) was built while the
fallback was being improved against the first, so that one set stays unseen;
same bars, its misses in HOLDOUT_2_MISSES (``--holdout-2 --details``). The
fallback has since been fixed against it too (issue-13-fallback-3), so neither
set measures pages nobody has seen any more.

The third held-out set (fixtures/corpus-holdout-3/) was built while the
fallback was being improved against the first two and scored once on the final
code; same bars, its misses in HOLDOUT_3_MISSES (``--holdout-3 --details``).
The fallback has since been fixed against it too (round 5), so it no longer
measures pages nobody has seen either.

The fourth held-out set (fixtures/corpus-holdout-4/) was written blind while the
fallback was improved against the third; same bars, its misses in
HOLDOUT_4_MISSES (``--holdout-4 --details``). The fifth (fixtures/corpus-holdout-5/)
was written blind while the fallback was improved against the third and fourth;
its misses in HOLDOUT_5_MISSES (``--holdout-5 --details``). The fallback has since been
fixed against it (round 7, docs/generality.md): it meets the 98 % bar as a whole.
The sixth (fixtures/corpus-holdout-6/) was written blind during rounds 5-7 and
scored once, unseen, on their final code; its misses in HOLDOUT_6_MISSES
(``--holdout-6 --details``). The fallback has since been fixed against it (round 8):
it meets the 98 % bar as a whole. The seventh (fixtures/corpus-holdout-7/) was written
blind during round 8 and scored once, unseen; round 9 fixed its causes while looking
at it, its remaining misses in HOLDOUT_7_MISSES (``--holdout-7 --details``). The eleventh
(fixtures/corpus-holdout-11/) was written blind on the judged hard cases and scored once,
unseen; round 10 fixed its causes while looking at it, its remaining misses in
HOLDOUT_11_MISSES (``--holdout-11 --details``). The eighth and the tenth were held out to the
end of session 5 and scored once unseen; round 11 fixed their causes while looking at them (see
HOLDOUT_8_MISSES), so none of these sets is held out any more.

The ninth (fixtures/corpus-holdout-9/) was written blind in other languages (German,
Portuguese, Arabic, Chinese, Russian) and scored once unseen (48.0 %); spfeed was
then taught to read other languages by general mechanisms (CLDR dates, digits of any
script, word tables by language), not against its pages' markup; its misses in
HOLDOUT_9_MISSES (``--holdout-9 --details``).

The twelfth to fourteenth (fixtures/corpus-holdout-12/ to -14/) were written blind in
session 6 while the fallback was improved against sets 8 and 10, a synthetic generator and
new metamorphic transforms, and scored once unseen at the session's start and on its
final code: the judged hard cases in English, French and Spanish; ten other languages; and
a mixed set. They stay held out; their misses in HOLDOUT_12_MISSES to HOLDOUT_14_MISSES.
"""

from __future__ import annotations

import pytest

from .corpus import (
    HELD_OUT_SETS,
    builtin_fixtures,
    load_golden,
    load_shapes,
    page_strings,
    score_builtin_with_fallback,
    score_shape,
)
from .fieldscore import Score, total

MIN_SHAPES = 22
MIN_HOLDOUT_SHAPES = 10
SHAPE_TARGET = 0.95
CORPUS_TARGET = 0.98
FALLBACK_VS_PROFILE_TARGET = 0.98

SHAPES = load_shapes()
SETS = {"corpus": SHAPES} | {name: load_shapes(folder) for name, folder in HELD_OUT_SETS.items()}
"""Every set's shapes by name: the corpus, then the held-out sets in the order they were written."""
# The sets written in other languages than the ILO's three, and theirs.
SET_LANGUAGES = {
    "holdout-9": {"de", "pt", "ar", "zh", "ru"},
    "holdout-10": {"de", "pt", "zh", "ar", "it", "ja", "id", "tr", "uk", "hi"},
    "holdout-13": {"nl", "pl", "ko", "vi", "el", "he", "sw", "th", "de", "ja"},
    "holdout-14": {"en", "fr", "es", "cs", "ro", "tr", "id", "pt", "ru"},
}

# Measured after the fixes of issue-13-fallback-2; the page shape, then what spfeed reads.
HOLDOUT_MISSES = {
    "newsletter-email.en.html": (
        "HTML e-mail of nested layout tables and <font>: the top story, which has no heading, is not "
        "found (the e-mail's header and footer links take its rows as theirs); the four rows are read"
    ),
}


# Measured at the fallback of main a632949, again after issue-13-fallback-3 fixed the general causes
# this set showed (numeric dates, inline text joining, a year heading's year, other-language links,
# <hr> bounds, links inside sentences, reading times): the whole set then meets the 98 % bar
# (432/434, 99.5 %; 324/434, 74.7 %, before), and so is no longer held out. The page shape, then
# what spfeed reads.
HOLDOUT_2_MISSES = {
    "hero-repeated-in-grid.en.html": (
        "a featured hero whose story the grid lists again: the item is read only in the grid's "
        "place (order moved) and without the hero's summary"
    ),
}


# Measured at main aff7f0e (479/525), then once on the final fallback (the fixes made against the
# second held-out set merged: 479/525, 91.2 %); one regression then fixed (Drupal's hreflang on every
# link: 486/525). Round 5 (docs/generality.md) fixed the six shapes still below the bar with general
# rules, while looking at this set (525/525): it is no longer held out either.
HOLDOUT_3_MISSES: dict[str, str] = {}


# Written blind (its writer read no fallback code and ran no scorer) while the fallback was tuned
# against the third set; scored once, unseen, at main 9a5947e: 399/497 (80.3 %). Round 6 fixed the
# general causes it showed (dates only in empty <time datetime>, <main> named like chrome, share links
# taken for items, a PDF table beside the news table, dates in sentences, "27 et 28" / "27 y 28" ranges,
# "9 heures", "07/2022", a range cut by <br>, <amp-img>, a dated byline line as the label, a printed
# URL after its field name as the summary): 497/497, no longer held out.
HOLDOUT_4_MISSES: dict[str, str] = {}


# Written blind while the fallback was tuned against the third and fourth sets; scored at main
# (9a5947e plus the fourth set) before those fixes landed: 337/567 (59.4 %). Then fixed against
# (gen-fallback-7, round 7: so no longer held out): the whole set meets the 98 % bar. The page
# shape, then what spfeed reads.
HOLDOUT_5_MISSES = {
    "sharepoint-modern-news-webparts.en.html": (
        "SharePoint modern page, divs with hashed classes, two news web parts: in the 'More news' list "
        "the author before the date ('ILO Newsroom · 6/27/2023', no photo) is read as the label"
    ),
    "wordpress-block-query-loops.es.html": (
        "<time datetime> times the page does not show are kept (the golden leaves them out)"
    ),
}


# Written blind while the fallback was tuned against the third, fourth and fifth sets (rounds 5-7),
# and scored once, unseen, on the final fallback (main 4b4d1ef): 340/511 (66.5 %); at main 9a5947e,
# before those rounds, it read 327/511 (64.0 %). Then fixed against (gen-fallback-8, round 8: so no
# longer held out): the whole set meets the 98 % bar. The page shape, then what spfeed reads.
HOLDOUT_6_MISSES = {
    "blogger-date-header-timestamp.es.html": (
        "Blogger: the time from the footer's <abbr title='2022-07-28T09:40:00-05:00'> is the same instant "
        "as the golden's, shown in the page zone (Geneva) rather than in the blog's -05:00"
    ),
}

# Scored once unseen (215/448, 48.0 %), then read with the general mechanisms of gen-fallback-lang
# (docs/generality.md, "Ninth held-out set: other languages"): every shape meets the bars.
HOLDOUT_9_MISSES: dict[str, str] = {}


# Written blind while the fallback was tuned against the sixth set (round 8), scored once unseen at
# main 1ce7583: 321/588 (54.6 %), three pages lost whole, 8 extra items. Round 9 then fixed its causes
# as general rules while looking at it (docs/generality.md), so it is no longer held out. What is left:
HOLDOUT_7_MISSES = {
    "discourse-crawler-topic-list.en.html": (
        "the pinned 'Welcome' housekeeping topic is read as an item (the golden leaves it out: only its "
        "'pinned' class tells it apart)"
    ),
    "planet-venus-daygroups-broken.en.html": (
        "'All times are UTC' is said once, in the sidebar: times are read in the page's zone (each channel's "
        "heading above its entry is no longer read as its label since round 10)"
    ),
    "aem-core-teaser-list-broken.fr.html": (
        "the featured teaser, repeated in the list, keeps the list's fields over its own summary and image; "
        "labels as a badge in the picture's box or in a span closed by a stray </div> are not read; "
        "one item out of place"
    ),
}
HOLDOUT_7_OVERALL_MISS = (
    "575/588 fields exact (97.8 %) after rounds 9 and 10, the Substack golden's correction and the synthetic "
    "round (a known kind after the date is the label), 1 extra item (321/588, 54.6 %, unseen)"
)


# Written blind on the judged hard cases (sections, no class names, broken markup, other tag shapes,
# awkward dates and labels), scored once unseen at main bdde049: 318/539 (59.0 %), four pages lost
# whole, 5 extra items. Round 10 then fixed its causes as general rules while looking at it
# (docs/generality.md), so it is no longer held out. Every page meets its bar, and the set the 98 % one:
HOLDOUT_11_MISSES: dict[str, str] = {}  # every page now reads 95 % of its fields or more, the set 99.4 %

# Written blind in session 6 and scored once unseen, at the session's start (main 29d572e) and on
# its final code: the measured misses (benchmarks/corpus_score.py --holdout-N --details), not yet
# diagnosed page by page. Sets 12-14 stay held out; docs/generality.md tells their story.
HOLDOUT_12_MISSES = {
    "styled-components-date-above-heading-lire-la-suite.fr.html": (
        "83.9 % of fields; 3 extra item(s); fields exact: title 6/8, category 3/8, summary 6/8"
    ),
    "tabla-dos-filas-portada-rowspan-ver-publicacion.es.windows-1252.html": (
        "0.0 % of fields; 5 of 5 items not found"
    ),
    "dl-meses-dt-dias-dd.es.html": "83.7 % of fields; fields exact: published 0/7, summary 6/7",
    "elementor-loop-grid-leer-mas-eventos.es.html": (
        "45.2 % of fields; 3 of 6 items not found; fields exact: published 2/6, category 2/6"
    ),
}
HOLDOUT_12_OVERALL_MISS = "510/588 fields exact (86.7 %), scored once unseen on session 6's final code"
HOLDOUT_13_MISSES = {
    "rijksoverheid-nieuws-agenda-dash-dates.nl.html": (
        "89.3 % of fields; fields exact: published 6/8, end 7/8, category 5/8"
    ),
    "zwiazek-div-soup-unclosed-genitive.pl.html": "98.0 % of fields; 4 extra item(s); fields exact: category 6/7",
    "gov-kr-board-table-notice-rows.ko.html": (
        "91.8 % of fields; 2 extra item(s); fields exact: published 6/7, end 6/7, image 5/7"
    ),
    "synomospondia-tailwind-uppercase-genitive.el.html": "85.7 % of fields; fields exact: published 0/7",
    "wordpress-twentyten-habari-matukio-swahili-time.sw.html": (
        "87.3 % of fields; fields exact: published 7/9, category 3/9"
    ),
    "network-shift-jis-tables-two-sections.ja.html": (
        "85.7 % of fields; 1 extra item(s); fields exact: category 2/9, summary 7/9"
    ),
}
HOLDOUT_13_OVERALL_MISS = "493/532 fields exact (92.7 %), scored once unseen on session 6's final code"
HOLDOUT_14_MISSES = {
    "ilo-ds-events-list-view-datebox.en.html": "94.3 % of fields; fields exact: end 3/5",
    "dokuwiki-veille-headings-tags-fetch-image.fr.html": (
        "45.7 % of fields; 2 of 5 items not found; 1 extra item(s); fields exact: title 0/5, end 2/5, "
        "category 2/5"
    ),
    "weebly-blog-numeric-dates-sidebar-events.es.html": "0.0 % of fields; 7 of 7 items not found",
    "elementor-posts-cards-tribe-events-widget.es.html": "62.5 % of fields; 3 of 8 items not found",
    "canvas-announcements-hashed-posted-on-times.en.html": "85.7 % of fields; fields exact: category 0/5",
    "nette-vypis-akce-table-uredni-deska.cs.windows-1250.html": (
        "89.8 % of fields; fields exact: category 4/7, summary 5/7"
    ),
    "newspaper-tagdiv-big-grid-time-instants.ro.html": "0.0 % of fields; 6 of 6 items not found",
    "xenforo-thread-list-prefixes-sticky.tr.html": (
        "49.0 % of fields; 3 of 7 items not found; fields exact: published 0/7"
    ),
    "ojs-pengumuman-agenda-block-wib.id.html": "62.5 % of fields; 3 of 8 items not found",
    "ucoz-eblock-tables-anonsy-msk.ru.windows-1251.html": (
        "37.5 % of fields; 5 of 8 items not found; 2 extra item(s)"
    ),
}
HOLDOUT_14_OVERALL_MISS = "336/560 fields exact (60.0 %), scored once unseen on session 6's final code"


# The eighth set (fixtures/corpus-holdout-8/: sites that republish or list the department's
# news) and the tenth (fixtures/corpus-holdout-10/: ten languages, four of them the ninth's)
# were written blind early in session 5 and scored once, unseen, on its final code (main
# ca3fb39): 515/539 (95.5 %) and 403/490 (82.2 %), the Hindi page lost whole. Round 11 then fixed
# their causes as general rules while looking at them (docs/generality.md), so they are no longer
# held out: 538/539 and 488/490. Every page meets its bar; left are the Geneva agenda's end time
# ("09:00–10:30"), which the corpus's convention leaves out (a same-day time range is its start:
# ol-events-date-first's golden) and this golden gives, and the Indonesian site's stand-in picture
# on two cards (a picture two items share may be a real photo).
HOLDOUT_8_MISSES: dict[str, str] = {}
HOLDOUT_10_MISSES: dict[str, str] = {}

def _expected_miss(reason: str | None) -> list[pytest.MarkDecorator]:
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


def _explain(result: Score) -> str:
    lines = [f"{result.fields_exact}/{result.fields_total} fields exact ({100 * result.ratio:.1f} %)"]
    lines += [f"missing item: {url}" for url in result.missing]
    lines += [f"extra item: {url}" for url in result.extra]
    if not result.order_ok:
        lines.append(f"order: {result.out_of_order} item(s) out of place")
    lines += [
        f"{m.field} of {m.url}: expected {m.expected!r}, found {m.found!r}"
        for m in result.mismatches
        if m.url not in result.missing
    ][:20]
    return "\n".join(lines)


def _assert_reads(result: Score, target: float) -> None:
    assert result.ratio >= target and not result.extra and result.order_ok, _explain(result)


@pytest.mark.parametrize("name", SETS)
def test_each_set_has_its_shapes_each_with_a_golden_of_several_items(name):
    shapes = SETS[name]
    languages = SET_LANGUAGES.get(name, {"en", "fr", "es"})
    assert len(shapes) >= (MIN_SHAPES if name == "corpus" else MIN_HOLDOUT_SHAPES)
    assert len({s.file for s in shapes}) == len(shapes)
    for shape in shapes:
        assert shape.path.exists(), shape.file
        assert len(load_golden(shape.golden_path)) >= 3, shape.file
        assert f".{shape.language}." in shape.file, shape.file
    assert {s.language for s in shapes} == languages


def test_the_held_out_sets_repeat_no_page_of_the_corpus_or_of_each_other():
    files = {name: {s.file for s in shapes} for name, shapes in SETS.items()}
    assert sum(map(len, files.values())) == len(set().union(*files.values()))
    for name, (misses, _) in HELD_OUT.items():
        assert set(misses) <= files[name], name


@pytest.mark.parametrize(
    "shape",
    SHAPES,
    ids=[s.file for s in SHAPES],
)
def test_scrape_reads_every_field_of_a_shape_it_has_never_seen(shape):
    _assert_reads(score_shape(shape), SHAPE_TARGET)


def test_scrape_reads_the_whole_corpus():
    result = total(score_shape(s) for s in SHAPES)
    assert result.ratio >= CORPUS_TARGET, _explain(result)


# The held-out sets scored in the suite, by name: their misses (strict xfails), and
# the overall bar's miss if the set as a whole is under it.
HELD_OUT = {
    "holdout": (HOLDOUT_MISSES, None),
    "holdout-2": (HOLDOUT_2_MISSES, None),
    "holdout-3": (HOLDOUT_3_MISSES, None),
    "holdout-4": (HOLDOUT_4_MISSES, None),
    "holdout-5": (HOLDOUT_5_MISSES, None),
    "holdout-6": (HOLDOUT_6_MISSES, None),
    "holdout-7": (HOLDOUT_7_MISSES, HOLDOUT_7_OVERALL_MISS),
    "holdout-8": (HOLDOUT_8_MISSES, None),
    "holdout-9": (HOLDOUT_9_MISSES, None),
    "holdout-10": (HOLDOUT_10_MISSES, None),
    "holdout-11": (HOLDOUT_11_MISSES, None),
    "holdout-12": (HOLDOUT_12_MISSES, HOLDOUT_12_OVERALL_MISS),
    "holdout-13": (HOLDOUT_13_MISSES, HOLDOUT_13_OVERALL_MISS),
    "holdout-14": (HOLDOUT_14_MISSES, HOLDOUT_14_OVERALL_MISS),
}


def _held_out_shapes() -> list[object]:
    return [
        pytest.param(shape, id=f"{name}/{shape.file}", marks=_expected_miss(misses.get(shape.file)))
        for name, (misses, _) in HELD_OUT.items()
        for shape in SETS[name]
    ]


def _held_out_sets() -> list[object]:
    return [
        pytest.param(SETS[name], id=name, marks=_expected_miss(miss))
        for name, (_, miss) in HELD_OUT.items()
    ]


@pytest.mark.parametrize("shape", _held_out_shapes())
def test_scrape_reads_every_field_of_a_held_out_shape(shape):
    _assert_reads(score_shape(shape), SHAPE_TARGET)


@pytest.mark.parametrize("shapes", _held_out_sets())
def test_scrape_reads_each_whole_held_out_set(shapes):
    result = total(score_shape(s) for s in shapes)
    assert result.ratio >= CORPUS_TARGET, _explain(result)


@pytest.mark.parametrize(
    "page",
    builtin_fixtures(),
    ids=lambda p: p.name,
)
def test_forced_fallback_reads_a_built_in_fixture_as_well_as_its_profile(page):
    _assert_reads(score_builtin_with_fallback(page), FALLBACK_VS_PROFILE_TARGET)


ALL_SHAPES = [shape for shapes in SETS.values() for shape in shapes]


@pytest.mark.parametrize("shape", ALL_SHAPES, ids=[s.file for s in ALL_SHAPES])
def test_every_golden_text_and_link_stands_on_its_page(shape):
    """A golden is copied from its page by hand: catch the typos."""
    text, urls = page_strings(shape.path, shape.base_url)
    for row in load_golden(shape.golden_path):
        for name in ("title", "category", "summary"):
            if row[name] is not None:
                assert " ".join(row[name].split()) in text, f"{name} not on the page: {row[name]!r}"
        for name in ("url", "image"):
            if row[name] is not None:
                assert row[name] in urls, f"{name} not linked from the page: {row[name]!r}"
