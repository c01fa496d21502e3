"""A source without a configured language takes its page's (``<html lang>`` and the like).

Where the language shows: which of day and month a numeric date puts first, the
feed's ``xml:lang`` / ``<language>``, its default title and the names of its
categories. A configured language keeps deciding all of it, as before; the feed
files' names never follow the page (they are subscribers' addresses).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner
from lxml import etree
from lxml import html as lxml_html

from spfeed.cli import main
from spfeed.config import Config, Source
from spfeed.config import load as load_config
from spfeed.markup import tree
from spfeed.names import DEPARTMENT_TITLES
from spfeed.parse import declared_language
from spfeed.pipeline import run, scrape
from spfeed.store import Store

T0 = datetime(2024, 5, 1, 6, 0, tzinfo=UTC)
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

FIRST_MARCH = "2023-03-04"
"""``03/04/2023`` read month first, as in English."""
THIRD_APRIL = "2023-04-03"
"""``03/04/2023`` read day first, as in German, French and Spanish."""


def page(lang: str | None, date: str = "03/04/2023", label: str = "Press release", slug: str = "one") -> str:
    """A legacy-layout department page with one item whose date is ambiguous."""
    attribute = f' lang="{lang}"' if lang is not None else ""
    return (
        f"<!DOCTYPE html><html{attribute}><head><title>News</title></head><body>"
        '<div class="whatsNew"><ol class="itemList"><li class="item">'
        f'<p class="kicker">{label}</p>'
        f'<h3 class="title"><a href="https://www.ilo.org/news/{slug}.htm">{slug.title()}</a></h3>'
        f'<p class="date">{date}</p></li></ol></div></body></html>'
    )


def write(path: Path, html: str) -> str:
    path.write_text(html, encoding="utf-8")
    return str(path)


def config(tmp_path: Path, *sources: Source) -> Config:
    return Config(
        sources=sources,
        out_dir=tmp_path / "feeds",
        public_url="https://feeds.example.org/",
        store=tmp_path / "spfeed.sqlite",
        lock_timeout=5,
        delay=0,
    )


def stored_dates(tmp_path: Path) -> list[str]:
    with Store.open(tmp_path / "spfeed.sqlite") as store:
        return [entry.item.published.start.date().isoformat() for entry in store.recent_entries(10)]


def feed(path: Path) -> tuple[str | None, str]:
    """An Atom feed's xml:lang and title."""
    root = etree.parse(str(path)).getroot()
    return root.get(XML_LANG), root.findtext("{http://www.w3.org/2005/Atom}title")


def rss_language(path: Path) -> str | None:
    return etree.parse(str(path)).getroot().findtext("channel/language")


# --- dates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "configured", "expected", "first"),
    [
        ("de", None, THIRD_APRIL, "de"),  # the page says German: day first
        ("de", "en", FIRST_MARCH, "en"),  # a configured language decides, as before
        ("fr", None, THIRD_APRIL, "fr"),
        ("en", "fr", THIRD_APRIL, "fr"),
        (None, None, FIRST_MARCH, "en"),  # no language anywhere: English, as before
        ("en-US", None, FIRST_MARCH, "en"),
    ],
)
def test_the_page_language_decides_a_numeric_date_unless_one_is_configured(
    tmp_path, lang, configured, expected, first
):
    source = Source(location=write(tmp_path / "page.html", page(lang)), language=configured)
    result = scrape(source)
    assert [item.published.start.date().isoformat() for item in result.items] == [expected]
    assert result.parsed.languages[0] == first
    # what the page declares travels in the result, whatever is configured
    assert result.parsed.language == (lang[:2] if lang else None)


def test_a_german_page_in_a_config_file_without_language_reads_3_april_and_with_en_4_march(tmp_path):
    write(tmp_path / "de.html", page("de"))
    runner = CliRunner()
    for configured, expected in ((None, THIRD_APRIL), ("en", FIRST_MARCH)):
        folder = tmp_path / (configured or "none")
        folder.mkdir()
        language = f'language = "{configured}"\n' if configured else ""
        (folder / "spfeed.toml").write_text(
            f'store = "{folder / "spfeed.sqlite"}"\nout_dir = "{folder / "feeds"}"\n'
            f'[[source]]\nurl = "{tmp_path / "de.html"}"\n{language}',
            encoding="utf-8",
        )
        result = runner.invoke(main, ["--config", str(folder / "spfeed.toml"), "refresh"])
        assert result.exit_code == 0, result.output
        assert stored_dates(folder) == [expected]
        assert feed(folder / "feeds" / "atom.xml")[0] == (configured or "de")


