from __future__ import annotations

import subprocess
import sys

import pytest

from spfeed.cli import item_json
from spfeed.config import Source
from spfeed.errors import ConfigError, ParseError
from spfeed.parse import (
    FALLBACK,
    PROFILES_COMPILED,
    Profile,
    builtin_profile_files,
    builtin_profiles,
    load_profiles,
    parse_page,
)
from spfeed.pipeline import scrape

from .conftest import (
    ARCHIVE_PAGE,
    BLOG_PAGE,
    CP1252_PAGE,
    CURRENT_PAGE,
    FIXTURES,
    LAYOUT_FIXTURES,
    LEGACY_PAGE,
    LEGACY_URL,
    MALFORMED_PAGE,
    ROOT,
    TABLE_PAGE,
    TABLE_PROFILES,
)

SEED_TITLES = [
    (
        "SDG Action Weekend, High Impact Initiatives: Global Accelerator on Jobs and Social "
        "Protection for Just Transitions"
    ),
    "13 million people enjoy better social protection through improved financing",
    (
        "Development partners meeting of the Global Flagship Programme on building social "
        "protection floors for all"
    ),
    "Number of children without critical social protection increasing globally",
    'ILO launches Massive Open Online Course "Making Universal Social Protection a Reality"',
    (
        "ILO Director-General warns of threat to social justice at meeting with Chancellor "
        "Scholz and other international organization leaders"
    ),
    (
        "ILO Director-General calls for social protection and minimum wages to respond to "
        "cost-of-living crisis"
    ),
]


@pytest.mark.parametrize(("name", "profiles_file", "profile", "count"), LAYOUT_FIXTURES)
def test_every_fixture_matches_its_golden_items(golden, name, profiles_file, profile, count):
    profiles = load_profiles(FIXTURES / profiles_file) if profiles_file else ()
    result = scrape(Source(location=str(FIXTURES / name)), profiles=profiles)
    assert result.parsed.profile == profile
    assert len(result.items) == count
    golden_path = FIXTURES / name.replace(".html", ".items.json")
    golden.check_json(golden_path, [item_json(i) for i in result.items])


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


def test_page_without_a_known_layout_or_items_is_a_parse_error():
    with pytest.raises(ParseError, match="layout changed or the page is under maintenance"):
        parse_page("<html><body><p>Site under maintenance</p></body></html>", "https://x.example/")


def test_unknown_profile_name_is_a_config_error_listing_the_known_ones():
    with pytest.raises(ConfigError, match=r"unknown layout profile 'nope' .*ilo-current.*fallback"):
        parse_page(LEGACY_PAGE.read_text("utf-8"), LEGACY_PAGE.as_uri(), profile="nope")


def test_block_without_link_is_skipped_and_counted():
    html = """<div class="whatsNew"><ol>
      <li class="item"><h3 class="title">No link here</h3><p class="date">1 May 2023</p></li>
      <li class="item"><h3 class="title"><a href="/a">Linked</a></h3></li>
    </ol></div>"""
    parsed = parse_page(html, "https://www.ilo.org/")
    assert [i.title for i in parsed.items] == ["Linked"]
    assert parsed.skipped == 1


def test_the_compiled_profiles_are_the_toml_files(golden):
    # A refresh reads profiles.json; people edit profiles/*.toml (`pytest --update-golden` after).
    golden.check_json(ROOT / "spfeed" / PROFILES_COMPILED, builtin_profile_files())


def test_builtin_profiles_load_most_specific_first():
    assert [p.name for p in builtin_profiles()] == ["ilo-legacy-archive", "ilo-current", "ilo-legacy"]


@pytest.mark.parametrize("profile", builtin_profiles(), ids=lambda p: p.name)
def test_builtin_profile_selectors_are_valid_css(profile):
    profile.check_selectors(profile.name)  # raises ConfigError on a typo
    assert profile.title and profile.link


def test_profile_with_unknown_key_is_rejected():
    with pytest.raises(ConfigError, match="unknown key"):
        Profile.from_dict({"name": "x", "detect": "a", "item": "a", "title": "a", "link": "a", "colour": "red"}, "t")


def _items(path, **kwargs):
    return scrape(Source(location=str(path)), **kwargs).items


def _chrome_links(path, selectors):
    """Every href in the page's non-item regions (navigation, footer, ...)."""
    from urllib.parse import urljoin

    from bs4 import BeautifulSoup

    soup = BeautifulSoup(path.read_bytes(), "lxml")
    base = soup.select_one('link[rel="canonical"]')["href"]
    return {urljoin(base, a["href"]) for s in selectors for a in soup.select(f"{s} a[href]") if a["href"]}


