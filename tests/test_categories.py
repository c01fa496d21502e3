from __future__ import annotations

import json
import logging
import re
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import spfeed
from spfeed.categories import (
    COMPILED_FILE,
    _build,
    _categories_of,
    _phrase_in,
    compiled_table,
    default_taxonomy,
    fold_label,
    load_taxonomy,
    slugify,
)
from spfeed.config import EXAMPLE
from spfeed.config import load as load_config
from spfeed.errors import ConfigError
from spfeed.pipeline import config_taxonomy, run

TAXONOMY = default_taxonomy()
FIXTURES = Path(__file__).parent.parent / "fixtures"
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("label", "slug"),
    [
        # English
        ("News", "news"),
        ("Press release", "press-release"),
        ("Media advisory", "press-release"),
        ("ILO Live", "event"),
        ("Webinar", "event"),
        ("Technical meeting on pensions", "event"),
        ("Statement", "statement"),
        ("Speech", "statement"),
        ("Report", "report"),
        ("Publication", "report"),
        ("Policy brief", "report"),
        ("Feature", "feature"),
        ("Story", "feature"),
        # French
        ("Actualités", "news"),
        ("Communiqué de presse", "press-release"),
        ("Avis aux médias", "press-release"),
        ("Webinaire", "event"),
        ("Réunion tripartite", "event"),
        ("Déclaration", "statement"),
        ("Discours", "statement"),
        ("Rapport", "report"),
        ("Reportage", "feature"),
        ("Témoignage", "feature"),
        # Spanish
        ("Noticias", "news"),
        ("Comunicado de prensa", "press-release"),
        ("Nota de prensa", "press-release"),
        ("Seminario web", "event"),
        ("Reunión", "event"),
        ("Declaración", "statement"),
        ("Discurso", "statement"),
        ("Informe", "report"),
        ("Publicación", "report"),
        ("Reportaje", "feature"),
        ("Entrevista", "feature"),
        # case, accents, spaces and punctuation do not matter
        ("PRESS RELEASE", "press-release"),
        ("Communique de presse", "press-release"),
        ("  comunicado   DE prensa ", "press-release"),
        ("Press release:", "press-release"),
    ],
)
def test_labels_map_to_the_canonical_taxonomy(label, slug):
    assert TAXONOMY.classify(label) == slug


def test_unknown_label_passes_through_as_its_own_slug_with_a_notice(caplog):
    with caplog.at_level(logging.INFO, logger="spfeed.categories"):
        assert TAXONOMY.classify("Cultura y educación") == "cultura-y-educacion"
        assert TAXONOMY.classify("Assemblées annuelles de la Banque mondiale et du FMI") == (
            "assemblees-annuelles-de-la-banque-mondiale-et-du-fmi"
        )
    assert "'Cultura y educación' is not in the taxonomy" in caplog.text
    assert "assemblees-annuelles-de-la-banque-mondiale-et-du-fmi" in caplog.text


def test_one_topic_in_three_languages_is_one_category():
    assert {TAXONOMY.classify(label) for label in ("Multilateralism", "Multilatéralisme", "Multilateralismo")} == {
        "multilateralism"
    }
    assert {TAXONOMY.classify(label) for label in ("Social protection", "Protection sociale", "Protección social")} == {
        "social-protection"
    }
    # what the slug was for each, before the taxonomy knew the topic: their feeds go on
    assert TAXONOMY.formerly["multilateralisme"] == TAXONOMY.formerly["multilateralismo"] == "multilateralism"
    assert "multilateralism" not in TAXONOMY.formerly


def test_an_unknown_label_keeps_one_slug_whatever_its_spelling_and_whatever_else_is_classified():
    first = TAXONOMY.classify("Presentación")
    for label in ("Multilatéralisme", "News", "Zine", "Cultura y educación"):
        TAXONOMY.classify(label)
    assert TAXONOMY.classify("Presentación") == TAXONOMY.classify("presentacion") == first == "presentacion"
    assert load_taxonomy({"zine": {"labels": ["Zine"]}}).classify("Presentación") == "presentacion"


# The slug each category label of the fixtures' goldens got before the topics
# (the label's own slug when the taxonomy did not know it), written by the
# code of that time. A category feed's file name is its slug: subscribers'
# addresses. None may stop being written.
SLUGS_BEFORE = json.loads((FIXTURES / "category-slugs.json").read_text("utf-8"))


def test_the_fixtures_labels_are_all_in_the_record_of_their_former_slugs():
    labels = {
        item["category"]
        for path in [*FIXTURES.glob("*.items.json"), *FIXTURES.glob("corpus*/*.items.json")]
        for item in json.loads(path.read_text("utf-8"))
        if item.get("category")
    }
    assert labels == set(SLUGS_BEFORE)


