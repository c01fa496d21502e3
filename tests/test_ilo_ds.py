"""A page a layout profile detects but reads only in part loses no item or field silently.

The pages are fixtures/ilo-ds/ (see its README.md): the department's eight items in
ILO Design System components other than the department page's card groups, on the
same site chrome, so the ``ilo-current`` profile detects every one of them.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from dataclasses import dataclass

import pytest
from click.testing import CliRunner

import spfeed.completeness as completeness
import spfeed.fallback
from spfeed.cli import item_json, main
from spfeed.completeness import completed
from spfeed.config import Source
from spfeed.models import RawItem
from spfeed.parse import FALLBACK, builtin_profiles, completed_name, page_root, parse_page
from spfeed.pipeline import run, scrape
from spfeed.selectors import compiled

from .conftest import CURRENT_PAGE, FIXTURES, LAYOUT_FIXTURES, LEGACY_PAGE
from .test_learn import T0, T1, config_for

DS = FIXTURES / "ilo-ds"
LANGUAGES = ("en", "fr", "es")
PARTIAL = completed_name("ilo-current")
# Each variant and what reads it: the profile alone where it reads the page whole.
VARIANTS = {
    "list-view": PARTIAL,  # a hero card over a DS list: the profile reads the hero only
    "table": PARTIAL,  # a featured card over a DS table: the featured card only
    "news-events": PARTIAL,  # feature cards, a DS list of events with date boxes, detail cards: no events
    "cards-tags": "ilo-current",  # detail cards whose type is a DS tag (the profile reads tags as labels)
    "cards-wide": "ilo-current",  # wide (horizontal) detail cards: read whole, as ever
}
PAGES = [f"{variant}.{language}.html" for variant in VARIANTS for language in LANGUAGES]


@pytest.mark.parametrize("name", PAGES)
def test_each_design_system_variant_is_read_whole(golden, name):
    result = scrape(Source(location=str(DS / name)))
    assert result.parsed.profile == VARIANTS[name.split(".")[0]]
    golden.check_json(DS / name.replace(".html", ".items.json"), [item_json(i) for i in result.items])


@pytest.mark.parametrize("name", PAGES)
def test_each_variant_holds_the_department_items_with_their_dates_and_labels(name):
    """The goldens hold what the department page holds: the same eight articles, each with
    its title, its day and its label (the order is the variant's, held by its golden)."""
    language = name.split(".")[1]
    department = json.loads((FIXTURES / f"ilo-current-department.{language}.items.json").read_text("utf-8"))
    variant = json.loads((DS / name.replace(".html", ".items.json")).read_text("utf-8"))
    by_url = {item["url"]: item for item in department}
    assert sorted(item["url"] for item in variant) == sorted(by_url)
    for item in variant:
        expected = by_url[item["url"]]
        assert item["title"] == expected["title"]
        assert item["published"][:10] == expected["published"][:10]
        assert item["category"] == expected["category"]


@dataclass
class Calls:
    count: int = 0


@pytest.fixture
def fallback_calls(monkeypatch):
    calls = Calls()
    real = spfeed.fallback.fallback_items

    def counted(*args, **kwargs):
        calls.count += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(spfeed.fallback, "fallback_items", counted)
    return calls


@pytest.mark.parametrize(
    ("name", "profile"),
    [(name, profile) for name, profiles, profile, _ in LAYOUT_FIXTURES if profile != FALLBACK and not profiles]
    + [(f"ilo-ds/cards-wide.{language}.html", "ilo-current") for language in LANGUAGES],
)
def test_a_page_the_profile_reads_whole_never_runs_the_fallback(fallback_calls, name, profile):
    parsed = parse_page((FIXTURES / name).read_text("utf-8", errors="replace"), "https://www.ilo.org/x")
    assert parsed.profile == profile
    assert fallback_calls.count == 0


def test_a_page_read_in_part_runs_the_fallback_once_and_says_so(fallback_calls, caplog):
    with caplog.at_level(logging.WARNING, logger="spfeed.parse"):
        parsed = parse_page((DS / "list-view.en.html").read_text("utf-8"), "https://www.ilo.org/x")
    assert fallback_calls.count == 1 and parsed.profile == PARTIAL and len(parsed.items) == 8
    message = caplog.messages[-1]
    assert "layout 'ilo-current' read the page only in part" in message
    assert "7 dated blocks" in message and "added 7 item(s)" in message


def test_the_department_page_does_not_import_the_fallback():
    done = subprocess.run(
        [sys.executable, "-c", _IMPORTED, str(CURRENT_PAGE), str(LEGACY_PAGE)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["ilo-current", "ilo-legacy", "False"]


_IMPORTED = """
import sys
from pathlib import Path
from spfeed.parse import parse_page
for page in sys.argv[1:]:
    print(parse_page(Path(page).read_text("utf-8"), "https://www.ilo.org/x").profile)
print("spfeed.fallback" in sys.modules)
"""


def _without_tag_labels() -> tuple[object, ...]:
    """The ilo-current profile as it was before it read DS tags as labels, as a user's profile."""
    from msgspec.structs import replace

    current = next(p for p in builtin_profiles() if p.name == "ilo-current")
    return (replace(current, name="cards-no-tags", label=(".ilo--card--eyebrow", ".ilo--hero-card--eyebrow")),)


def test_labels_a_profile_misses_on_every_item_are_filled_from_the_fallback(fallback_calls):
    page = (DS / "cards-tags.en.html").read_text("utf-8")
    parsed = parse_page(page, "https://www.ilo.org/x", profiles=_without_tag_labels())  # type: ignore[arg-type]
    assert parsed.profile == completed_name("cards-no-tags") and fallback_calls.count == 1
    assert [item.label for item in parsed.items] == [
        "Press release", "Statement", "Article", "ILO Live", None, "ILO Live", "Press release", "News",
    ]
    # The profile's own fields stay as it read them (the UNIX seconds of its <time>).
    assert parsed.items[1].datetime_attr == "1729116000"


def test_a_named_profile_is_read_as_it_says_without_the_fallback(fallback_calls):
    parsed = parse_page((DS / "list-view.en.html").read_text("utf-8"), "https://www.ilo.org/x", profile="ilo-current")
    assert parsed.profile == "ilo-current" and len(parsed.items) == 1 and fallback_calls.count == 0


def test_a_doubt_the_fallback_cannot_resolve_leaves_the_profiles_reading(fallback_calls):
    """The department page without its labels: the fallback finds none either."""
    parsed = parse_page((FIXTURES / "worse.department.en.html").read_text("utf-8"), "https://www.ilo.org/x")
    assert parsed.profile == "ilo-legacy" and fallback_calls.count == 1
    assert len(parsed.items) == 7 and not any(item.label for item in parsed.items)


@pytest.mark.parametrize(
    ("page", "reader"),
    [
        (DS / "list-view.en.html", "layout 'ilo-current' read the page only in part"),
        (CURRENT_PAGE, "read with layout 'ilo-current'"),
    ],
)
def test_scrape_says_which_reader_read_the_page(page, reader):
    result = CliRunner().invoke(main, ["scrape", str(page), "--json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == 8
    assert reader in result.stderr


# --- across refreshes: what the store and drift see -----------------------------------------


def test_a_list_view_after_the_department_page_keeps_every_item_on_the_page(tmp_path):
    run(config_for(tmp_path, CURRENT_PAGE), now=T0)

    source = run(config_for(tmp_path, DS / "list-view.en.html"), now=T1).sources[0]

    assert source.profile == PARTIAL and source.found == 8
    assert source.drift.drop_from is None and source.changes.gone == 0 and source.changes.new == 0


def test_drift_still_flags_a_reading_that_degrades_when_the_fallback_finds_no_more(tmp_path):
    """The list view without its list: the hero alone, read by the profile (nothing else is
    dated on the page, so the fallback is not asked): a sharp drop, and no item marked gone."""
    page = (DS / "list-view.en.html").read_text("utf-8")
    start, end = page.index('<div class="ilo--list '), page.index("</ul>\n</div>") + len("</ul>\n</div>")
    hero_only = tmp_path / "hero-only.html"
    hero_only.write_text(page[:start] + page[end:], "utf-8")
    run(config_for(tmp_path, CURRENT_PAGE), now=T0)

    source = run(config_for(tmp_path, hero_only), now=T1).sources[0]

    assert source.profile == "ilo-current" and source.found == 1
    assert source.drift.drop_from == 8 and source.changes.gone == 0


# --- completed(): how the two readings are joined ----------------------------------------------


def _raw(url: str, **fields: str) -> RawItem:
    return RawItem(title=url.upper(), url=url, **fields)


def _links(*hrefs: str) -> object:
    """A page whose links stand in this order."""
    return page_root("<ul>" + "".join(f'<li><a href="{href}">{href}</a></li>' for href in hrefs) + "</ul>")


def test_completion_keeps_the_profiles_fields_fills_the_empty_ones_and_keeps_page_order():
    base = "https://www.ilo.org/news/"
    page = _links("https://www.ilo.org/a", "b", "c", "d")
    ours = [_raw("https://www.ilo.org/a", date_text="1 May 2023"), _raw("c", label="News")]
    theirs = [
        _raw("http://ilo.org/a/", date_text="May 2023", label="Press release", image="a.jpg"),  # the same article
        _raw("b", date_text="2 May 2023"),
        _raw("c#top", label="Other", summary="About c."),
        _raw("d"),
    ]
    items, added, filled = completed(ours, theirs, page, base)
    assert [item.url for item in items] == ["https://www.ilo.org/a", "b", "c", "d"]
    assert items[0] == _raw("https://www.ilo.org/a", date_text="1 May 2023", label="Press release", image="a.jpg")
    assert items[2] == _raw("c", label="News", summary="About c.")
    assert (added, filled) == (2, 3)


def test_completion_keeps_a_profile_item_the_fallback_did_not_find_where_it_stands_on_the_page():
    page = _links("x", "a", "y", "b")
    items, added, filled = completed([_raw("x"), _raw("y")], [_raw("a"), _raw("b")], page, "https://www.ilo.org/")
    assert [item.url for item in items] == ["x", "a", "y", "b"] and (added, filled) == (2, 0)


def test_a_fallback_reading_that_adds_nothing_leaves_the_profiles():
    ours = [_raw("a", date_text="1 May 2023", label="News")]
    assert completed(ours, [_raw("a", date_text="May 2023")], _links("a"), "https://www.ilo.org/") is None


def test_a_promo_card_is_no_item():
    """card_promo.twig has the overlay link of the other cards, but it is a call to action."""
    promo = (
        '<div class="ilo--card ilo--card__type__promo ilo--card__size__narrow ilo--card__theme__dark">'
        '<a class="ilo--card--link" href="/newsletter" title="Subscribe"><span class="ilo--card--link--text">'
        'Subscribe</span></a><div class="ilo--card--wrap"><div class="ilo--card--content">'
        '<p class="ilo--card--title">Subscribe to the ILO Newsletter</p></div></div></div>'
    )
    main = '<main role="main">'
    page = (DS / "cards-wide.en.html").read_text("utf-8").replace(main, main + promo)
    parsed = parse_page(page, "https://www.ilo.org/x")
    assert parsed.profile == "ilo-current" and len(parsed.items) == 8
    assert "/newsletter" not in [item.url for item in parsed.items]


@pytest.mark.parametrize(
    "name",
    [name for name, profiles, profile, _ in LAYOUT_FIXTURES if profile != FALLBACK and not profiles]
    + [f"ilo-ds/{name}" for name in PAGES],
)
def test_the_two_ways_to_the_links_outside_the_items_give_the_same_links(monkeypatch, name):
    root = page_root((FIXTURES / name).read_text("utf-8", errors="replace"))
    profile = next(p for p in builtin_profiles() if compiled(p.detect).select_one(root) is not None)
    blocks = compiled(profile.item).select(root)
    listed = completeness._links_outside(root, blocks)
    monkeypatch.setattr(completeness, "_FEW_BLOCKS", -1)  # the walk around the blocks
    walked = completeness._links_outside(root, blocks)
    assert walked == listed and listed  # every page has links besides its items (navigation at least)