LEGACY_CHROME = ("#header", "#breadcrumb", "#leftColumn", "#rightColumn", "#footer", ".pagination", ".intro")
CURRENT_CHROME = ("header.ilo--header", "nav", ".ilo--link-list", ".ilo--pagination", "footer.ilo--footer",
                  ".ilo--cardgroup--button-wrap", ".ilo--language-switcher")


@pytest.mark.parametrize(
    ("name", "selectors"),
    [
        *[(f"ilo-legacy-department.{lang}.html", LEGACY_CHROME) for lang in ("en", "fr", "es")],
        ("ilo-legacy-news.en.html", LEGACY_CHROME),
        ("ilo-legacy-news-page2.en.html", LEGACY_CHROME),
        ("ilo-legacy-news.es.html", LEGACY_CHROME),
        *[(f"ilo-current-department.{lang}.html", CURRENT_CHROME) for lang in ("en", "fr", "es")],
    ],
)
def test_navigation_breadcrumbs_related_links_footer_and_switchers_are_never_items(name, selectors):
    chrome = _chrome_links(FIXTURES / name, selectors)
    assert len(chrome) >= 5  # the regions exist, so the check means something
    assert not chrome & {i.url for i in _items(FIXTURES / name)}


def test_current_page_hero_duplicate_gives_one_item_with_fields_from_both():
    items = _items(CURRENT_PAGE)
    url = "https://www.ilo.org/resource/press-release/more-half-global-population-now-covered-social-protection"
    merged = [i for i in items if i.url == url]
    assert len(merged) == 1 and items[0] is merged[0]  # the hero's place, first on the page
    assert merged[0].summary.startswith("For the first time, more than half")  # from the hero
    assert merged[0].image.endswith("card_small/public/2024-09/wspr-2024-26-launch.jpg?itok=Qm3xT7Lp")  # the card's
    assert merged[0].published.start.isoformat() == "2024-09-12T00:00:00+02:00"


def test_current_page_page_title_hero_without_link_is_not_an_item():
    parsed = parse_page(CURRENT_PAGE.read_text("utf-8"), CURRENT_PAGE.as_uri())
    assert "Universal Social Protection Department" not in [i.title.strip() for i in parsed.items]
    assert parsed.skipped == 0


def test_current_cards_dates_unix_seconds_ranges_and_event_times():
    by_title = {i.title: i for i in _items(CURRENT_PAGE)}
    statement = by_title[
        "Statement by the ILO Director-General on the International Day for the Eradication of Poverty"
    ]
    assert statement.published.start.isoformat() == "2024-10-17T00:00:00+02:00"  # datetime="1729116000"
    assert statement.published.precision == "day"
    event = by_title["13 million people enjoy better social protection through improved financing"]
    assert (event.published.start.date().isoformat(), event.published.end.date().isoformat()) == (
        "2023-06-27",
        "2023-06-28",
    )
    meeting = by_title[
        "Development partners meeting of the Global Flagship Programme on building social protection floors for all"
    ]
    assert meeting.published.start.isoformat() == "2023-03-24T09:00:00+01:00"  # date-extra only, no <time>


def test_current_card_image_is_the_img_src_or_its_pictures_first_source():
    parsed = parse_page(CURRENT_PAGE.read_text("utf-8"), CURRENT_PAGE.as_uri())
    images = {i.title: i.image for i in parsed.items}
    assert images["Statement by the ILO Director-General on the International Day for the Eradication of Poverty"] == (
        "/sites/default/files/styles/card_small/public/2024-10/dg-houngbo-statement.jpg?itok=u8Zr0WkQ"
    )
    assert images[
        "Development partners meeting of the Global Flagship Programme on building social protection floors for all"
    ] == "/sites/default/files/styles/card_xlarge/public/2023-03/flagship-partners-meeting-2023.jpg?itok=Hh41sYtA"


def test_current_page_next_page_is_the_enabled_pager_link():
    parsed = parse_page(CURRENT_PAGE.read_text("utf-8"), CURRENT_PAGE.as_uri())
    assert parsed.next_page == "https://www.ilo.org/universal-social-protection-department?page=1"


