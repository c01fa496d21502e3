"""The generality corpus: listing pages shaped unlike our fixtures, with golden items.

``fixtures/corpus/manifest.toml`` lists each shape (file, language, base URL,
what is special about it); its golden items are ``<file stem>.items.json``
beside it, written by hand from the page. The held-out sets
(``fixtures/corpus-holdout/``, ``corpus-holdout-2/``, ...; ``HELD_OUT_SETS``, in
the order they were written) are more pages in the same format, each written
without sight of the fallback rules of its day (from the fourth on, blind: by
someone who had not read the fallback), scored once unseen, and then, all but
the last ones, fixed against; docs/generality.md tells each one's story.
``extract`` reads a page as ``spfeed scrape --json --base-url URL PAGE`` does
(``--profile`` optional).
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spfeed.cli import item_json
from spfeed.config import Source
from spfeed.errors import ParseError
from spfeed.pipeline import scrape

from .fieldscore import Score, score

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
CORPUS = FIXTURES / "corpus"
HELD_OUT_SETS = {
    name: FIXTURES / f"corpus-{name}"
    for name in ("holdout", *(f"holdout-{n}" for n in range(2, 15)))
}
"""Each held-out set's folder by its name (also its scorer flag: ``corpus_score.py --holdout-3``)."""


@dataclass(frozen=True)
class Shape:
    file: str
    language: str
    base_url: str
    special: str
    folder: Path = CORPUS

    @property
    def path(self) -> Path:
        return self.folder / self.file

    @property
    def golden_path(self) -> Path:
        return golden_path_of(self.path)


def golden_path_of(page: Path) -> Path:
    return page.with_name(page.name.removesuffix(".html") + ".items.json")


def load_shapes(folder: Path = CORPUS) -> list[Shape]:
    """The shapes that ``folder``'s manifest.toml lists (the corpus unless told)."""
    data = tomllib.loads((folder / "manifest.toml").read_text("utf-8"))
    return [Shape(**table, folder=folder) for table in data["shape"]]


def builtin_fixtures() -> list[Path]:
    """Every saved page under fixtures/ that has golden items."""
    return sorted(p for p in FIXTURES.glob("*.html") if golden_path_of(p).exists())


def load_golden(path: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(path.read_text("utf-8"))
    return rows


def extract(
    page: Path, *, base_url: str | None = None, language: str = "en", profile: str | None = None
) -> list[dict[str, Any]]:
    """The page's items in the ``scrape --json`` format; [] when spfeed finds none."""
    source = Source(location=str(page), base_url=base_url, language=language, profile=profile)
    try:
        result = scrape(source)
    except ParseError:
        return []
    return [item_json(item) for item in result.items]


def score_shape(shape: Shape) -> Score:
    found = extract(shape.path, base_url=shape.base_url, language=shape.language)
    return score(found, load_golden(shape.golden_path))


def score_builtin_with_fallback(page: Path) -> Score:
    """A built-in fixture read by the generic fallback, against the golden its profile matches."""
    return score(extract(page, profile="fallback"), load_golden(golden_path_of(page)))


def page_strings(page: Path, base_url: str) -> tuple[str, set[str]]:
    """The page's visible text (whitespace collapsed) and every URL it names, resolved.

    For checking a golden against its page: a title, label or summary a person
    copied from the page is in the text; a link or image is among the URLs.
    """
    from urllib.parse import urljoin

    from lxml import etree

    from spfeed.fetch import read_file

    root = etree.fromstring(read_file(page).text.encode("utf-8"), etree.HTMLParser(encoding="utf-8"))
    etree.strip_elements(root, "script", "style", "template", with_tail=False)
    text = " ".join("".join(str(t) for t in root.itertext()).split())
    urls = set()
    for element in root.iter():
        for attr in ("href", "src", "data-src", "srcset", "data-srcset"):
            value = element.get(attr)
            if not value:
                continue
            for candidate in value.split(",") if "srcset" in attr else [value]:
                if candidate.strip():
                    urls.add(urljoin(base_url, candidate.split()[0]))
    return text, urls