# --- config and command line ----------------------------------------------------------


def test_config_and_command_line_leave_the_language_unset_and_the_feed_name_as_before(tmp_path):
    (tmp_path / "spfeed.toml").write_text(
        '[[source]]\nurl = "a.html"\n\n[[source]]\nurl = "b.html"\n\n[[source]]\nurl = "c.html"\nlanguage = "de"\n',
        encoding="utf-8",
    )
    from_file = load_config(tmp_path / "spfeed.toml")
    assert [(s.name, s.language) for s in from_file.sources] == [("main", None), ("source2", None), ("de", "de")]
    from_flag = load_config(overrides={"source": "a.html"})
    assert [(s.name, s.language) for s in from_flag.sources] == [("main", None)]
    assert Source().language is None


def test_scrape_refresh_and_a_config_file_read_a_page_alike(tmp_path):
    location = write(tmp_path / "de.html", page("de"))
    runner = CliRunner()
    scraped = runner.invoke(main, ["scrape", location, "--json"])
    assert scraped.exit_code == 0, scraped.output
    assert [row["published"] for row in json.loads(scraped.stdout)] == [THIRD_APRIL]
    pinned = runner.invoke(main, ["scrape", location, "--json", "--language", "en"])
    assert [row["published"] for row in json.loads(pinned.stdout)] == [FIRST_MARCH]
    for options, expected in (([], THIRD_APRIL), (["--language", "en"], FIRST_MARCH)):
        backfilled = runner.invoke(main, ["backfill", location, "--pages", "1", "--json", *options])
        assert backfilled.exit_code == 0, backfilled.output
        assert [row["published"] for row in json.loads(backfilled.stdout)] == [expected]

    by_flag, by_file = tmp_path / "flag", tmp_path / "file"
    for folder in (by_flag, by_file):
        folder.mkdir()
    flag_run = runner.invoke(
        main, ["refresh", "--source", location, "--out", str(by_flag / "feeds"), "--store", str(by_flag / "s.sqlite")]
    )
    assert flag_run.exit_code == 0, flag_run.output
    (by_file / "spfeed.toml").write_text(
        f'out_dir = "{by_file / "feeds"}"\nstore = "{by_file / "s.sqlite"}"\n[[source]]\nurl = "{location}"\n',
        encoding="utf-8",
    )
    file_run = runner.invoke(main, ["--config", str(by_file / "spfeed.toml"), "refresh"])
    assert file_run.exit_code == 0, file_run.output
    assert (by_flag / "feeds" / "atom.xml").read_bytes() == (by_file / "feeds" / "atom.xml").read_bytes()
    assert feed(by_flag / "feeds" / "atom.xml") == ("de", DEPARTMENT_TITLES["en"])


def test_an_unknown_language_on_the_command_line_is_an_error_that_says_so(tmp_path):
    location = write(tmp_path / "de.html", page("de"))
    result = CliRunner().invoke(main, ["scrape", location, "--language", "xx-nope"])
    assert result.exit_code == 1
    assert "xx-nope" in result.output


# --- the feed ---------------------------------------------------------------------


def test_a_french_page_without_a_configured_language_gives_a_french_feed(tmp_path, atom_schema):
    location = write(tmp_path / "fr.html", page("fr", label="Communiqué de presse"))
    run(config(tmp_path, Source(location=location)), now=T0)
    out = tmp_path / "feeds"
    assert atom_schema.validate(etree.parse(str(out / "atom.xml"))), atom_schema.error_log
    assert feed(out / "atom.xml") == ("fr", DEPARTMENT_TITLES["fr"])
    assert rss_language(out / "rss.xml") == "fr"
    assert json.loads((out / "feed.json").read_text(encoding="utf-8"))["language"] == "fr"
    parsed = feedparser.parse(str(out / "atom.xml"))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.subtitle.startswith("Actualités")
    # the category is named in the feed's language
    assert [tag.label for tag in parsed.entries[0].tags if tag.term == "press-release"] == ["Communiqué de presse"]
    assert (out / "category" / "press-release.atom").exists()
    # and the feed's page for people is in French: its words, and the date as French writes it
    feed_page = lxml_html.fromstring((out / "feed.html").read_bytes())
    assert feed_page.get("lang") == "fr" and "Tous les flux" in feed_page.text_content()
    assert "3 avril 2023" in feed_page.text_content()


