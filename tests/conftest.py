from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

# `pytest --hypothesis-profile=long`: the long property-fuzzing run of docs/reliability.md.
settings.register_profile("long", max_examples=5000, deadline=None)
# Hypothesis fails an example slower than 200 ms by default: a timing assertion, which
# a shared CI machine trips at random (speed is measured in benchmarks/, not here).
settings.register_profile("untimed", deadline=None)
settings.load_profile("untimed")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SCHEMAS = ROOT / "tests" / "schemas"
LEGACY_PAGE = FIXTURES / "ilo-legacy-department.en.html"
LEGACY_URL = "https://www.ilo.org/secsoc/lang--en/index.htm"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite golden files from the current output (then review the diff).",
    )


class Golden:
    """Compare output with a file kept next to its input; rewrite on request."""

    def __init__(self, update: bool) -> None:
        self.update = update

    def check_bytes(self, path: Path, actual: bytes) -> None:
        if self.update or not path.exists():
            if not self.update:
                pytest.fail(f"golden file {path.name} is missing: run pytest --update-golden")
            path.write_bytes(actual)
        assert actual == path.read_bytes(), f"output differs from {path.name}"

    def check_json(self, path: Path, actual: Any) -> None:
        text = json.dumps(actual, ensure_ascii=False, indent=2) + "\n"
        if self.update:
            path.write_text(text, encoding="utf-8")
        if not path.exists():
            pytest.fail(f"golden file {path.name} is missing: run pytest --update-golden")
        assert actual == json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Golden:
    return Golden(bool(request.config.getoption("--update-golden")))


@pytest.fixture(scope="session")
def atom_schema() -> Any:
    from lxml import etree

    return etree.RelaxNG(etree.parse(str(SCHEMAS / "atom.rng")))


# Every saved page, the profile that reads it, and how many items it holds.
# (file name, user profiles file or None, expected profile, expected items)
LAYOUT_FIXTURES = [
    ("ilo-legacy-department.en.html", None, "ilo-legacy", 7),
    ("ilo-legacy-department.fr.html", None, "ilo-legacy", 7),
    ("ilo-legacy-department.es.html", None, "ilo-legacy", 7),
    ("ilo-legacy-news.en.html", None, "ilo-legacy-archive", 20),
    ("ilo-legacy-news-page2.en.html", None, "ilo-legacy-archive", 12),
    ("ilo-legacy-news.fr.windows-1252.html", None, "ilo-legacy-archive", 5),
    ("ilo-legacy-news.es.html", None, "ilo-legacy-archive", 6),
    ("ilo-current-department.en.html", None, "ilo-current", 8),
    ("ilo-current-department.fr.html", None, "ilo-current", 8),
    ("ilo-current-department.es.html", None, "ilo-current", 8),
    ("ilo-legacy-department.malformed.html", None, "ilo-legacy", 3),
    ("other-layout.usp2030-blog.html", None, "fallback", 3),
    ("other-layout.platform-table.html", "other-layout.platform-table.profiles.toml", "platform-news", 3),
]
ARCHIVE_PAGE = FIXTURES / "ilo-legacy-news.en.html"
ARCHIVE_PAGE_2 = FIXTURES / "ilo-legacy-news-page2.en.html"
ARCHIVE_URL = "https://www.ilo.org/secsoc/information-resources/news/lang--en/index.htm"
ARCHIVE_URL_2 = "https://www.ilo.org/secsoc/information-resources/news/lang--en/nextRow--20/index.htm"
CURRENT_PAGE = FIXTURES / "ilo-current-department.en.html"
TABLE_PAGE = FIXTURES / "other-layout.platform-table.html"
TABLE_PROFILES = FIXTURES / "other-layout.platform-table.profiles.toml"
BLOG_PAGE = FIXTURES / "other-layout.usp2030-blog.html"
MALFORMED_PAGE = FIXTURES / "ilo-legacy-department.malformed.html"
CP1252_PAGE = FIXTURES / "ilo-legacy-news.fr.windows-1252.html"


# --- DuplicateUpdated on every feed the suite writes -------------------------

_SWEPT: list[int] = []
"""How many feeds the session sweep read, for the summary line."""


@pytest.fixture(autouse=True)
def no_two_entries_of_a_written_feed_share_updated(request: pytest.FixtureRequest) -> Any:
    """The W3C validator's DuplicateUpdated rule on every Atom and JSON feed a test
    wrote in its ``tmp_path`` (the session sweep below covers tmp_path_factory)."""
    from .feedcheck import shared_updated_under

    yield
    tmp_path = getattr(request.node, "funcargs", {}).get("tmp_path")
    if tmp_path is not None:
        _, problems = shared_updated_under(tmp_path)
        assert not problems, "DuplicateUpdated:\n" + "\n".join(problems)


@pytest.fixture(autouse=True, scope="session")
def no_two_entries_of_any_written_feed_share_updated(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The same rule, at the end, over everything the session wrote under its base
    temporary directory: the feeds of module fixtures (tmp_path_factory) too."""
    from .feedcheck import shared_updated_under

    yield
    feeds, problems = shared_updated_under(tmp_path_factory.getbasetemp())
    _SWEPT.append(feeds)
    assert not problems, "DuplicateUpdated:\n" + "\n".join(problems)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _SWEPT:
        terminalreporter.write_line(f"DuplicateUpdated rule: read {_SWEPT[0]} Atom and JSON feeds written by this run")


@pytest.fixture(autouse=True)
def no_store_in_the_working_directory() -> Any:
    """Fail a test that writes the default store (./spfeed.sqlite) where pytest runs.

    Tests must point Config.store / --store at their tmp_path.
    """
    default = Path("spfeed.sqlite")

    def stamp() -> tuple[bool, int]:
        return (default.exists(), default.stat().st_mtime_ns if default.exists() else 0)

    before = stamp()
    yield
    assert stamp() == before, "a test wrote ./spfeed.sqlite: give it a store in tmp_path"