@pytest.mark.parametrize(("label", "before"), sorted(SLUGS_BEFORE.items()))
def test_no_labels_category_feed_moves(label, before):
    now = TAXONOMY.classify(label)
    # the same slug, or a former slug of the category that took the label in,
    # whose feed publish goes on writing (tests/test_publish.py)
    assert now == before or TAXONOMY.formerly.get(before) == now


def test_every_label_a_new_category_took_in_keeps_its_former_slug():
    """The topics and content types came after the six kinds of item; before
    them, each of their labels was a category of its own, slugged."""
    table = tomllib.loads((Path(spfeed.__file__).parent / "categories.toml").read_text("utf-8"))["categories"]
    for slug, entry in table.items():
        if slug in FIRST_SIX:
            assert "formerly" not in entry, slug
            continue
        words = [*entry["labels"], entry["name"], *entry["names"].values()]
        assert {slugify(word) for word in words} - {slug} == set(entry["formerly"]), slug


FIRST_SIX = ("news", "press-release", "event", "statement", "report", "feature")


def test_the_compiled_taxonomy_is_categories_toml(golden):
    # A refresh reads categories.json; people edit categories.toml (`pytest --update-golden` after).
    golden.check_json(Path(spfeed.__file__).parent / COMPILED_FILE, compiled_table())


def test_the_taxonomy_a_refresh_decodes_is_the_one_categories_toml_builds():
    # Decoded from categories.json, labels folded when it was written: not built again each refresh.
    table = tomllib.loads((Path(spfeed.__file__).parent / "categories.toml").read_text("utf-8"))
    built = _build(_categories_of(table, "categories.toml"))
    assert built == TAXONOMY
    assert list(TAXONOMY.categories) == list(built.categories)  # the order of the index's groups
    assert TAXONOMY.labels["communique de presse"] == "press-release"  # folded as classify() folds
    assert TAXONOMY.classify("Communiqué de presse") == "press-release"


def test_every_shipped_category_has_a_name_in_english_french_and_spanish():
    table = tomllib.loads((Path(spfeed.__file__).parent / "categories.toml").read_text("utf-8"))["categories"]
    assert len(table) > len(FIRST_SIX)
    for slug, entry in table.items():
        assert entry["name"].strip(), slug
        assert set(entry["names"]) == {"fr", "es"}, slug
        assert all(name.strip() for name in entry["names"].values()), slug
        for language in ("en", "fr", "es"):
            assert TAXONOMY.classify(TAXONOMY.categories[slug].name_in(language)) == slug, (slug, language)


def test_known_label_logs_nothing(caplog):
    with caplog.at_level(logging.INFO, logger="spfeed.categories"):
        TAXONOMY.classify("News")
    assert caplog.records == []


@pytest.mark.parametrize(
    ("label", "kind", "slug"),
    [
        # an exact label wins over the prefix
        ("Statement", "Press release", "statement"),
        # the prefix wins over a type word inside a longer label (a topic)
        ("Joint ILO-UNICEF report", "Press release", "press-release"),
        ("Rapport conjoint OIT-UNICEF", "Communiqué de presse", "press-release"),
        # a label the taxonomy does not know: the prefix decides
        ("Cultura y educación", "Comunicado de prensa", "press-release"),
        # a topic: the prefix states the item's type, which decides
        ("Multilateralism", "Media advisory", "press-release"),
        ("Multilateralismo", "Comunicado de prensa", "press-release"),
        ("Multilateralismo", None, "multilateralism"),
        ("Multilateralismo", "Brochure", "multilateralism"),
        # no label: the prefix decides, or is its own category
        (None, "Press release", "press-release"),
        (None, "Op-ed", "statement"),
        (None, "Brochure", "brochure"),
        # an unknown prefix does not hide a pattern in the label
        ("Global webinar series", "Brochure", "event"),
        (None, None, None),
        ("", None, None),
    ],
)
def test_type_prefix_informs_the_category(label, kind, slug):
    assert TAXONOMY.classify(label, kind) == slug


def test_every_category_is_named_in_english_french_and_spanish():
    assert set(TAXONOMY.categories) >= {"news", "press-release", "event", "statement", "report", "feature"}
    for language in ("en", "fr", "es"):
        for slug, name in TAXONOMY.names(language).items():
            assert TAXONOMY.classify(name) == slug, (language, name)
    assert TAXONOMY.names("es")["press-release"] == "Comunicado de prensa"
    assert TAXONOMY.names("fr")["news"] == "Actualités"
    assert TAXONOMY.names("de")["press-release"] == "Press release"