def test_a_configured_language_keeps_the_feed_in_it_whatever_the_page_says(tmp_path):
    location = write(tmp_path / "fr.html", page("fr"))
    run(config(tmp_path, Source(location=location, language="en", name="en")), now=T0)
    assert feed(tmp_path / "feeds" / "atom.xml") == ("en", DEPARTMENT_TITLES["en"])
    assert stored_dates(tmp_path) == [FIRST_MARCH]


def test_the_feed_files_keep_their_names_whatever_language_the_pages_declare(tmp_path):
    sources = (
        Source(location=write(tmp_path / "de.html", page("de")), name="main"),
        Source(location=write(tmp_path / "fr.html", page("fr", slug="deux")), name="source2"),
    )
    run(config(tmp_path, *sources), now=T0)
    per_source = tmp_path / "feeds" / "source"
    assert sorted(p.name for p in per_source.glob("*.atom")) == ["main.atom", "source2.atom"]
    assert feed(per_source / "main.atom") == ("de", f"{DEPARTMENT_TITLES['en']} (de)")
    assert feed(per_source / "source2.atom") == ("fr", f"{DEPARTMENT_TITLES['fr']} (français)")
    combined = etree.parse(str(tmp_path / "feeds" / "atom.xml")).getroot()
    assert combined.get(XML_LANG) == "mul"


# --- the store, unchanged pages and pages that change ------------------------------------------


def test_a_page_not_read_again_keeps_its_language_when_another_source_changes(tmp_path):
    german = write(tmp_path / "de.html", page("de"))
    english = tmp_path / "en.html"
    write(english, page("en", date="1 May 2023", slug="two"))
    sources = (Source(location=german, name="main"), Source(location=str(english), name="source2"))
    run(config(tmp_path, *sources), now=T0)
    with Store.open(tmp_path / "spfeed.sqlite") as store:
        assert store.source(german)["language"] == "de"
    write(english, page("en", date="2 May 2023", slug="two"))
    report = run(config(tmp_path, *sources), now=T0 + timedelta(hours=1))
    assert [s.outcome for s in report.sources] == ["not modified", "changed"]
    assert report.written.changed  # the feeds were published again, the German one among them
    assert feed(tmp_path / "feeds" / "source" / "main.atom") == ("de", f"{DEPARTMENT_TITLES['en']} (de)")


def test_a_page_that_stops_declaring_its_language_keeps_the_one_it_declared(tmp_path):
    location = tmp_path / "page.html"
    write(location, page("de"))
    cfg = config(tmp_path, Source(location=str(location)))
    run(cfg, now=T0)
    for garbage in (None, "", "x-klingon", "und"):
        write(location, page(garbage))
        report = run(cfg, now=T0 + timedelta(hours=1))
        assert report.sources[0].outcome in ("changed", "unchanged"), garbage  # read, not skipped
        assert report.changes.updated == 0, garbage  # the date was read day first again
        assert stored_dates(tmp_path) == [THIRD_APRIL], garbage
        assert feed(tmp_path / "feeds" / "atom.xml")[0] == "de", garbage


def test_a_page_that_declares_another_language_is_read_in_it(tmp_path):
    location = tmp_path / "page.html"
    write(location, page("de"))
    cfg = config(tmp_path, Source(location=str(location)))
    run(cfg, now=T0)
    write(location, page("EN-gb"))
    report = run(cfg, now=T0 + timedelta(hours=1))
    assert report.changes.updated == 1  # 03/04/2023 is now 4 March: what a reader sees changed
    assert stored_dates(tmp_path) == [FIRST_MARCH]
    assert feed(tmp_path / "feeds" / "atom.xml") == ("en", DEPARTMENT_TITLES["en"])


