"""What a person sees: headless Chromium against ``spfeed serve``.

Skipped where Chromium is not installed (Debian: ``apt-get install chromium``;
elsewhere set ``SPFEED_CHROMIUM`` to a Chrome or Chromium binary). The pages
are looked at through a probe page the test adds to the served directory: it
loads the page under test in a same-origin iframe and reports what is laid out
(sizes, computed display, the XSLT warning banner Chromium 156 puts into the
document), which ``--dump-dom`` then prints.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
import requests
from lxml import html
from msgspec.structs import replace

from spfeed.pipeline import run

from .test_pipeline import T0, three_language_config

CHROMIUM = os.environ.get("SPFEED_CHROMIUM") or shutil.which("chromium") or ""
pytestmark = pytest.mark.skipif(
    not os.access(CHROMIUM, os.X_OK),
    reason="needs Chromium to look at the pages in a real browser: apt-get install chromium "
    "(Debian), or set SPFEED_CHROMIUM to a Chrome or Chromium binary",
)

PROBE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"></head><body><pre id="out"></pre>
<iframe id="page" style="width:1000px;height:800px"></iframe>
<script>
const ATOM = "http://www.w3.org/2005/Atom";
const frame = document.getElementById("page");
frame.onload = () => {
  const d = frame.contentDocument, w = frame.contentWindow;
  const shown = (el) =>
    !!el && w.getComputedStyle(el).display !== "none" && el.getBoundingClientRect().height > 0;
  const isXml = d.contentType.endsWith("xml");
  const isRss = isXml && d.documentElement.localName === "rss";
  const entries = isRss
    ? [...d.getElementsByTagName("item")]
    : isXml
    ? [...d.getElementsByTagNameNS(ATOM, "entry")]
    : [...d.querySelectorAll("article, ol.latest li")];
  const titleOf = (el) =>
    isRss ? el.getElementsByTagName("title")[0]
    : isXml ? el.getElementsByTagNameNS(ATOM, "title")[0]
    : el.querySelector("h2 a, a");
  const head = isRss ? d.getElementsByTagName("channel")[0] : d.documentElement;
  const self = isXml
    ? [...head.children].find((el) => el.localName === "link" && el.getAttribute("rel") === "self")
    : null;
  document.getElementById("out").textContent = JSON.stringify({
    contentType: d.contentType,
    banner: !!d.querySelector("xslt-warning-banner") || /uses XSLT/.test(d.documentElement.textContent),
    entries: entries.map((el) => ({title: titleOf(el).textContent.trim(), shown: shown(el) && shown(titleOf(el))})),
    links: isXml ? [] : [...d.querySelectorAll("a[href]")].map((a) => a.href),
    alternates: [...d.querySelectorAll("link[rel=alternate]")].map((l) => l.href),
    subscribe: isXml ? null : (d.querySelector("input.subscribe") || {}).value || null,
    self: self ? {href: self.getAttribute("href"), shown: shown(self)} : null,
    dates: isXml ? [] : [...d.querySelectorAll(".when")].map((el) => ({
      text: w.getComputedStyle(el).display === "none" ? "" : el.innerText,
      machine: [...el.querySelectorAll("time")].map((time) => time.dateTime),
    })),
  });
};
frame.src = location.hash.slice(1);
</script></body></html>
"""


@dataclass(frozen=True)
class Site:
    url: str
    out: Path
    root: Path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("browser")
    out = root / "feeds"
    out.mkdir()
    log = root / "serve.log"
    with log.open("w") as handle:  # a file, not a pipe: a pipe nobody reads would block the server
        server = subprocess.Popen(
            [sys.executable, "-m", "spfeed", "serve", "--out", str(out), "--port", "0"],
            stdout=handle,
            stderr=subprocess.STDOUT,
            text=True,
        )
    try:
        found = None
        for _ in range(300):  # the first line says where it listens
            found = re.search(r"http://127\.0\.0\.1:\d+/", log.read_text())
            if found or server.poll() is not None:
                break
            time.sleep(0.05)
        assert found, log.read_text()
        url = found.group(0)
        config = replace(three_language_config(root), out_dir=out, public_url=url, store=root / "spfeed.sqlite")
        run(config, now=T0)
        (out / "probe.html").write_text(PROBE, encoding="utf-8")
        yield Site(url=url, out=out, root=root)
    finally:
        server.terminate()
        server.wait(timeout=10)


