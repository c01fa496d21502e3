"""A small ilo.org for full-text tests and the benchmark: a listing of Design System
cards linking to the article fixtures (fixtures/articles/), a PDF, a page that
answers 404 and a maintenance page served in place of an article."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ARTICLES = Path(__file__).resolve().parent.parent / "fixtures" / "articles"
GENEVA = ZoneInfo("Europe/Zurich")


@dataclass(frozen=True)
class Listed:
    path: str
    title: str
    day: str
    """ISO date the listing shows (the card's UNIX seconds are its midnight in Geneva)."""
    label: str = "News"
    intro: str = "A teaser of two lines, as the department page shows it."


SITE = (
    Listed("/resource/news/new-ilo-report-social-protection-coverage-reaches-half-world",
           "New ILO report: social protection coverage reaches half the world", "2024-03-05"),
    Listed("/resource/news/why-universal-child-benefits-are-within-reach",
           "Why universal child benefits are within reach", "2023-06-12", label="Blog"),
    Listed("/resource/news/extending-social-security-to-migrant-workers",
           "Extending social security to migrant workers", "2023-11-08"),
    Listed("/resource/news/ilo-welcomes-g20-commitment", "ILO welcomes G20 commitment to extend social protection "
           "to all workers", "2021-06-24"),
    Listed("/resource/files/wspr-2024-executive-summary.pdf",
           "World Social Protection Report 2024-26: executive summary", "2024-03-04", label="Publication"),
    Listed("/resource/news/a-page-that-is-gone", "An article that is gone", "2024-02-01"),
    Listed("/resource/news/social-dialogue-under-maintenance", "Social dialogue and pensions reform", "2024-01-30"),
)
FILES = {
    SITE[0].path: ("ilo-current-article.en.html", "text/html; charset=utf-8"),
    SITE[1].path: ("byline-article.en.html", "text/html; charset=utf-8"),
    SITE[2].path: ("jsonld-article.en.html", "text/html; charset=utf-8"),
    SITE[3].path: ("ilo-legacy-article.en.html", "text/html; charset=utf-8"),
    SITE[4].path: ("wspr-2024-executive-summary.pdf", "application/pdf"),
    SITE[6].path: ("maintenance.html", "text/html; charset=utf-8"),
}
LISTING = "/universal-social-protection-department"


def card(entry: Listed) -> str:
    midnight = datetime.fromisoformat(entry.day).replace(tzinfo=GENEVA)
    title = html.escape(entry.title)
    return f"""
<div class="ilo--card ilo--card__type__detail ilo--card__size__standard ilo--card__theme__light">
  <a class="ilo--card--link" href="{entry.path}" title="{title}"><span class="ilo--card--link--text">{title}</span></a>
  <div class="ilo--card--wrap"><div class="ilo--card--content">
    <p class="ilo--card--eyebrow">{html.escape(entry.label)}</p>
    <p class="ilo--card--title">{title}</p>
    <p class="ilo--card--intro">{html.escape(entry.intro)}</p>
    <time class="ilo--card--date" datetime="{int(midnight.timestamp())}">{entry.day}</time>
  </div></div>
</div>"""


def listing(entries: tuple[Listed, ...] = SITE) -> bytes:
    cards = "".join(card(entry) for entry in entries)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Universal Social Protection Department'
        '</title></head><body><main><div class="ilo--cardgroup"><div class="ilo--cardgroup--cards">'
        f"{cards}</div></div></main></body></html>"
    ).encode()


def pages(entries: tuple[Listed, ...] = SITE) -> dict[str, tuple[bytes, str]]:
    """The site to serve: the listing and every fixture its cards link to."""
    site = {LISTING: (listing(entries), "text/html; charset=utf-8")}
    for entry in entries:
        if entry.path in FILES:
            name, content_type = FILES[entry.path]
            site[entry.path] = ((ARTICLES / name).read_bytes(), content_type)
    return site
