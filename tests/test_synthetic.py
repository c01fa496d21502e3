"""The synthetic listing generator (tests/synthetic.py) and its ratchet.

First the generator: it is deterministic, it renders what it claims (every
golden field is shown on the page, the dates as Babel writes the golden's
dates, and a property says so for any seed), every axis value is drawn, and
the damage it claims is in the markup. Then the ratchet: each generated
page's score (fields exact, items missing, extra items) as measured is in
tests/synthetic_scores.json; a page that reads worse is a regression, a page
that reads better must be recorded (the second test says so). Regenerate it
with ``benchmarks/synthetic.py --json tests/synthetic_scores.json`` and
review its diff. The suite reads every fifth page; ``SYNTHETIC_ALL=1`` reads
all of them, as the benchmark does.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections import defaultdict
from datetime import date, datetime
from functools import cache
from pathlib import Path
from urllib.parse import urljoin

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from .fieldscore import score
from .metamorphic import parse, visible
from .synthetic import AXES, ZONE, Generated, collect_pool, generate, item_pool, read, render_date, site_of

SCORES = Path(__file__).with_name("synthetic_scores.json")
RECORDED: dict[str, list[int]] = json.loads(SCORES.read_text("utf-8"))
SEEDS = sorted(map(int, RECORDED))
RATCHETED = SEEDS if os.environ.get("SYNTHETIC_ALL") else SEEDS[::5]


def _truth_is_shown(g: Generated) -> None:
    """Every golden field is on the page as a reader sees it; the dates are the golden's, as Babel writes them."""
    seen = visible(g.page)
    links = {urljoin(g.base_url, href) for href in seen.links}
    images = {urljoin(g.base_url, image[0]) for image in seen.images}
    for item, shown in zip(g.golden, g.shown, strict=True):
        assert item["url"] in links
        for name in ("title", "category", "summary"):
            assert item[name] is None or item[name] in seen.text, (name, item[name])
        assert item["image"] is None or item["image"] in images
        if item["published"] is None:
            assert "date" not in shown
            continue
        assert shown["date"] in seen.text
        assert _rendered_again(item, g.site.date_form, g.language) == shown["date"]
    for decoy in g.decoys:
        assert urljoin(g.base_url, decoy) in links and urljoin(g.base_url, decoy) not in {i["url"] for i in g.golden}


def _rendered_again(item: dict[str, str], form: str, language: str) -> str:
    published = item["published"]
    if form == "month":
        return render_date(datetime.strptime(published, "%Y-%m").replace(tzinfo=ZONE), form, language)
    start = datetime.fromisoformat(published)
    start = start if start.tzinfo else start.replace(tzinfo=ZONE)
    end = datetime.combine(date.fromisoformat(item["end"]), start.timetz()) if item["end"] else None
    return render_date(start, form, language, end)


# -- the generator -----------------------------------------------------------------------------------------------


def test_a_seed_always_gives_the_same_page_and_seeds_differ() -> None:
    assert generate(7).page == generate(7).page and generate(7).golden == generate(7).golden
    assert len({generate(seed).page for seed in range(20)}) == 20


@pytest.mark.parametrize("seed", range(0, 400, 4))
def test_every_golden_field_is_shown_on_the_page(seed: int) -> None:
    _truth_is_shown(generate(seed))


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(min_value=0, max_value=10**9))
def test_the_truth_survives_rendering(seed: int) -> None:
    g = generate(seed)
    assert g.golden and len({item["url"] for item in g.golden}) == len(g.golden)
    _truth_is_shown(g)


def test_every_axis_value_is_drawn() -> None:
    drawn: dict[str, set[str]] = defaultdict(set)
    for seed in SEEDS:
        for axis, value in site_of(seed).values.items():
            drawn[axis].add(value)
    assert {axis: drawn[axis] for axis in AXES} == {axis: set(values) for axis, values in AXES.items()}