def look_at(site: Site, path: str) -> dict[str, Any]:
    """What Chromium lays out for ``path`` on the site (see PROBE)."""
    profile = tempfile.mkdtemp(prefix="chromium-", dir=site.root)
    result = subprocess.run(
        [
            str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={profile}", "--virtual-time-budget=10000",
            "--dump-dom", f"{site.url}probe.html#{path}",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )  # fmt: skip
    report = html.fromstring(result.stdout or "<p></p>").xpath("string(//pre[@id='out'])")
    assert report, f"Chromium printed no report for {path} (exit {result.returncode}): {result.stderr[-2000:]}"
    seen: dict[str, Any] = json.loads(report)
    return seen


def assert_links_work(site: Site, links: list[str]) -> None:
    """Every link into the site answers 200; the others are the articles' absolute https addresses."""
    local = {link.split("#")[0] for link in links if link.startswith(site.url)}
    assert local
    for link in sorted(local):
        assert requests.get(link, timeout=10).status_code == 200, link
    for link in links:
        if not link.startswith(site.url):
            assert urlsplit(link).scheme == "https" and urlsplit(link).netloc.endswith("ilo.org"), link


def test_index_shows_every_feed_page_and_the_latest_items_with_working_links(site: Site) -> None:
    seen = look_at(site, "index.html")
    assert not seen["banner"] and seen["contentType"] == "text/html"
    assert len(seen["entries"]) == 20 and all(entry["shown"] for entry in seen["entries"])
    for page in ("feed.html", "source/en.html", "source/fr.html", "source/es.html", "category/event.html"):
        assert urljoin(site.url, page) in seen["links"]
    assert_links_work(site, seen["links"])


def test_a_feed_page_shows_its_entries_and_the_address_to_subscribe(site: Site) -> None:
    seen = look_at(site, "source/fr.html")
    feed = feedparser.parse((site.out / "source" / "fr.atom").read_bytes())
    assert not seen["banner"] and seen["contentType"] == "text/html"
    assert [entry["title"] for entry in seen["entries"]] == [e.title for e in feed.entries]
    assert len(feed.entries) == 7 and all(entry["shown"] for entry in seen["entries"])
    assert seen["subscribe"] == urljoin(site.url, "source/fr.atom")
    assert urljoin(site.url, "source/fr.atom") in seen["alternates"]
    assert {e.link for e in feed.entries} <= set(seen["links"])
    assert_links_work(site, seen["links"] + seen["alternates"])


@pytest.mark.parametrize(
    ("path", "first"),
    [
        ("source/en.html", ["17 September 2023", "27–28 June 2023", "24 March 2023, 09:00 UTC+01:00"]),
        ("source/fr.html", ["17 septembre 2023", "27–28 juin 2023", "24 mars 2023, 09:00 UTC+01:00"]),
        ("source/es.html",
         ["17 de septiembre de 2023", "27–28 de junio de 2023", "24 de marzo de 2023, 9:00 UTC+01:00"]),
    ],
)  # fmt: skip
def test_a_feed_page_shows_a_day_as_a_date_a_range_as_one_and_a_time_with_its_zone(
    site: Site, path: str, first: list[str]
) -> None:
    seen = look_at(site, path)
    assert [date["text"] for date in seen["dates"][:3]] == first
    assert [date["machine"] for date in seen["dates"][:3]] == [
        ["2023-09-17"], ["2023-06-27", "2023-06-28"], ["2023-03-24T09:00:00+01:00"]
    ]
    assert len(seen["dates"]) == 7 and not any("T00:00" in date["text"] for date in seen["dates"])


@pytest.mark.parametrize(
    ("path", "entries"), [("atom.xml", 21), ("source/fr.atom", 7), ("category/event.atom", 7), ("rss.xml", 21)]
)
def test_a_feed_reads_as_a_page_without_xslt(site: Site, path: str, entries: int) -> None:
    seen = look_at(site, path)
    # served to a browser as XML, styled by feed.css: no XSLT warning banner, no tag soup
    assert not seen["banner"] and seen["contentType"] == "application/xml"
    assert len(seen["entries"]) == entries and all(entry["shown"] for entry in seen["entries"])
    assert seen["self"] == {"href": urljoin(site.url, path), "shown": True}
