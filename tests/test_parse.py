from __future__ import annotations

import pytest

from spfeed.config import Source
from spfeed.errors import ConfigError, ParseError
from spfeed.parse import Profile, builtin_profiles, parse_page
from spfeed.pipeline import scrape
from spfeed.cli import item_json

from .conftest import LEGACY_PAGE, LEGACY_URL

SEED_TITLES = [
    "SDG Action Weekend, High Impact Initiatives: Global Accelerator on Jobs and Social "
    "Protection for Just Transitions",
    "13 million people enjoy better social protection through improved financing",
    "Development partners meeting of the Global Flagship Programme on building social "
    "protection floors for all",
    "Number of children without critical social protection increasing globally",
    'ILO launches Massive Open Online Course "Making Universal Social Protection a Reality"',
    "ILO Director-General warns of threat to social justice at meeting with Chancellor "
    "Scholz and other international organization leaders",
    "ILO Director-General calls for social protection and minimum wages to respond to "
    "cost-of-living crisis",
]


def test_legacy_page_matches_its_golden_items(golden):
    result = scrape(Source(location=str(LEGACY_PAGE)))
    golden.check_json(LEGACY_PAGE.with_suffix(".items.json"), [item_json(i) for i in result.items])


def test_legacy_page_yields_the_seven_seed_items_in_page_order():
    parsed = parse_page(LEGACY_PAGE.read_text("utf-8"), LEGACY_PAGE.as_uri())
    assert parsed.profile == "ilo-legacy"
    assert [" ".join(i.title.split()) for i in parsed.items] == SEED_TITLES
    assert parsed.skipped == 0


def test_raw_fields_are_the_strings_on_the_page():
    parsed = parse_page(LEGACY_PAGE.read_text("utf-8"), LEGACY_PAGE.as_uri())
    dates = [i.date_text for i in parsed.items]
    assert dates == [
        "17 September 2023",
        "27-28 June 2023",
        "24 March 2023 at 09:00 (Europe/Zurich)",
        "Press release | 01 March 2023",
        "26 January 2023",
        "30 November 2022",
        "17 October 2022",
    ]
    labels = [i.label for i in parsed.items]
    assert labels == [
        "ILO Live",
        None,
        "ILO Live",
        "Joint ILO-UNICEF report",
        "News",
        "Multilateralism",
        "Annual Meetings of the World Bank and the IMF",
    ]


def test_navigation_intro_quote_and_footer_are_not_items():
    parsed = parse_page(LEGACY_PAGE.read_text("utf-8"), LEGACY_PAGE.as_uri())
    urls = {i.url for i in parsed.items}
    titles = " ".join(i.title for i in parsed.items)
    assert not any("normlex" in u or "contact-us" in u or "lang--fr" in u for u in urls)
    assert "Houngbo" not in titles and "human right and a State" not in titles
    assert "Kate Holt" not in titles  # a photo credit is not a title


def test_base_url_comes_from_canonical_link_for_a_local_file():
    parsed = parse_page(LEGACY_PAGE.read_text("utf-8"), LEGACY_PAGE.as_uri())
    assert parsed.base_url == LEGACY_URL


def test_base_url_option_wins_over_the_page():
    parsed = parse_page(
        LEGACY_PAGE.read_text("utf-8"), LEGACY_PAGE.as_uri(), base_url="https://mirror.example/x/"
    )
    assert parsed.base_url == "https://mirror.example/x/"


def test_base_href_wins_over_canonical():
    html = LEGACY_PAGE.read_text("utf-8").replace(
        "<head>", '<head><base href="https://archive.example/ilo/">', 1
    )
    assert parse_page(html, "file:///tmp/x.html").base_url == "https://archive.example/ilo/"


def test_fetched_page_resolves_against_its_own_url_not_canonical():
    parsed = parse_page(LEGACY_PAGE.read_text("utf-8"), "https://mirror.example/secsoc/")
    assert parsed.base_url == "https://mirror.example/secsoc/"


def test_page_without_a_known_layout_is_a_parse_error():
    with pytest.raises(ParseError, match="layout changed or the page is under maintenance"):
        parse_page("<html><body><p>Site under maintenance</p></body></html>", "https://x.example/")


def test_unknown_profile_name_is_a_config_error():
    with pytest.raises(ConfigError, match="unknown layout profile 'nope'"):
        parse_page(LEGACY_PAGE.read_text("utf-8"), LEGACY_PAGE.as_uri(), profile="nope")


def test_block_without_link_is_skipped_and_counted():
    html = """<div class="whatsNew"><ol>
      <li class="item"><h3 class="title">No link here</h3><p class="date">1 May 2023</p></li>
      <li class="item"><h3 class="title"><a href="/a">Linked</a></h3></li>
    </ol></div>"""
    parsed = parse_page(html, "https://www.ilo.org/")
    assert [i.title for i in parsed.items] == ["Linked"]
    assert parsed.skipped == 1


def test_builtin_profiles_load_and_have_unique_names():
    names = [p.name for p in builtin_profiles()]
    assert "ilo-legacy" in names
    assert len(names) == len(set(names))


def test_profile_with_unknown_key_is_rejected():
    with pytest.raises(ConfigError, match="unknown key"):
        Profile.from_dict({"name": "x", "detect": "a", "item": "a", "title": "a", "link": "a", "colour": "red"}, "t")