def _seed_with(**values: str) -> Generated:
    seeds = range(5000)
    return generate(next(s for s in seeds if all(site_of(s).values[k] == v for k, v in values.items())))


def test_the_page_parses_into_the_containers_and_sections_it_claims() -> None:
    for container, tag in (("li", "li"), ("article", "article"), ("tr", "tr"), ("dl", "dt"), ("custom", "news-card")):
        for sections in ("one", "two", "three"):
            g = _seed_with(container=container, sections=sections, damage="none")
            root = parse(g.page)
            assert len(root.findall(".//main/section")) == {"one": 1, "two": 2, "three": 3}[sections]
            assert len(root.findall(f".//main//{tag}")) == len(g.golden), (container, sections)
    card = _seed_with(container="a_card", damage="none")
    hrefs = [a.get("href") for a in parse(card.page).iter("a") if a.find("div") is not None]
    assert len(hrefs) == len(card.golden)


def test_the_damage_is_in_the_markup() -> None:
    upper = _seed_with(damage="upper_case").page.decode()
    assert "<MAIN>" in upper and "<main" not in upper
    unquoted = _seed_with(damage="unquoted", links="relative").page.decode()
    assert re.search(r"<a href=/", unquoted)
    omitted = _seed_with(damage="end_tags_omitted", container="li").page.decode()
    assert "<li" in omitted and "</li>" not in omitted
    stray = _seed_with(damage="stray_end_tags").page.decode()
    assert "</font>" in stray and "<font" not in stray
    unclosed = _seed_with(damage="unclosed_div", container="div", sections="one")
    # The first wrapper of each item never closes: the items nest, each inside the one before.
    root = parse(unclosed.page)
    deepest = max(len(list(a.iterancestors())) for a in root.iter("a") if a.get("href") in _hrefs(unclosed))
    assert deepest > len(unclosed.golden)


def _hrefs(g: Generated) -> set[str]:
    return {href for item in g.golden for href in (item["url"], item["url"].removeprefix("https://www.ilo.org"))}


def test_the_sidebar_and_the_box_are_dated_but_not_items() -> None:
    g = _seed_with(chrome="sidebar", sections="box", date_form="long", language="fr")
    assert len(g.decoys) == 3
    text = visible(g.page).text
    assert "Last updated: " in text and "Announcements" in text
    assert not {urljoin(g.base_url, d) for d in g.decoys} & {item["url"] for item in g.golden}


def test_the_frozen_items_are_real_ones() -> None:
    collected = {row["url"]: row for rows in collect_pool().values() for row in rows}
    frozen = [row for rows in item_pool().values() for row in rows]
    assert len(frozen) > 80
    assert all(collected.get(row["url"]) == row for row in frozen)


# -- the ratchet: no generated page reads worse ------------------------------------------------------------------


@cache
def _measured() -> dict[int, list[int]]:
    logging.disable(logging.WARNING)
    try:
        out = {}
        for seed in RATCHETED:
            g = generate(seed)
            one = score(read(g), g.golden)
            out[seed] = [one.fields_exact, len(one.missing), len(one.extra)]
        return out
    finally:
        logging.disable(logging.NOTSET)


def test_no_generated_page_reads_worse() -> None:
    worse = {
        seed: (RECORDED[str(seed)], now)
        for seed, now in _measured().items()
        if now[0] < RECORDED[str(seed)][0] or now[1] > RECORDED[str(seed)][1] or now[2] > RECORDED[str(seed)][2]
    }
    assert not worse, (
        f"[fields exact, missing, extra] (recorded, now) of the pages read worse: {worse} "
        "(benchmarks/synthetic.py --page SEED)"
    )


def test_pages_read_better_are_recorded() -> None:
    better = {seed: (RECORDED[str(seed)], now) for seed, now in _measured().items() if now != RECORDED[str(seed)]}
    assert not better, (
        f"pages read better (recorded, now): {better}: welcome! Record them: "
        f"benchmarks/synthetic.py --json tests/{SCORES.name}"
    )
