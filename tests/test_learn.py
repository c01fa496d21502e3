"""Profiles learned from history: a re-skinned page keeps its feed."""

from __future__ import annotations

import json
import re
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import responses
from click.testing import CliRunner
from msgspec.structs import replace

from spfeed.categories import default_taxonomy
from spfeed.cli import item_json, main
from spfeed.config import Config, Source, load
from spfeed.learn import learn_profile, profile_toml
from spfeed.models import Item, When
from spfeed.normalize import canonical_url
from spfeed.parse import Profile, load_profiles, profiles_from_tables
from spfeed.pipeline import read_page, run, scrape
from spfeed.selectors import _parse_simple
from spfeed.store import Store

from .conftest import (
    BLOG_PAGE,
    FIXTURES,
    LAYOUT_FIXTURES,
    LEGACY_PAGE,
    TABLE_PAGE,
    TABLE_PROFILES,
)
from .corpus import HELD_OUT_SETS, load_golden, load_shapes

RESKIN_PAGE = FIXTURES / "reskin.department.en.html"
WORSE_PAGE = FIXTURES / "worse.department.en.html"
# What a person reads on the re-skinned page: the department page's news, the same items.
# (No golden file of its own: tests/test_corpus.py would score the generic fallback on it.)
GOLDEN = json.loads((FIXTURES / "ilo-legacy-department.en.items.json").read_text("utf-8"))
T0 = datetime(2024, 5, 1, 6, 0, tzinfo=UTC)
T1 = T0 + timedelta(hours=1)
FEED_FILES = ("atom.xml", "rss.xml", "feed.json")


def config_for(tmp_path: Path, page: Path) -> Config:
    return Config(
        sources=(Source(location=str(page), name="en"),),
        out_dir=tmp_path / "feeds",
        public_url="https://feeds.example.org/",
        store=tmp_path / "spfeed.sqlite",
        lock_timeout=5,
        delay=0,
    )


def stored_entries(store: Path) -> dict[str, tuple]:
    with Store.open(store) as db:
        return {
            e.item.id: (e.item.title, e.item.category, e.item.category_slug, e.item.summary, e.item.image,
                        e.item.published, e.updated)
            for e in db.recent_entries(100)
        }


def feed_bytes(tmp_path: Path) -> dict[str, bytes]:
    return {name: (tmp_path / "feeds" / name).read_bytes() for name in FEED_FILES}


# --- the re-skinned department page ------------------------------------------------------


def test_the_reskinned_page_matches_no_built_in_profile_and_holds_the_same_news():
    result = scrape(Source(location=str(RESKIN_PAGE)))
    assert result.parsed.profile == "fallback"
    # The same links and titles, in the same order, as the department page's golden items.
    assert [(item.url, item.title) for item in result.items] == [(row["url"], row["title"]) for row in GOLDEN]


def test_the_worse_page_is_the_department_page_without_its_labels():
    result = scrape(Source(location=str(WORSE_PAGE)))
    assert result.parsed.profile == "ilo-legacy"
    # No label left but the type before one item's date ("Press release | 01 March 2023"), which
    # normalize makes the label of an item with none.
    assert [item_json(item) for item in result.items] == [
        {**row, "category": "Press release" if row["category"] == "Joint ILO-UNICEF report" else None}
        for row in GOLDEN
    ]


def test_a_store_filled_from_one_layout_keeps_every_entry_after_a_reskin(tmp_path):
    first = run(config_for(tmp_path, LEGACY_PAGE), now=T0)
    assert first.sources[0].profile == "ilo-legacy" and first.changes.new == 7
    entries, feeds = stored_entries(tmp_path / "spfeed.sqlite"), feed_bytes(tmp_path)

    second = run(config_for(tmp_path, RESKIN_PAGE), now=T1)

    source = second.sources[0]
    assert source.profile == "learned-en" and source.outcome == "unchanged"
    assert (source.changes.new, source.changes.updated, source.changes.unchanged, source.changes.gone) == (0, 0, 7, 0)
    assert source.drift.learned == "learned-en" and source.drift.replaced == "ilo-legacy"
    assert stored_entries(tmp_path / "spfeed.sqlite") == entries  # ids, categories, summaries, dates, updated
    assert feed_bytes(tmp_path) == feeds