def test_a_categorys_own_names_are_labels_of_it():
    assert TAXONOMY.classify("Publicación") == "report"
    assert TAXONOMY.classify("Événement") == "event"


def test_overrides_move_labels_add_categories_and_rename():
    taxonomy = load_taxonomy(
        {
            "categories": {
                "event": {"labels": ["Media advisory"], "names": {"fr": "Agenda"}},
                "blog": {"name": "Blog post", "labels": ["Blog"], "patterns": ["carnet"]},
                "feature": {"patterns": ["social protection in action"]},
            }
        }
    )
    assert taxonomy.classify("Media advisory") == "event"
    assert taxonomy.classify("Press release") == "press-release"
    assert taxonomy.classify("Blog") == "blog"
    assert taxonomy.classify("Le carnet de la protection sociale") == "blog"
    assert taxonomy.classify("Social protection in action: Togo") == "feature"
    assert taxonomy.names("fr")["event"] == "Agenda"
    assert taxonomy.names("en")["event"] == "Event"
    assert taxonomy.names("en")["blog"] == "Blog post"
    # a label moves between a kind of item and a topic too
    moved = load_taxonomy({"multilateralism": {"labels": ["Media advisory"]}, "news": {"labels": ["Multilatéralisme"]}})
    assert moved.classify("Media advisory") == "multilateralism"
    assert moved.classify("Multilatéralisme") == "news"
    # the shipped taxonomy is unchanged
    assert TAXONOMY.classify("Media advisory") == "press-release"
    assert load_taxonomy(None) is TAXONOMY


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"categories": []}, "must be a table"),
        ({"categories": {"Press Release": {}}}, "a slug is lower-case"),
        ({"categories": {"news": ["News"]}}, "must be a table"),
        ({"categories": {"news": {"label": ["x"]}}}, "unknown key"),
        ({"categories": {"news": {"labels": "News"}}}, "'labels' must be a list"),
        ({"categories": {"news": {"patterns": [""]}}}, "'patterns' must be a list"),
        ({"categories": {"news": {"name": ""}}}, "'name' must be a non-empty string"),
        ({"categories": {"news": {"names": {"fr": 3}}}}, "'names' must map"),
        ({"categories": {"news": {"topic": "yes"}}}, "'topic' must be true or false"),
        ({"categories": {"news": {"formerly": "actualites"}}}, "'formerly' must be a list of slugs"),
        ({"categories": {"news": {"formerly": ["Actualités"]}}}, "'formerly' must be a list of slugs"),
        ({"categories": {"news": {"formerly": ["event"]}}}, "'event' is a category and another one's former"),
    ],
)
def test_bad_overrides_are_config_errors(overrides, message):
    with pytest.raises(ConfigError, match=message):
        load_taxonomy(overrides)


def test_fold_label_and_slugify():
    assert fold_label("  Communiqué  de PRESSE ") == "communique de presse"
    assert fold_label("Note d’orientation") == fold_label("note d'orientation") == "note d orientation"
    assert slugify("Communiqué de presse") == "communique-de-presse"
    assert slugify("Joint ILO-UNICEF report") == "joint-ilo-unicef-report"
    assert slugify("???") == "other"
    # Another script: a slug of its own (Punycode), the same for the same label, another for another.
    assert slugify("Новость") == slugify(" новость ") == "x-b1avdbpg4e"
    assert slugify("Многосторонность") != slugify("عمل وعمال") != slugify("新闻稿")
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slugify(label)) for label in ("عمل وعمال", "新闻稿", "٢٠٢٣"))


def _word_pattern(phrase: str) -> re.Pattern[str]:
    """How patterns were matched before: a regular expression per phrase."""
    words = r"\s+".join(re.escape(word) for word in fold_label(phrase).split())
    return re.compile(rf"(?<!\w){words}s?(?!\w)")


_label_text = st.text(st.sampled_from("abs sé É-_.'1\t\u00a0\u0301ßİ"), max_size=16)


@settings(max_examples=500)
@given(phrase=_label_text.filter(fold_label), label=_label_text)
@example(phrase="webinar", label="Global webinars series")
@example(phrase="webinar", label="webinarss")
@example(phrase="a b", label="x a  b-s")
def test_a_pattern_matches_as_its_word_regex_did(phrase, label):
    folded = fold_label(label)
    assert _phrase_in(fold_label(phrase), folded) == bool(_word_pattern(phrase).search(folded))


def test_a_label_classified_again_gets_the_same_slug_and_notice(caplog):
    taxonomy = load_taxonomy({"blog": {"labels": ["Blog"], "patterns": ["carnet"]}})
    labels = ["Blog", "Mon carnet", "Zine"]
    with caplog.at_level(logging.INFO, logger="spfeed.categories"):
        first = [taxonomy.classify(label) for label in labels]
        again = [taxonomy.classify(label) for label in labels]
    assert first == again == ["blog", "blog", "zine"]
    assert caplog.text.count("'Zine' is not in the taxonomy") == 2