def test_archive_month_headings_date_items_without_their_own_date():
    parsed = parse_page(ARCHIVE_PAGE.read_text("utf-8"), ARCHIVE_PAGE.as_uri())
    video = next(i for i in parsed.items if "/multimedia/video/" in i.url)
    assert video.date_text is None and video.group_date == "July 2022"
    items = _items(ARCHIVE_PAGE)
    undated = [i for i in items if i.published and i.published.precision == "month"]
    assert [(i.published.start.strftime("%Y-%m"), i.summary is None) for i in undated] == [
        ("2022-07", False),
        ("2022-06", False),
        ("2022-03", True),
    ]


def test_spanish_archive_month_headings_date_undated_items():
    items = _items(FIXTURES / "ilo-legacy-news.es.html")
    video = next(i for i in items if "/multimedia/video/" in i.url)
    assert (video.published.start.strftime("%Y-%m"), video.published.precision) == ("2022-07", "month")
    ranged = items[-1]
    assert (ranged.published.start.day, ranged.published.end.day) == (15, 16)


def test_archive_photo_credits_are_not_titles_and_items_may_lack_a_summary():
    items = _items(ARCHIVE_PAGE)
    assert not any("©" in i.title for i in items)
    assert sum(i.summary is None for i in items) == 11


def test_archive_featured_repeat_is_one_item_with_the_plain_link():
    items = _items(ARCHIVE_PAGE)
    cambodia = [i for i in items if i.title.startswith("Extending social protection to informal economy")]
    assert len(cambodia) == 1
    assert cambodia[0].url == "https://www.ilo.org/asia/media-centre/articles/WCMS_851442/lang--en/index.htm"
    assert cambodia[0].published.start.date().isoformat() == "2022-07-28"  # from the list entry


def test_two_urls_with_the_same_title_stay_two_items():
    same = [i for i in _items(ARCHIVE_PAGE) if i.title == "Why social protection matters for a just transition"]
    assert len(same) == 2 and same[0].url != same[1].url


def test_archive_next_page_link_is_absolute():
    parsed = parse_page(ARCHIVE_PAGE.read_text("utf-8"), ARCHIVE_PAGE.as_uri())
    assert parsed.next_page == (
        "https://www.ilo.org/secsoc/information-resources/news/lang--en/nextRow--20/index.htm"
    )
    last = FIXTURES / "ilo-legacy-news-page2.en.html"
    assert parse_page(last.read_text("utf-8"), last.as_uri()).next_page is None


@pytest.mark.parametrize(
    ("lang", "first_date", "label"),
    [
        ("fr", "17 septembre 2023", "Rapport conjoint OIT-UNICEF"),
        ("es", "17 de septiembre de 2023", "Informe conjunto OIT-UNICEF"),
    ],
)
def test_legacy_translations_read_their_own_dates_and_labels(lang, first_date, label):
    page = FIXTURES / f"ilo-legacy-department.{lang}.html"
    parsed = parse_page(page.read_text("utf-8"), page.as_uri())
    assert parsed.items[0].date_text == first_date and parsed.items[3].label == label
    items = _items(page)
    assert [i.published.start.date().isoformat() for i in items] == [
        "2023-09-17", "2023-06-27", "2023-03-24", "2023-03-01", "2023-01-26", "2022-11-30", "2022-10-17"
    ]
    assert items[2].published.start.isoformat() == "2023-03-24T09:00:00+01:00"
    assert all(f"/lang--{lang}/" in i.url for i in items)


def test_windows_1252_page_is_decoded_from_its_meta_charset():
    assert b"\xc9tendre" in CP1252_PAGE.read_bytes()  # really windows-1252 on disk
    items = _items(CP1252_PAGE)
    assert items[0].title == "Étendre la protection sociale aux travailleurs de l’économie informelle au Cambodge"
    assert "1 200 milliards d’€…" in items[3].summary


def test_malformed_html_keeps_what_it_can_and_warns_about_the_block_without_link(caplog):
    parsed = parse_page(MALFORMED_PAGE.read_text("utf-8"), MALFORMED_PAGE.as_uri())
    assert parsed.skipped == 1
    assert "no title or link" in caplog.text and "13 million people" in caplog.text
    items = _items(MALFORMED_PAGE)
    assert [i.url.split("/")[-3] for i in items] == ["WCMS_893590", "WCMS_869577", "WCMS_866240"]


