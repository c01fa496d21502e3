"""Hostile pages: whatever a page holds, the refresh publishes well-formed, inert
feeds or fails with one clear error, leaving the previous output as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree, html

from spfeed.config import Config, Source
from spfeed.errors import SpfeedError
from spfeed.pipeline import run

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<link rel="canonical" href="https://www.ilo.org/secsoc/lang--en/index.htm"><title>t</title></head>
<body><div class="whatsNew"><ol class="itemList">{items}</ol></div></body></html>"""
ITEM = """<li class="item">{image}<p class="kicker">{label}</p>
<h3 class="title"><a href="{href}">{title}</a></h3>
<p class="date">{date}</p><p class="teaser">{summary}</p></li>"""


def item(title: str = "A title", href: str = "/news/a", summary: str = "A summary", label: str = "News",
         date: str = "1 May 2023", image: str = "") -> str:
    return ITEM.format(title=title, href=href, summary=summary, label=label, date=date, image=image)


def page(*items: str) -> str:
    return PAGE.format(items="".join(items))


def refresh(tmp_path: Path, text: str | bytes, name: str = "page.html") -> Path:
    source = tmp_path / name
    source.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    out = tmp_path / "feeds"
    config = Config(
        sources=(Source(location=str(source)),),
        out_dir=out,
        store=tmp_path / "spfeed.sqlite",
        public_url="https://feeds.example.org/",
    )
    run(config)
    return out


def published(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def assert_inert(out: Path) -> None:
    """Every file parses, and nothing in it could run in a reader or a browser."""
    for name, data in published(out).items():
        if name.endswith((".xml", ".atom", ".rss", ".opml", ".xsl")):
            doc = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
            elements = list(doc.iter())
        elif name.endswith(".json"):
            json.loads(data)
            text = data.decode("utf-8").lower()
            assert "javascript:" not in text and "<script" not in text, name
            continue
        elif name.endswith(".html"):
            doc = html.fromstring(data)
            elements = list(doc.iter())
        else:
            continue
        for element in elements:
            if not isinstance(element.tag, str):
                continue
            local = etree.QName(element).localname.lower()
            assert local not in ("script", "iframe", "object", "embed"), (name, local)
            for attribute, value in element.attrib.items():
                assert not etree.QName(attribute).localname.lower().startswith("on"), (name, attribute)
                assert not value.strip().lower().startswith(("javascript:", "data:text")), (name, value)


INJECTIONS = [
    pytest.param(item(title="<script>alert(1)</script>Pensions now"), "Pensions now", id="script-in-title"),
    pytest.param(item(title='<img src=x onerror="alert(1)">Floors'), "Floors", id="onerror-in-title"),
    pytest.param(item(summary='<iframe src="https://evil.example"></iframe>Read this'), "A title", id="iframe"),
    pytest.param(item(summary='<a href="javascript:alert(1)" onclick="x()">click</a> now'), "A title", id="js-link"),
    pytest.param(item(title="Ends ]]&gt; and &lt;script&gt;alert(1)&lt;/script&gt;"), "Ends", id="cdata-end-entities"),
    pytest.param(item(title="&amp;lt;script&amp;gt; double"), "double", id="double-encoded"),
    pytest.param(item(label='<svg onload="alert(1)">News</svg>'), "A title", id="svg-onload-label"),
    pytest.param(item(image='<div class="image"><img src="javascript:alert(1)"></div>'), "A title", id="js-image"),
    pytest.param(item(image='<div class="image"><img src="data:image/svg+xml,&lt;svg onload=alert(1)&gt;"></div>'),
                 "A title", id="data-image"),
]


@pytest.mark.parametrize(("block", "expected_title"), INJECTIONS)
def test_injection_never_reaches_any_output(tmp_path, block, expected_title):
    out = refresh(tmp_path, page(block, item(title="Second", href="/news/b")))
    assert_inert(out)
    atom = (out / "atom.xml").read_text("utf-8")
    assert expected_title in atom


@pytest.mark.parametrize("href", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:x",
                                  "ftp://ilo.org/a", "mailto:a@ilo.org"])
def test_items_whose_link_is_not_http_are_left_out(tmp_path, href):
    out = refresh(tmp_path, page(item(title="Bad", href=href), item(title="Good", href="/news/good")))
    entries = etree.fromstring((out / "atom.xml").read_bytes()).findall("{http://www.w3.org/2005/Atom}entry")
    assert [e.findtext("{http://www.w3.org/2005/Atom}title") for e in entries] == ["Good"]