def test_the_slugs_a_taxonomy_remembers_are_no_part_of_its_value():
    used, fresh = load_taxonomy(), load_taxonomy()
    before = repr(used)
    assert used.classify("Zine du mois") == "zine-du-mois"
    assert ("Zine du mois", None) in used._found  # remembered...
    assert used == fresh and repr(used) == before  # ...but neither compared nor shown


# --- A user's [categories] in the config file --------------------------------

MEETINGS = '''
[categories.world-bank-imf-meetings]
name = "World Bank and IMF meetings"
names = { fr = "Assemblées de la Banque mondiale et du FMI", es = "Reuniones del Banco Mundial y el FMI" }
labels = [
    "Annual Meetings of the World Bank and the IMF",
    "Assemblées annuelles de la Banque mondiale et du FMI",
    "Reuniones Anuales del Banco Mundial y el FMI",
]
topic = true
formerly = ["assemblees-annuelles-de-la-banque-mondiale-et-du-fmi", "reuniones-anuales-del-banco-mundial-y-el-fmi"]
'''
"""README's example ("Categories"): one story's label on the English, French and Spanish pages."""


def test_the_readmes_example_is_the_one_tested_here():
    readme = (FIXTURES.parent / "README.md").read_text("utf-8")
    block = readme.split("```toml\n[categories.world-bank-imf-meetings]", 1)[1].split("```", 1)[0]
    assert tomllib.loads("[categories.world-bank-imf-meetings]" + block) == tomllib.loads(MEETINGS)


def three_pages_config(tmp_path: Path, extra: str) -> Path:
    lines = [f'out_dir = "{tmp_path / "feeds"}"', f'store = "{tmp_path / "spfeed.sqlite"}"']
    for lang in ("en", "fr", "es"):
        page = FIXTURES / f"ilo-legacy-department.{lang}.html"
        lines += ["[[source]]", f'url = "{page}"', f'language = "{lang}"']
    path = tmp_path / "spfeed.toml"
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


def test_a_config_files_categories_merge_one_label_in_three_languages(tmp_path):
    config = load_config(three_pages_config(tmp_path, MEETINGS))
    run(config, now=NOW)
    out = tmp_path / "feeds/category"
    merged = feedparser.parse((out / "world-bank-imf-meetings.atom").read_bytes())
    assert sorted(e.id.rsplit("/", 2)[-2] for e in merged.entries) == ["lang--en", "lang--es", "lang--fr"]
    assert merged.feed.title.endswith(
        "(World Bank and IMF meetings / Assemblées de la Banque mondiale et du FMI"
        " / Reuniones del Banco Mundial y el FMI)"
    )
    # the French and Spanish labels' own feeds go on; the English story left the events
    for former in tomllib.loads(MEETINGS)["categories"]["world-bank-imf-meetings"]["formerly"]:
        assert len(feedparser.parse((out / f"{former}.atom").read_bytes()).entries) == 1
    events = feedparser.parse((out / "event.atom").read_bytes())
    assert "WCMS_858419" not in " ".join(e.id for e in events.entries) and len(events.entries) == 6
    written = {path: path.read_bytes() for path in out.iterdir()}
    report = run(config, now=NOW)
    assert [source.outcome for source in report.sources] == ["not modified"] * 3
    assert {path: path.read_bytes() for path in out.iterdir()} == written


def test_a_mistake_in_the_config_files_categories_names_the_file_and_the_category(tmp_path):
    path = three_pages_config(tmp_path, '[categories.news]\nformerly = ["Actualités"]\n')
    with pytest.raises(ConfigError, match=r"spfeed\.toml: category 'news': 'formerly' must be a list of slugs"):
        load_config(path)
    path = three_pages_config(tmp_path, '[categories.blog]\nformerly = ["news"]\n')
    with pytest.raises(ConfigError, match="'news' is a category and another one's former slug"):
        load_config(path)


def test_the_example_configs_categories_uncommented_file_their_labels(tmp_path):
    block = EXAMPLE[EXAMPLE.index("# [categories.blog]") :]
    path = tmp_path / "spfeed.toml"
    path.write_text("\n".join(line.removeprefix("# ") for line in block.splitlines()), encoding="utf-8")
    taxonomy = config_taxonomy(load_config(path, env={}))
    assert [taxonomy.classify(label) for label in ("Blog", "Billet de blog", "Entrada de blog")] == ["blog"] * 3
    assert taxonomy.names("fr")["blog"] == "Billet de blog"
