"""The full-text benchmark of issue 14 (not part of pytest): ratios within one run.

    .venv/bin/python benchmarks/fulltext.py [--pages 50] [--runs 5]

1. Per-article cost: spfeed's full text on ``--pages`` article pages served on
   127.0.0.1 (the fixtures of fixtures/articles/, cycled): fetch (through the
   pipeline's fetcher: robots.txt, the per-host delay set to 0, limits) +
   extract + store, per article, split by stage. Floors measured in the same
   run: a bare ``requests`` GET of the same pages on one session, and lxml
   parsing them.
2. Extraction alternatives on the article fixtures, side by side (timed in turn,
   round-robin, so the machine's other load falls on all alike): time per page,
   text kept and boilerplate left out, against readability-lxml as spfeed uses it.
   "Text kept" is the share of the sentences of each fixture's article body (the
   element its text was written in, scripts and embeds removed) found in the
   output; "boilerplate left out" the share of the fixture's navigation, share,
   related-news, cookie and form texts (tests/test_fulltext.py, BOILERPLATE) that
   are absent. Also whether ordered lists and figure captions survive.

Every timing is the median of ``--runs`` runs. trafilatura is not a dependency
of spfeed: install it into the venv to measure it (``pip install trafilatura``).
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.articles import ARTICLES, GENEVA  # noqa: E402
from tests.servers import serving_site  # noqa: E402
from tests.test_fulltext import BOILERPLATE, PAGES  # noqa: E402

# The element each fixture's article text was written in: the reference for "text kept".
BODIES = {
    "ilo-current-article.en.html": "div.ilo--richtext",
    "ilo-current-article.fr.html": "div.ilo--richtext",
    "ilo-current-article.es.html": "div.ilo--richtext",
    "ilo-legacy-article.en.html": "div.body",
    "byline-article.en.html": "div.entry-content",
    "jsonld-article.en.html": "div.text",
}


# ---------------------------------------------------------------------------
# 1. Per-article cost


def per_article(pages: int, runs: int) -> None:
    names = sorted(BODIES)
    site = {f"/news/{n}": ((ARTICLES / names[n % len(names)]).read_bytes(), "text/html; charset=utf-8")
            for n in range(pages)}
    rows: dict[str, list[float]] = {}
    with serving_site(site) as (base, _log):
        for _ in range(runs):
            for key, value in one_run(base, site, names).items():
                rows.setdefault(key, []).append(value)
    median = {key: statistics.median(values) for key, values in rows.items()}
    floor = median["floor: requests GET"] + median["floor: lxml parse"]
    print(f"### 1. Per-article cost: {pages} article pages from 127.0.0.1, median of {runs} runs\n")
    print("| | ms per article | × floor (GET + lxml parse) |")
    print("| --- | ---: | ---: |")
    for key in ("spfeed: fetch + extract + store", "  fetch (robots.txt, limits, decode)", "  extract",
                "  store (record + feed entries)", "floor: requests GET", "floor: lxml parse"):
        print(f"| {key.strip()} | {median[key] / pages * 1000:.2f} | {median[key] / floor:.2f} |")
    print()


def one_run(base: str, site: dict[str, tuple[bytes, str]], names: list[str]) -> dict[str, float]:
    import lxml.html
    import requests

    from spfeed import article, fulltext
    from spfeed.config import Config
    from spfeed.models import Item, When
    from spfeed.pipeline import _Fetcher
    from spfeed.state import State
    from spfeed.store import Store, content_hash

    now = datetime.now(UTC).replace(microsecond=0)
    candidates = []
    for n, path in enumerate(site):
        title = PAGES[names[n % len(names)]][1]
        item = Item(id=base + path, title=title, url=base + path,
                    published=When(start=datetime(2024, 3, 5, tzinfo=GENEVA)))
        candidates.append(fulltext.Candidate(item, content_hash(item), GENEVA))
    spent = {"fetch": 0.0, "extract": 0.0}

    def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - start

        return wrapper

    with tempfile.TemporaryDirectory() as folder:
        store_path = Path(folder) / "spfeed.sqlite"
        fetcher = _Fetcher(Config(delay=0.0, store=store_path), None, lambda _: None, State(Path(folder) / "s.json"))
        fetcher.get = timed("fetch", fetcher.get)  # type: ignore[method-assign]
        original = article.extract_article
        article.extract_article = timed("extract", original)
        try:
            start = time.perf_counter()
            report = fulltext.fetch(candidates, {}, fetcher, limit=len(candidates), now=now)
            with Store.open(store_path) as store, store.transaction():
                store.record_refresh([c.item for c in candidates], location=base, page=_page(base, now), now=now)
                fulltext.record(store, report, now)
                entries = fulltext.with_articles(store, store.recent_entries(len(candidates)))
            total = time.perf_counter() - start
        finally:
            article.extract_article = original
        assert sum(1 for e in entries if e.content_html) == len(candidates), "every page must give its text"
    session = requests.Session()
    start = time.perf_counter()
    bodies = [session.get(base + path, timeout=10).content for path in site]
    get_floor = time.perf_counter() - start
    start = time.perf_counter()
    for body in bodies:
        lxml.html.document_fromstring(body)
    parse_floor = time.perf_counter() - start
    return {
        "spfeed: fetch + extract + store": total,
        "  fetch (robots.txt, limits, decode)": spent["fetch"],
        "  extract": spent["extract"],
        "  store (record + feed entries)": total - spent["fetch"] - spent["extract"],
        "floor: requests GET": get_floor,
        "floor: lxml parse": parse_floor,
    }


def _page(url: str, now: datetime) -> Any:
    from spfeed.models import Page

    return Page(url=url, text="", fetched_at=now, body_hash="listing")


# ---------------------------------------------------------------------------
# 2. Extraction alternatives


def alternatives(runs: int) -> None:
    methods = {
        "spfeed (readability-lxml + clean-up + metadata)": spfeed_article,
        "readability-lxml alone": readability_alone,
    }
    try:
        import trafilatura  # noqa: F401

        methods["trafilatura (html, links, images, formatting)"] = trafilatura_html
        methods["trafilatura (favor_precision)"] = trafilatura_precise
    except ImportError:
        print("(trafilatura is not installed: pip install trafilatura to measure it)\n")
    pages = {name: (ARTICLES / name).read_text(encoding="utf-8") for name in BODIES}
    # Round-robin (each run times every method on every page in turn), so that
    # the other load on the machine falls on all methods alike.
    timings: dict[tuple[str, str], list[float]] = {(label, name): [] for label in methods for name in pages}
    outputs = {
        (label, name): method(html, PAGES[name][0]) for label, method in methods.items() for name, html in pages.items()
    }
    for _ in range(runs):
        for name, html in pages.items():
            for label, method in methods.items():
                start = time.perf_counter()
                method(html, PAGES[name][0])
                timings[label, name].append(time.perf_counter() - start)
    results: dict[str, dict[str, Any]] = {}
    for label in methods:
        kept, left_out, ordered, captions = [], [], 0, 0
        for name, html in pages.items():
            output = outputs[label, name]
            reference = sentences(body_text(html, BODIES[name]))
            text = plain(output)
            kept.append(sum(1 for s in reference if s in text) / len(reference))
            left_out.append(sum(1 for b in BOILERPLATE[name] if b not in output) / len(BOILERPLATE[name]))
            ordered += int("<ol" in output)
            captions += int("<figcaption" in output)
        results[label] = {
            "ms": statistics.mean(statistics.median(timings[label, name]) for name in pages) * 1000,
            "kept": statistics.mean(kept) * 100,
            "left_out": statistics.mean(left_out) * 100,
            "ordered": ordered,
            "captions": captions,
        }
    base = results["spfeed (readability-lxml + clean-up + metadata)"]["ms"]
    print(f"### 2. Extraction on the {len(pages)} article fixtures (mean of per-page medians of {runs} runs)\n")
    print(
        "| method | ms per page | × spfeed | text kept | boilerplate left out "
        "| `<ol>` kept (1 page has one) | `<figcaption>` kept (2 pages have one) |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, row in results.items():
        print(
            f"| {label} | {row['ms']:.1f} | {row['ms'] / base:.2f} | {row['kept']:.0f} % | {row['left_out']:.0f} % "
            f"| {row['ordered']} | {row['captions']} |"
        )
    print()
    print("Cold import, ms (median of fresh processes):\n")
    print("| import | ms |")
    print("| --- | ---: |")
    for module in ("readability", "trafilatura"):
        print(f"| {module} | {import_ms(module, runs)} |")
    print()


def spfeed_article(html: str, url: str) -> str:
    from spfeed.article import extract_article

    return extract_article(html, url).content_html


def readability_alone(html: str, url: str) -> str:
    from readability import Document

    return str(Document(html, url=url).summary(html_partial=True))


def trafilatura_html(html: str, url: str) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url, output_format="html", include_links=True, include_images=True,
                               include_formatting=True) or ""


def trafilatura_precise(html: str, url: str) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url, output_format="html", include_links=True, include_images=True,
                               include_formatting=True, favor_precision=True) or ""


def body_text(html: str, selector: str) -> str:
    import lxml.html

    tree = lxml.html.document_fromstring(html)
    body = tree.cssselect(selector)[0]
    for element in list(body.iter("script", "iframe", "style")):
        element.drop_tree()
    return str(body.text_content())


def plain(html: str) -> str:
    import lxml.html

    if not html.strip():
        return ""
    return " ".join(str(lxml.html.fragment_fromstring(html, create_parent="div").text_content()).split())


def sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?»”:;])\s+", " ".join(text.split()))
    return [part for part in parts if len(part) > 20]


def import_ms(module: str, runs: int) -> str:
    timings = []
    for _ in range(runs):
        try:
            code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        except subprocess.CalledProcessError:
            return "not installed"
        timings.append(float(out.stdout))
    return f"{statistics.median(timings) * 1000:.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    per_article(args.pages, args.runs)
    alternatives(args.runs)


if __name__ == "__main__":
    main()