def test_rss_description_shows_special_characters_as_text(tmp_path):
    out = refresh(tmp_path, page(item(summary="Coverage &lt; 50% &amp; rising &lt;3")))
    description = etree.fromstring((out / "rss.xml").read_bytes()).findtext("channel/item/description")
    # an RSS reader decodes the description as HTML: the text must come out as written
    assert html.fromstring(f"<div>{description}</div>").text_content() == "Coverage < 50% & rising <3"


def test_control_characters_and_lone_surrogates_are_stripped(tmp_path):
    raw = page(item(title="Bad\x01\x08 title\x1b here", summary="x\x0cy")).encode("utf-8")
    raw = raw.replace(b"here", b"here \xed\xa0\x80")  # a lone surrogate, as invalid UTF-8
    out = refresh(tmp_path, raw)
    assert_inert(out)
    assert "Bad title here" in (out / "atom.xml").read_text("utf-8")


def test_ten_thousand_character_title_is_shortened(tmp_path):
    out = refresh(tmp_path, page(item(title="Social protection " * 560)))
    title = etree.fromstring((out / "atom.xml").read_bytes()).findtext(
        "{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}title")
    assert 0 < len(title) <= 500 and title.endswith("…")


def test_thousands_of_items(tmp_path):
    items = [item(title=f"Item {n}", href=f"/news/{n}", date=f"{1 + n % 28} May 2023") for n in range(3000)]
    out = refresh(tmp_path, page(*items))
    assert_inert(out)
    entries = etree.fromstring((out / "atom.xml").read_bytes()).findall("{http://www.w3.org/2005/Atom}entry")
    assert 0 < len(entries) <= 3000


def test_deeply_nested_markup(tmp_path):
    deep = "<div>" * 5000 + "deep" + "</div>" * 5000
    out = refresh(tmp_path, page(item(summary=deep + " summary"), item(title="Second", href="/news/b")))
    assert_inert(out)


def test_malformed_html_unclosed_and_stray_tags(tmp_path):
    broken = page(
        '<li class="item"><h3 class="title"><a href="/news/a">Unclosed <b>bold</h3>'
        '<p class="date">1 May 2023</span></em><p class="teaser">never closed',
        item(title="Second", href="/news/b"),
    )
    out = refresh(tmp_path, broken)
    assert_inert(out)
    assert "Second" in (out / "atom.xml").read_text("utf-8")


def test_windows_1252_page_without_declaration(tmp_path):
    text = page(item(title="\u201cFloors\u201d for all \u2013 ILO\u2019s call")).replace('<meta charset="utf-8">', "")
    out = refresh(tmp_path, text.encode("windows-1252"))
    assert "\u201cFloors\u201d for all \u2013 ILO\u2019s call" in (out / "atom.xml").read_text("utf-8")


def test_meta_charset_wrong_but_bom_present(tmp_path):
    text = page(item(title="Protección social")).replace('charset="utf-8"', 'charset="windows-1252"')
    out = refresh(tmp_path, b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert "Protección social" in (out / "atom.xml").read_text("utf-8")


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"%PDF-1.7 binary", id="not-html"),
        pytest.param(b"<html><body><p>Under maintenance</p></body></html>", id="maintenance-page"),
        pytest.param(PAGE.format(items="").encode(), id="empty-listing"),
    ],
)
def test_a_page_with_no_items_fails_and_keeps_the_previous_output(tmp_path, body):
    out = refresh(tmp_path, page(item()))
    before = published(out)
    with pytest.raises(SpfeedError):
        refresh(tmp_path, body)
    assert published(out) == before


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("index.html", b"<html><body><script>alert(1)</script></body></html>"),
        ("index.html", b'<html><body><img src="x" onerror="alert(1)"></body></html>'),
        ("atom.xml", b'<feed><link href="javascript:alert(1)"/></feed>'),
        ("feed.json", b'{"items": [{"url": "javascript:alert(1)"}]}'),
        ("rss.xml", b"<rss><channel><title>unclosed</channel></rss>"),
    ],
)
def test_the_inertness_check_itself_catches_bad_output(tmp_path, name, data):
    (tmp_path / name).write_bytes(data)
    with pytest.raises((AssertionError, etree.XMLSyntaxError)):
        assert_inert(tmp_path)