def test_control_characters_never_reach_titles_or_summaries():
    raw = parse_page(MALFORMED_PAGE.read_text("utf-8"), MALFORMED_PAGE.as_uri()).items
    assert "\x0b" in raw[0].title and "\x7f" in raw[1].title  # the page really has them
    items = _items(MALFORMED_PAGE)
    assert items[0].title.startswith("SDG Action Weekend, High Impact Initiatives: Global Accelerator")
    assert items[1].title == "Number of children without critical social protection increasing globally & a warning"
    assert not any(ch < " " or ch == "\x7f" for i in items for ch in i.title + (i.summary or ""))


# --- user profiles --------------------------------------------------------


def test_a_ten_line_user_profile_reads_a_layout_spfeed_does_not_know():
    lines = [line for line in TABLE_PROFILES.read_text("utf-8").splitlines() if line and not line.startswith("#")]
    assert len(lines) <= 10
    profiles = load_profiles(TABLE_PROFILES)
    assert [p.name for p in profiles] == ["platform-news"]
    result = scrape(Source(location=str(TABLE_PAGE)), profiles=profiles)
    assert result.parsed.profile == "platform-news"
    assert [(i.category, i.published.start.date().isoformat()) for i in result.items] == [
        ("ILO", "2024-09-12"),
        ("ILO Office for Senegal", "2024-08-29"),
        ("SOCPRO", "2024-07-15"),
    ]
    assert result.items[2].url == "https://www.social-protection.org/gimi/ShowNews.action?id=1031&lang=EN"
    assert result.parsed.next_page == "https://www.social-protection.org/gimi/NewsArchive.action?page=2"


def test_user_profiles_are_tried_before_the_built_in_ones(tmp_path):
    file = tmp_path / "mine.toml"
    file.write_text(
        '[[profile]]\nname = "mine"\ndetect = "div.whatsNew"\nitem = "li.item"\n'
        'title = "h3.title"\nlink = "h3.title a"\nlabel = ["p.missing", "p.date"]\n',
        encoding="utf-8",
    )
    parsed = parse_page(LEGACY_PAGE.read_text("utf-8"), LEGACY_PAGE.as_uri(), profiles=load_profiles(file))
    assert parsed.profile == "mine"
    assert parsed.items[0].label == "17 September 2023"  # the list falls through to the selector that matches


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[profile]\nname = 'x'", r"not valid TOML"),
        ("title = 'x'", r"no \[\[profile\]\] table"),
        ("[[profile]]\nname = 'x'\ndetect = 'a'\nitem = 'a'\ntitle = 'a'", r"#1 \('x'\): 'link' is required"),
        ("[[profile]]\nname = 'x'\ndetect = 'a'\nitem = 'a'\ntitle = 'a'\nlink = 'a[href'",
         r"#1 \('x'\): 'link' is not a valid CSS selector"),
        ("[[profile]]\nname = 'x'\ndetect = 'a'\nitem = 'a'\ntitle = 'a'\nlink = 'a'\ndate = 3",
         r"'date' must be a CSS selector or a list of them"),
        ("[[profile]]\nname = 'x'\ndetect = 'a'\nitem = 'a'\ntitle = 'a'\nlink = 'a'\nsumary = 'p'",
         r"unknown key\(s\) sumary"),
        ("[[profile]]\nname = 'x'\ndetect = 'a'\nitem = 'a'\ntitle = 'a'\nlink = 'a'\n" * 2, r"used twice: x"),
    ],
)
def test_a_bad_profiles_file_is_a_config_error_naming_file_and_key(tmp_path, text, message):
    file = tmp_path / "profiles.toml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as caught:
        load_profiles(file)
    assert str(file) in str(caught.value)


def test_a_missing_profiles_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="no such profiles file"):
        load_profiles(tmp_path / "gone.toml")


# --- the generic fallback ---------------------------------------------------


def test_fallback_reads_a_page_no_profile_knows_and_says_so(caplog):
    parsed = parse_page(BLOG_PAGE.read_text("utf-8"), BLOG_PAGE.as_uri())
    assert parsed.profile == FALLBACK
    assert "generic fallback" in caplog.text
    assert [i.title for i in parsed.items] == [
        "USP2030 welcomes the World Social Protection Report 2024-26",
        "Social Protection Week 2024: Partners call for investment in universal systems",
        "Call to action: universal social protection to end poverty and reduce inequalities",
    ]
    first = parsed.items[0]
    assert (first.datetime_attr, first.date_text) == ("2024-09-12T10:00:00+02:00", "12 September 2024")
    assert first.summary.startswith("The members of the Global Partnership welcome")
    assert first.image == "https://usp2030.org/wp-content/uploads/2024/09/wspr-2024-768x432.jpg"
    assert parsed.next_page == "https://usp2030.org/news/page/2/"