def test_a_page_that_never_declared_a_language_is_english(tmp_path):
    location = write(tmp_path / "page.html", page("x-klingon"))
    run(config(tmp_path, Source(location=location)), now=T0)
    assert stored_dates(tmp_path) == [FIRST_MARCH]
    assert feed(tmp_path / "feeds" / "atom.xml") == ("en", DEPARTMENT_TITLES["en"])
    with Store.open(tmp_path / "spfeed.sqlite") as store:
        assert store.source(location)["language"] is None


# --- what counts as a declared language ---------------------------------------------------


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ('<html lang="de">', "de"),
        ('<html lang="EN-gb">', "en"),
        ('<html lang=" pt-BR ">', "pt"),
        ('<html lang="zh-Hant-TW">', "zh"),
        ('<html xml:lang="fr">', "fr"),
        ('<html><head><meta property="og:locale" content="es_ES">', "es"),
        ('<html><head><meta http-equiv="content-language" content="de, en">', "de"),
        ('<html lang="">', None),
        ('<html lang="x-klingon">', None),
        ('<html lang="i-klingon">', None),
        ('<html lang="tlh">', None),  # Klingon has a code, but CLDR has no dates for it
        ('<html lang="und">', None),
        ('<html lang="mul">', None),
        ('<html lang="root">', None),
        ('<html lang="C">', None),
        ('<html lang="12">', None),
        ("<html>", None),
    ],
)
def test_the_declared_language_is_a_code_cldr_knows_or_none(markup, expected):
    root = tree(f"{markup}<body><p>x</p></body></html>")
    assert declared_language(root) == expected


def test_a_profile_learned_for_a_source_without_a_language_reads_dates_as_the_refresh_did(tmp_path):
    # The known items were read day first (the page is German, no language configured): the learner
    # must read the page's dates the same way, or it finds no element that holds them.
    from spfeed.learn import learn_profile

    rows = "".join(
        f'<li class="meldung"><h3><a href="https://example.org/de/{n}">Meldung Nummer {n} zur sozialen '
        f'Sicherung</a></h3><span class="datum">0{n}/04/2024</span></li>'
        for n in (4, 3, 2, 1)
    )
    html = (
        '<!DOCTYPE html><html lang="de"><head><title>Meldungen</title></head><body><main>'
        f'<ul class="meldungen">{rows}</ul></main></body></html>'
    )
    known = scrape(Source(location=write(tmp_path / "meldungen.html", html))).items
    assert [item.published.start.date().isoformat() for item in known] == [f"2024-04-0{n}" for n in (4, 3, 2, 1)]
    as_the_refresh = learn_profile(html, str(tmp_path), known, name="learned", page_first=True)
    assert as_the_refresh is not None and "date" in as_the_refresh.fields
    english_first = learn_profile(html, str(tmp_path), known, name="learned")
    assert english_first is None or "date" not in english_first.fields


def test_a_store_from_before_learns_the_language_when_the_page_is_next_read(tmp_path):
    import sqlite3

    location = tmp_path / "page.html"
    write(location, page("de"))
    cfg = config(tmp_path, Source(location=str(location)))
    run(cfg, now=T0)
    db = sqlite3.connect(tmp_path / "spfeed.sqlite")  # as an earlier spfeed (schema v6) left it
    db.executescript("ALTER TABLE sources DROP COLUMN language; PRAGMA user_version = 6;")
    db.close()
    (tmp_path / "feeds" / "atom.xml").unlink()  # published again, from the store alone

    unread = run(cfg, now=T0 + timedelta(hours=1))
    assert unread.sources[0].outcome == "not modified"
    assert feed(tmp_path / "feeds" / "atom.xml")[0] == "en"  # what it was before the page said otherwise
    write(location, page("de", slug="two"))
    run(cfg, now=T0 + timedelta(hours=2))
    assert feed(tmp_path / "feeds" / "atom.xml")[0] == "de"
    with Store.open(tmp_path / "spfeed.sqlite") as store:
        assert store.version == 7 and store.source(str(location))["language"] == "de"