def test_the_learned_profile_is_kept_in_the_store_and_reused(tmp_path):
    run(config_for(tmp_path, LEGACY_PAGE), now=T0)
    run(config_for(tmp_path, RESKIN_PAGE), now=T1)
    with Store.open(tmp_path / "spfeed.sqlite") as db:
        layout = db.layouts()["en"]
    assert layout.profile == "learned-en" and layout.previous == "ilo-legacy" and layout.changed_at == T1
    learned = profiles_from_tables(tomllib.loads(layout.learned or "")["profile"], "test")[0]
    assert learned.name == "learned-en"

    # A new story on the re-skinned page: read by the stored profile, not learned again.
    page = tmp_path / "reskin-next.html"
    card = re.search(r'\s*<article class="story-card">.*?</article>', RESKIN_PAGE.read_text("utf-8"), re.DOTALL)
    first_card = card[0]
    new_card = first_card.replace("WCMS_893590", "WCMS_900001").replace("SDG Action Weekend", "A new story")
    page.write_text(RESKIN_PAGE.read_text("utf-8").replace(first_card, new_card + first_card, 1), "utf-8")
    third = run(config_for(tmp_path, page), now=T1 + timedelta(hours=1))

    source = third.sources[0]
    assert source.profile == "learned-en" and source.drift.learned is None
    assert (source.changes.new, source.changes.updated, source.changes.gone) == (1, 0, 0)
    with Store.open(tmp_path / "spfeed.sqlite") as db:
        new = db.get("https://www.ilo.org/global/meetings-and-events/campaigns/ilo-live/WCMS_900001/lang--en/index.htm")
    assert new is not None and new.entry.item.category == "ILO Live" and new.entry.item.summary


def test_a_learned_profile_that_stops_reading_the_page_is_learned_again(tmp_path):
    run(config_for(tmp_path, LEGACY_PAGE), now=T0)
    run(config_for(tmp_path, RESKIN_PAGE), now=T1)
    entries = stored_entries(tmp_path / "spfeed.sqlite")
    again = tmp_path / "reskin-again.html"
    again.write_text(RESKIN_PAGE.read_text("utf-8").replace("story-card", "tile"), "utf-8")  # another re-skin

    third = run(config_for(tmp_path, again), now=T1 + timedelta(hours=1))

    source = third.sources[0]
    assert source.drift.learned == "learned-en" and source.drift.replaced == "learned-en"
    assert source.changes.unchanged == 7 and source.changes.updated == 0
    assert stored_entries(tmp_path / "spfeed.sqlite") == entries
    with Store.open(tmp_path / "spfeed.sqlite") as db:
        assert "article.tile" in (db.layouts()["en"].learned or "")


def test_without_known_items_on_the_page_nothing_is_learned(tmp_path):
    # A store that knows other items: the re-skinned page is read by the generic fallback.
    run(config_for(tmp_path, BLOG_PAGE), now=T0)
    report = run(config_for(tmp_path, RESKIN_PAGE), now=T1)
    assert report.sources[0].profile == "fallback" and report.sources[0].drift.learned is None


def test_a_profile_named_in_the_config_is_never_replaced_by_a_learned_one(tmp_path):
    run(config_for(tmp_path, LEGACY_PAGE), now=T0)
    config = config_for(tmp_path, RESKIN_PAGE)
    config = replace(config, sources=(replace(config.sources[0], profile="fallback"),))
    report = run(config, now=T1)
    assert report.sources[0].profile == "fallback" and report.sources[0].drift.learned is None


# --- the derivation ----------------------------------------------------------------------


def learned_from(known_page: Path, page: Path, **options: object) -> Profile:
    known = scrape(Source(location=str(known_page))).items
    learned = learn_profile(page.read_text("utf-8"), str(page), known, name="learned", **options)  # type: ignore[arg-type]
    assert learned is not None
    return learned.profile


