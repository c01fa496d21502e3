"""Checks shared by the publish, pipeline and serve tests: what a strict validator asks."""

from __future__ import annotations

import json
import re
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

ATOM = "{http://www.w3.org/2005/Atom}"
MEDIA = "{http://search.yahoo.com/mrss/}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RFC822 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}"
    r" \d{2}:\d{2}:\d{2} [+-]\d{4}$"
)
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$")
DANGEROUS = ("<script", "&lt;script", "<iframe", "&lt;iframe", "<style", "&lt;style", "onerror", "javascript:")


def is_absolute(url: str | None) -> bool:
    parts = urlsplit(url or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def feed_files(out_dir: Path) -> dict[str, list[Path]]:
    files = sorted(p for p in Path(out_dir).rglob("*") if p.is_file())
    return {
        "atom": [p for p in files if p.suffix == ".atom" or p.name == "atom.xml"],
        "rss": [p for p in files if p.suffix == ".rss" or p.name == "rss.xml"],
        "json": [p for p in files if p.suffix == ".json"],
    }


def check_json_feed(data: bytes) -> dict[str, Any]:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1), the rules a reader relies on."""
    feed = json.loads(data)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(feed["title"], str) and feed["title"]
    assert is_absolute(feed["home_page_url"]) and is_absolute(feed["feed_url"])
    for author in feed["authors"]:
        assert author["name"] and is_absolute(author["url"])
    for hub in feed.get("hubs", []):
        assert set(hub) == {"type", "url"} and hub["type"] == "WebSub" and is_absolute(hub["url"])
    allowed = {"version", "title", "home_page_url", "feed_url", "description", "authors", "language", "hubs", "items"}
    assert set(feed) <= allowed
    ids = [item["id"] for item in feed["items"]]
    assert len(ids) == len(set(ids)), "duplicate item ids"
    for item in feed["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert "content_text" in item or "content_html" in item
        assert is_absolute(item["url"])
        if "image" in item:
            assert is_absolute(item["image"])
        for key in ("date_published", "date_modified"):
            if key in item:
                assert RFC3339.match(item[key]), item[key]
                assert datetime.fromisoformat(item[key]).tzinfo is not None
        assert isinstance(item.get("tags", []), list)
        for author in item.get("authors", []):
            assert isinstance(author["name"], str) and author["name"]
        for attachment in item.get("attachments", []):
            assert is_absolute(attachment["url"]) and "/" in attachment["mime_type"]
            assert isinstance(attachment.get("size_in_bytes", 1), int)
        assert set(item) <= {
            "id", "url", "title", "content_text", "content_html", "summary", "image",
            "date_published", "date_modified", "tags", "language", "authors", "attachments",
        }  # fmt: skip
    return feed


def check_atom(data: bytes, self_url: str, schema: etree.RelaxNG) -> etree._Element:
    doc = etree.fromstring(data)
    assert schema.validate(doc), schema.error_log
    assert doc.findtext(f"{ATOM}author/{ATOM}name")
    links = {link.get("rel"): link for link in doc.findall(f"{ATOM}link")}
    assert links["self"].get("href") == self_url
    assert links["self"].get("type") == "application/atom+xml"
    assert is_absolute(links["alternate"].get("href"))
    if "hub" in links:
        assert is_absolute(links["hub"].get("href"))
    ids = [e.findtext(f"{ATOM}id") for e in doc.iter(f"{ATOM}entry")]
    assert len(ids) == len(set(ids)), "duplicate entry ids"
    for entry in doc.iter(f"{ATOM}entry"):
        # the validator's "Missing textual content"
        assert entry.find(f"{ATOM}summary") is not None or entry.find(f"{ATOM}content") is not None
        alternate = [link for link in entry.findall(f"{ATOM}link") if link.get("rel") == "alternate"]
        assert len(alternate) == 1 and alternate[0].get("type") == "text/html"
        for link in entry.findall(f"{ATOM}link"):
            assert is_absolute(link.get("href")) and link.get("type")
        for construct in ("title", "summary"):
            element = entry.find(f"{ATOM}{construct}")
            if element is not None:
                assert element.get("type", "text") == "text" and len(element) == 0
                assert not re.search(r"</?[A-Za-z]", element.text or ""), element.text
    return doc


def check_rss(data: bytes, self_url: str, page_url: str | None = None) -> etree._Element:
    doc = etree.fromstring(data)
    assert doc.tag == "rss" and doc.get("version") == "2.0"
    assert doc.nsmap.get("atom") == "http://www.w3.org/2005/Atom"
    channel = doc.find("channel")
    if page_url:
        assert channel.findtext("link") == page_url
    assert is_absolute(channel.findtext("link")) and channel.findtext("link") != self_url
    self_link = channel.find(f"{ATOM}link")
    assert self_link.get("rel") == "self" and self_link.get("href") == self_url
    assert self_link.get("type") == "application/rss+xml"
    assert channel.findtext("docs") and channel.findtext("description")
    for date in [channel.findtext("lastBuildDate"), *(i.findtext("pubDate") for i in channel.iter("item"))]:
        if date is not None:
            assert RFC822.match(date), date
            assert parsedate_to_datetime(date).tzinfo is not None
    guids = [item.findtext("guid") for item in channel.iter("item")]
    assert len(guids) == len(set(guids)), "duplicate guids"
    for item in channel.iter("item"):
        guid = item.find("guid")
        assert guid.get("isPermaLink") == ("true" if is_absolute(guid.text) else "false")
        assert is_absolute(item.findtext("link"))
        enclosure = item.find("enclosure")
        if enclosure is not None:  # only with a real length (the validator rejects length="0")
            assert is_absolute(enclosure.get("url")) and "/" in (enclosure.get("type") or "")
            assert (enclosure.get("length") or "").isdigit() and int(enclosure.get("length")) > 0
        assert not re.search(r"</?[a-z]", item.findtext("title") or "")
    return doc


def stylesheet_href(data: bytes) -> str | None:
    doc = etree.fromstring(data)
    pi = doc.getprevious()
    while pi is not None and not isinstance(pi, etree._ProcessingInstruction):
        pi = pi.getprevious()
    return pi.get("href") if pi is not None and pi.target == "xml-stylesheet" else None


# --- The W3C Feed Validation Service's DuplicateUpdated ----------------------


def shared_updated(path: Path) -> list[str]:
    """What the W3C validator's DuplicateUpdated warning would say of the feed at ``path``.

    Its rule: within one feed, no two entries with the same ``updated``
    (Atom ``atom:updated``; JSON Feed's ``date_modified`` is held to it too).
    Checked on the instant as well as the text, so one moment spelled with
    two UTC offsets is a duplicate here. RSS items have no ``updated``.
    """
    return _duplicates(path, entry_updated(path) or [])


def _duplicates(path: Path, stamps: list[str]) -> list[str]:
    seen: dict[datetime, str] = {}
    problems = []
    for stamp in stamps:
        try:
            instant = datetime.fromisoformat(stamp)
        except ValueError:
            continue  # not RFC 3339: check_atom and check_json_feed say so
        if instant.tzinfo is None:
            continue  # likewise
        if instant in seen:
            problems.append(f"{path}: two entries share updated ({seen[instant]}, {stamp})")
        seen[instant] = stamp
    return problems


def entry_updated(path: Path) -> list[str] | None:
    """The ``updated`` of each entry of the Atom or JSON feed at ``path``; None if it is not one.

    Some tests break feeds on purpose: a file that does not parse is not a feed here.
    """
    try:
        data = path.read_bytes()
        if path.suffix == ".json":
            feed = json.loads(data)
            if not isinstance(feed, dict) or not str(feed.get("version", "")).startswith("https://jsonfeed.org/"):
                return None
            return [str(item.get("date_modified")) for item in feed.get("items", [])]
        doc = etree.fromstring(data)
    except (OSError, ValueError, AttributeError, etree.XMLSyntaxError):
        return None
    if doc.tag != f"{ATOM}feed":
        return None
    return [entry.findtext(f"{ATOM}updated") or "" for entry in doc.iter(f"{ATOM}entry")]


def shared_updated_under(root: Path) -> tuple[int, list[str]]:
    """The Atom and JSON feeds under ``root``: how many there are, and their DuplicateUpdated problems."""
    feeds, problems = 0, []
    for path in Path(root).rglob("*"):
        stamps = entry_updated(path) if path.suffix in (".atom", ".xml", ".json") and path.is_file() else None
        if stamps is not None:
            feeds += 1
            problems += _duplicates(path, stamps)
    return feeds, problems
