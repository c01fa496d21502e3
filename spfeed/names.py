"""What the feeds are called, in the language of their page.

A feed reader's subscription list and the index show a feed by its title:
three sources in three languages must not be three "… news". A source's
configured ``title`` wins; else the department's name in the source's
language (where spfeed knows it) with that language named in itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from .config import DEFAULT_LANGUAGE, DEFAULT_TITLE, Source

DEPARTMENT_TITLES = {
    "en": DEFAULT_TITLE,
    "fr": "OIT, Département de la protection sociale universelle : actualités",
    "es": "OIT, Departamento de Protección Social Universal: noticias",
}
"""The department's news, by language (also the example titles of ``spfeed init``)."""

LANGUAGE_NAMES = {"en": "English", "fr": "français", "es": "español"}
"""Each language's name in itself (CLDR); another language is shown by its code."""

SUBTITLES = {
    "en": "News, events and press releases from {page}",
    "fr": "Actualités, événements et communiqués de presse de {page}",
    "es": "Noticias, eventos y comunicados de prensa de {page}",
}


def source_label(source: Source, sources: Sequence[Source]) -> str:
    """What tells this source from the others: its language ("français"), and its
    name too when another source has the same language. The sources' languages are
    those of their feeds (the pipeline gives a source without one its page's)."""
    code = source.language or DEFAULT_LANGUAGE
    language = LANGUAGE_NAMES.get(code, code)
    if sum((other.language or DEFAULT_LANGUAGE) == code for other in sources) > 1:
        return f"{language}: {source.name}"
    return language


def source_title(source: Source, sources: Sequence[Source]) -> str:
    """The source's feed title: its configured one, else the department's name in its
    language, with the language said when there are several sources."""
    if source.title:
        return source.title
    title = DEPARTMENT_TITLES.get(source.language or DEFAULT_LANGUAGE, DEFAULT_TITLE)
    return f"{title} ({source_label(source, sources)})" if len(sources) > 1 else title


def subtitle(language: str, page: str) -> str:
    return SUBTITLES.get(language, SUBTITLES["en"]).format(page=page)
