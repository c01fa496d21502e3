from __future__ import annotations

import logging
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from spfeed.categories import _phrase_in, default_taxonomy, fold_label, load_taxonomy, slugify
from spfeed.errors import ConfigError

TAXONOMY = default_taxonomy()


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
        assert TAXONOMY.classify("Multilateralism") == "multilateralism"
        assert TAXONOMY.classify("Protección social universal") == "proteccion-social-universal"
    assert "'Multilateralism' is not in the taxonomy" in caplog.text
    assert "proteccion-social-universal" in caplog.text


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
        ("Multilateralism", "Media advisory", "press-release"),
        ("Multilateralismo", "Comunicado de prensa", "press-release"),
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