def test_fallback_is_not_fooled_by_page_wide_body_classes():
    html = BLOG_PAGE.read_text("utf-8").replace(
        '<body class="blog wp-theme-usp">', '<body class="blog has-sidebar menu-open">'
    )
    assert len(parse_page(html, BLOG_PAGE.as_uri()).items) == 3


def test_fallback_ignores_sidebar_menus_and_footer_links():
    urls = [i.url for i in parse_page(BLOG_PAGE.read_text("utf-8"), BLOG_PAGE.as_uri()).items]
    assert len(urls) == len(set(urls)) == 3  # the sidebar's "Recent posts" repeat nothing
    assert not any(u.endswith(("/about/", "/privacy/", "/category/statements/")) for u in urls)


def test_fallback_finds_the_legacy_items_when_the_layout_is_renamed():
    html = LEGACY_PAGE.read_text("utf-8").replace('class="whatsNew"', 'class="latestNews"')
    parsed = parse_page(html, LEGACY_PAGE.as_uri())
    assert parsed.profile == FALLBACK
    assert [" ".join(i.title.split()) for i in parsed.items] == SEED_TITLES
    assert [i.date_text for i in parsed.items][:3] == [
        "17 September 2023",
        "27-28 June 2023",
        "24 March 2023 at 09:00 (Europe/Zurich)",
    ]


def test_fallback_takes_over_when_a_matched_layout_has_no_items():
    html = LEGACY_PAGE.read_text("utf-8").replace('class="item"', 'class="entry"')
    parsed = parse_page(html, LEGACY_PAGE.as_uri())
    assert parsed.profile == FALLBACK and len(parsed.items) == 7


def test_fallback_can_be_named_and_a_named_profile_never_falls_back():
    html = LEGACY_PAGE.read_text("utf-8")
    assert parse_page(html, LEGACY_PAGE.as_uri(), profile="fallback").profile == FALLBACK
    named = parse_page(html, LEGACY_PAGE.as_uri(), profile="ilo-current")
    assert named.profile == "ilo-current" and named.items == []


def test_a_list_of_plain_links_is_not_a_listing():
    html = "<ul>" + "".join(f'<li><a href="/p{n}">Page {n}</a></li>' for n in range(9)) + "</ul>"
    with pytest.raises(ParseError, match="no items found with any known layout nor by the generic fallback"):
        parse_page(html, "https://x.example/")


@pytest.mark.parametrize(
    ("name", "profile"),
    [("ilo-legacy-department.en.html", "ilo-legacy"), ("ilo-current-department.en.html", "ilo-current"),
     ("other-layout.usp2030-blog.html", FALLBACK)],
)
def test_no_page_builds_a_beautifulsoup_tree(name, profile):
    # BeautifulSoup's tree costs ~15x lxml's parse: profiles and the generic fallback read lxml's.
    script = (
        "import sys; from spfeed.fetch import decode_html; from spfeed.parse import parse_page; "
        f"page = parse_page(decode_html(open({str(FIXTURES / name)!r}, 'rb').read(), None), 'https://www.ilo.org/'); "
        "print(page.profile, len(page.items), 'bs4' in sys.modules, 'soupsieve' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    found, count, bs4_imported, soupsieve_imported = result.stdout.split()
    assert (found, int(count) > 0) == (profile, True)
    assert (bs4_imported, soupsieve_imported) == ("False", "False")


@pytest.mark.parametrize("text", [".XML", "index.htm", "https://www.ilo.org/secsoc/"])
def test_a_page_that_looks_like_a_file_name_or_a_url_is_a_page_with_no_items(text):
    # bs4 warns that such markup "looks like a filename"; pytest turns warnings into errors.
    with pytest.raises(ParseError, match="no items found"):
        parse_page(text, "https://www.ilo.org/")


_FALLBACK_IMPORTED = """\
import sys
from pathlib import Path
from spfeed.parse import parse_page
parse_page(Path(sys.argv[1]).read_text("utf-8"), "https://www.ilo.org/secsoc/")
print("spfeed.fallback" in sys.modules)
"""


@pytest.mark.parametrize(("page", "imported"), [(LEGACY_PAGE, "False"), (BLOG_PAGE, "True")])
def test_the_fallback_module_is_imported_only_for_a_page_no_profile_reads(page, imported):
    done = subprocess.run([sys.executable, "-c", _FALLBACK_IMPORTED, str(page)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == imported