def test_the_reskin_profile_reads_every_field_with_selectors_the_fast_path_matches():
    profile = learned_from(LEGACY_PAGE, RESKIN_PAGE)
    selectors = [profile.detect, profile.item, *profile.title, *profile.link, *profile.date, *profile.label,
                 *profile.summary, *profile.image, *profile.next_page]
    assert profile.date and profile.label and profile.summary and profile.image and profile.next_page
    assert all(_parse_simple(s) is not None for s in selectors), selectors
    assert not any("#" in s for s in selectors)  # no ids: one-off names are not a layout


def test_a_learned_profile_reads_the_reskinned_page_as_the_golden_items():
    profile = learned_from(LEGACY_PAGE, RESKIN_PAGE)
    result = read_page(Source(location=str(RESKIN_PAGE), profile="learned"), _page(RESKIN_PAGE), profiles=(profile,))
    assert [item_json(item) for item in result.items] == GOLDEN


def test_the_profile_round_trips_through_toml(tmp_path):
    profile = learned_from(LEGACY_PAGE, RESKIN_PAGE)
    text = profile_toml(profile, ["a comment", "with \"quotes\""])
    path = tmp_path / "p.toml"
    path.write_text(text, "utf-8")
    assert load_profiles(path) == (profile,)


# Every built-in layout (and the user-profile table and the blog the fallback reads),
# learned from its own reading: the learned profile must read the same items, field by field.
SELF_LEARNABLE = [name for name, *_ in LAYOUT_FIXTURES]


@pytest.mark.parametrize("name", SELF_LEARNABLE)
def test_a_profile_learned_from_a_page_reads_that_page_the_same(name):
    path = FIXTURES / name
    profiles = load_profiles(TABLE_PROFILES) if path == TABLE_PAGE else ()
    source = Source(location=str(path))
    expected = scrape(source, profiles=profiles).items
    learned = learn_profile(_page(path).text, str(path), expected, name="learned")
    assert learned is not None
    again = read_page(replace(source, profile="learned"), _page(path), profiles=(learned.profile,))
    known = {item.id for item in expected}
    # Items under month headings (archives) are dated by their group, which no field selector reads.
    got = {item.id: item for item in again.items}
    for item in expected:
        if item.published is None or item.published.precision != "month":
            assert got[item.id] == item
    assert set(got) == known


def test_fields_the_page_no_longer_shows_are_named_and_left_out():
    stored = scrape(Source(str(LEGACY_PAGE))).items
    known = [replace(item, summary=f"Another teaser {n}") for n, item in enumerate(stored)]
    learned = learn_profile(RESKIN_PAGE.read_text("utf-8"), str(RESKIN_PAGE), known, name="learned")
    assert learned is not None
    assert learned.missing == ("summary",) and not learned.profile.summary


def test_one_known_item_is_no_pattern():
    known = scrape(Source(str(LEGACY_PAGE))).items[:1]
    assert learn_profile(RESKIN_PAGE.read_text("utf-8"), str(RESKIN_PAGE), known, name="learned") is None


def test_items_whose_titles_the_page_does_not_show_are_not_learned_from():
    known = [replace(item, title=item.title + " (updated)") for item in scrape(Source(str(LEGACY_PAGE))).items]
    assert learn_profile(RESKIN_PAGE.read_text("utf-8"), str(RESKIN_PAGE), known, name="learned") is None


def _page(path: Path):
    from spfeed.fetch import read_file

    return read_file(str(path))


# --- status and profile suggest ----------------------------------------------------------


def cli_refresh(tmp_path: Path, page: Path) -> str:
    result = CliRunner().invoke(
        main,
        ["refresh", "--source", str(page), "--out", str(tmp_path / "feeds"), "--store", str(tmp_path / "s.sqlite")],
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_status_says_the_layout_changed_when_and_which_learned_profile_reads_it(tmp_path):
    cli_refresh(tmp_path, LEGACY_PAGE)
    line = cli_refresh(tmp_path, RESKIN_PAGE)
    assert "the layout changed (was 'ilo-legacy'): read with the profile 'learned-main'" in line

    result = CliRunner().invoke(main, ["status", "--store", str(tmp_path / "s.sqlite")])
    assert result.exit_code == 0
    assert "layout         learned-main (learned from the stored items)" in result.output
    assert re.search(r"layout changed \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00 \(was ilo-legacy\)", result.output)
    as_json = json.loads(CliRunner().invoke(main, ["status", "--json", "--store", str(tmp_path / "s.sqlite")]).output)
    layout = as_json["sources"][0]["layout"]
    assert layout["profile"] == "learned-main" and layout["learned"] and layout["previous"] == "ilo-legacy"


def test_profile_suggest_prints_a_profile_that_spfeed_toml_takes_and_that_reads_the_page_exactly(tmp_path):
    cli_refresh(tmp_path, LEGACY_PAGE)
    result = CliRunner().invoke(main, ["profile", "suggest", str(RESKIN_PAGE), "--store", str(tmp_path / "s.sqlite")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# Derived by spfeed from 7 items that")

    config_file = tmp_path / "spfeed.toml"
    config_file.write_text(f'[[source]]\nurl = "{RESKIN_PAGE}"\nprofile = "learned-main"\n\n' + result.output, "utf-8")
    config = load(config_file, env={})
    profiles = profiles_from_tables(config.profiles, str(config_file))
    read = read_page(config.sources[0], _page(RESKIN_PAGE), profiles=profiles)
    assert read.parsed.profile == "learned-main"
    assert [item_json(item) for item in read.items] == GOLDEN


def test_profile_suggest_without_a_store_reads_what_the_page_alone_shows(tmp_path):
    result = CliRunner().invoke(main, ["profile", "suggest", str(TABLE_PAGE), "--store", str(tmp_path / "none.sqlite")])
    assert result.exit_code == 0, result.output
    assert "found on the page by 'fallback'" in result.output
    (tmp_path / "p.toml").write_text(result.output, "utf-8")
    profiles = load_profiles(tmp_path / "p.toml")
    expected = scrape(Source(location=str(TABLE_PAGE), profile="fallback")).items
    source = Source(location=str(TABLE_PAGE), profile="learned-main")
    assert read_page(source, _page(TABLE_PAGE), profiles=profiles).items == expected


def test_profile_suggest_on_a_page_with_nothing_to_learn_is_one_line_and_exit_1(tmp_path):
    page = tmp_path / "empty.html"
    page.write_text("<html><body><p>Under maintenance</p></body></html>", "utf-8")
    result = CliRunner().invoke(main, ["profile", "suggest", str(page), "--store", str(tmp_path / "none.sqlite")])
    assert result.exit_code == 1 and result.output.count("spfeed: error:") == 1


def test_the_worse_page_without_labels_keeps_every_category_and_the_feeds(tmp_path):
    run(config_for(tmp_path, LEGACY_PAGE), now=T0)
    entries, feeds = stored_entries(tmp_path / "spfeed.sqlite"), feed_bytes(tmp_path)

    report = run(config_for(tmp_path, WORSE_PAGE), now=T1)

    source = report.sources[0]
    assert source.profile == "ilo-legacy" and source.drift.held == ("category",)
    assert source.changes.updated == 0 and source.changes.unchanged == 7
    assert stored_entries(tmp_path / "spfeed.sqlite") == entries
    assert feed_bytes(tmp_path) == feeds


# --- other shapes: the same news in markup unlike any fixture -------------------------------


def legacy_raw_items():
    from spfeed.parse import parse_page

    return parse_page(LEGACY_PAGE.read_text("utf-8"), str(LEGACY_PAGE)).items


def esc(text: str | None) -> str:
    import html

    return html.escape(text or "")


def no_classes(raw) -> str:
    label = f"<small>{esc(raw.label)}</small>" if raw.label else ""
    image = f'<img src="{esc(raw.image)}" alt="">' if raw.image else ""
    title = f'<h4><a href="{esc(raw.url)}">{esc(raw.title)}</a></h4>'
    return f"<li><span>{esc(raw.date_text)}</span>{title}<p>{esc(raw.summary)}</p>{label}{image}</li>"


def table_row(raw) -> str:
    label = f"<br><em>{esc(raw.label)}</em>" if raw.label else ""
    image = f'<img src="{esc(raw.image)}" alt="">' if raw.image else ""
    title = f'<td><a href="{esc(raw.url)}">{esc(raw.title)}</a>{label}</td>'
    return f"<tr>{title}<td>{esc(raw.date_text)}</td><td>{esc(raw.summary)}</td><td>{image}</td></tr>"


def label_in_heading(raw) -> str:
    label = f'<span class="tag">{esc(raw.label)}</span> ' if raw.label else ""
    image = f'<div class="pic"><img src="{esc(raw.image)}" alt=""></div>' if raw.image else ""
    title = f'<h3>{label}<a href="{esc(raw.url)}">{esc(raw.title)}</a></h3>'
    text = f'<div class="body-text">{esc(raw.summary)}</div><div class="stamp">{esc(raw.date_text)}</div>'
    return f'<div class="row">{image}<div class="body">{title}{text}</div></div>'


CHROME = """<header><nav><ul><li><a href="/global/about-the-ilo/lang--en/index.htm">About the ILO</a></li>
<li><a href="/global/topics/lang--en/index.htm">Topics</a></li></ul></nav></header>"""
SHAPES = {
    "no classes at all": lambda rows: f"<main><section><h2>News</h2><ul>{rows}</ul></section>"
    f'<aside><ul><li><a href="https://www.usp2030.org/">USP2030</a></li></ul></aside></main>',
    "a table": lambda rows: f"<table><tr><th>Story</th><th>Date</th><th>About</th><th></th></tr>{rows}</table>",
    "label inside the heading, date last": lambda rows: f'<div class="stream">{rows}</div>',
}
ROWS = {"no classes at all": no_classes, "a table": table_row, "label inside the heading, date last": label_in_heading}


@pytest.mark.parametrize("shape", SHAPES)
def test_the_news_in_other_shapes_is_read_back_exactly(tmp_path, shape):
    rows = "".join(ROWS[shape](raw) for raw in legacy_raw_items())
    page = tmp_path / "page.html"
    page.write_text(
        '<html><head><link rel="canonical" href="https://www.ilo.org/secsoc/lang--en/index.htm"></head>'
        f"<body>{CHROME}{SHAPES[shape](rows)}</body></html>",
        "utf-8",
    )
    profile = learned_from(LEGACY_PAGE, page)
    result = read_page(Source(location=str(page), profile="learned"), _page(page), profiles=(profile,))
    assert [item_json(item) for item in result.items] == GOLDEN, profile_toml(profile)


def test_a_page_only_the_fallback_read_gets_a_learned_profile_once_the_store_knows_its_items(tmp_path):
    first = run(config_for(tmp_path, BLOG_PAGE), now=T0)
    assert first.sources[0].profile == "fallback"
    changed = tmp_path / "blog.html"
    changed.write_text(BLOG_PAGE.read_text("utf-8") + "\n", "utf-8")  # new bytes, same items

    second = run(config_for(tmp_path, changed), now=T1)

    source = second.sources[0]
    assert source.profile == "learned-en" and source.changes.unchanged == 3 and source.changes.updated == 0
    assert "the generic fallback read it before" in source.drift.notes()[0]


@responses.activate
def test_the_same_url_re_skinned_between_two_refreshes_keeps_its_feed(tmp_path):
    url = "https://www.ilo.org/secsoc/lang--en/index.htm"
    responses.get("https://www.ilo.org/robots.txt", status=404)
    responses.get(url, body=LEGACY_PAGE.read_bytes(), content_type="text/html; charset=utf-8", headers={"ETag": '"a"'})
    config = replace(config_for(tmp_path, LEGACY_PAGE), sources=(Source(location=url, name="en"),))
    assert run(config, now=T0).changes.new == 7
    entries, feeds = stored_entries(tmp_path / "spfeed.sqlite"), feed_bytes(tmp_path)

    html = "text/html; charset=utf-8"
    responses.replace(responses.GET, url, body=RESKIN_PAGE.read_bytes(), content_type=html, headers={"ETag": '"b"'})
    report = run(config, now=T1)

    assert report.sources[0].profile == "learned-en" and report.sources[0].outcome == "unchanged"
    assert stored_entries(tmp_path / "spfeed.sqlite") == entries and feed_bytes(tmp_path) == feeds


# --- the generality corpus: each shape, learned from its golden items --------------------

# Shapes whose items no [[profile]] reads exactly, and why. A profile learned there may leave
# fields out (the store keeps them, see drift.py), or none may be found, but it never reads a
# wrong value or an item that is not one.
CORPUS_LIMITS = {
    "table-rows-date-first.en.html": "the summary is bare text after a <br> in the title's cell",
    "dl-dt-dd.es.html": "no element wraps an item: a <dt> and its <dd>s are siblings",
    "unclosed-tags.fr.windows-1252.html": "no item's <div> is closed: each block holds the next items",
    "wordpress-posts.es.html": "the summary's <p> also holds the 'Seguir leyendo' link",
    "whole-card-link.en.html": "the item is the link itself; a field selector finds descendants only",
    "flat-h3-siblings.en.html": "no element wraps an item: a flat run of siblings",
    "label-inside-title.en.html": "the label is inside the title link; a title is an element's whole text",
    "type-date-line.en.html": "label and date share one line; a label is an element's whole text",
    "sidebar-related.es.html": "type and date share one line ('Artículo — 28 de julio de 2022')",
    "day-headings.fr.html": "dates come from day headings above the items; a profile's group dates to the month",
    "br-paragraphs.fr.html": "items are runs of text between the <br>s of one paragraph",
    "media-objects-paged.en.html": "the summary's <p> also holds the 'Read more »' link",
    "nested-layout-tables.es.html": "the navigation is a table like the items': no selector takes only the items",
    "carousel-clones.fr.html": "the carousel's clones of its slides come first in the markup; profiles read page order",
}
ZURICH = ZoneInfo("Europe/Zurich")


def stored_form(row: dict) -> Item:
    """A golden item as the store would hold it."""

    def moment(text: str) -> tuple[datetime, str]:
        if len(text) == 7:  # a month
            return datetime(int(text[:4]), int(text[5:]), 1, tzinfo=ZURICH), "month"
        if len(text) == 10:  # a day, midnight where the ILO is
            return datetime.fromisoformat(text).replace(tzinfo=ZURICH), "day"
        return datetime.fromisoformat(text), "minute"

    published = None
    if row["published"]:
        start, precision = moment(row["published"])
        end = moment(row["end"])[0] if row["end"] else None
        published = When(start=start, end=end, precision=precision)  # type: ignore[arg-type]
    return Item(
        id=canonical_url(row["url"]),
        title=row["title"],
        url=row["url"],
        published=published,
        category=row["category"],
        category_slug=default_taxonomy().classify(row["category"], None),
        summary=row["summary"],
        image=row["image"],
    )


@pytest.mark.parametrize("shape", load_shapes(), ids=lambda shape: shape.file)
def test_a_profile_learned_from_a_corpus_shape_reads_it_exactly_or_never_wrongly(shape):
    golden = load_golden(shape.golden_path)
    page = _page(shape.path)
    languages = (shape.language, *(lang for lang in ("en", "fr", "es") if lang != shape.language))
    learned = learn_profile(
        page.text, str(shape.path), [stored_form(row) for row in golden], name="learned",
        base_url=shape.base_url, languages=languages,
    )
    if learned is None:
        assert shape.file in CORPUS_LIMITS, "no profile learned"
        return
    source = Source(location=str(shape.path), base_url=shape.base_url, profile="learned", language=shape.language)
    got = [item_json(item) for item in read_page(source, page, profiles=(learned.profile,)).items]
    if shape.file not in CORPUS_LIMITS:
        assert got == golden, profile_toml(learned.profile)
        return
    assert sorted(row["url"] for row in got) == sorted(row["url"] for row in golden)  # every item, no stray one
    by_url = {row["url"]: row for row in got}
    wrong = [(gold["url"], key) for gold in golden for key in gold if by_url[gold["url"]][key] not in (None, gold[key])]
    assert wrong == []


def test_the_corpus_limits_name_shapes_of_the_corpus():
    assert set(CORPUS_LIMITS) <= {shape.file for shape in load_shapes()}


def test_a_reskin_that_also_drops_the_labels_keeps_them_from_the_store(tmp_path):
    run(config_for(tmp_path, LEGACY_PAGE), now=T0)
    entries, feeds = stored_entries(tmp_path / "spfeed.sqlite"), feed_bytes(tmp_path)
    page = tmp_path / "reskin-no-labels.html"
    page.write_text(re.sub(r'<em class="story-card__topic">[^<]*</em>', "", RESKIN_PAGE.read_text("utf-8")), "utf-8")

    report = run(config_for(tmp_path, page), now=T1)

    source = report.sources[0]
    assert source.profile == "learned-en" and source.drift.held == ("category",)
    assert stored_entries(tmp_path / "spfeed.sqlite") == entries and feed_bytes(tmp_path) == feeds
    with Store.open(tmp_path / "spfeed.sqlite") as db:
        learned = db.layouts()["en"].learned or ""
    assert "label" not in learned.split("[[profile]]")[1] and "no longer shows: label" in learned


@pytest.mark.parametrize("shape", load_shapes(HELD_OUT_SETS["holdout"]), ids=lambda shape: shape.file)
def test_a_profile_learned_from_a_held_out_shape_never_reads_a_wrong_value(shape):
    golden = {canonical_url(row["url"]): row for row in load_golden(shape.golden_path)}
    page = _page(shape.path)
    languages = (shape.language, *(lang for lang in ("en", "fr", "es") if lang != shape.language))
    learned = learn_profile(
        page.text, str(shape.path), [stored_form(row) for row in golden.values()], name="learned",
        base_url=shape.base_url, languages=languages,
    )
    if learned is None:
        return  # nothing learned: the refresh keeps what the fallback reads
    source = Source(location=str(shape.path), base_url=shape.base_url, profile="learned", language=shape.language)
    got = {item.id: item_json(item) for item in read_page(source, page, profiles=(learned.profile,)).items}
    assert set(got) == set(golden)  # every item, no stray one (ids: a link may carry tracking parameters)
    wrong = [(item_id, key) for item_id, row in got.items() for key in row
             if key != "url" and row[key] not in (None, golden[item_id][key])]
    assert wrong == []


def test_a_profile_learned_on_a_page_in_another_language_reads_its_dates_in_the_pages_language(tmp_path):
    # A page whose <html lang> is German, learned with the default languages: its dates are read in
    # German, as parse_page reads them when the profile is used.
    rows = "".join(
        f'<li class="meldung"><h3><a href="https://example.org/de/{n}">Meldung Nummer {n} zur sozialen '
        f'Sicherung</a></h3><span class="datum">{n}. März 2024</span></li>'
        for n in (4, 3, 2, 1)
    )
    page = tmp_path / "meldungen.html"
    page.write_text(f'<!DOCTYPE html><html lang="de"><head><title>Meldungen</title></head><body><main>'
                    f'<ul class="meldungen">{rows}</ul></main></body></html>', "utf-8")
    known = scrape(Source(location=str(page), language="de")).items
    assert [item.published.start.day for item in known if item.published] == [4, 3, 2, 1]
    learned = learn_profile(page.read_text("utf-8"), str(page), known, name="learned")
    assert learned is not None and "date" in learned.fields
