"""Write a department page (legacy ilo.org layout) with N items, for benchmarks.

    python benchmarks/make_page.py 2000 > /tmp/page-2000.html
    python benchmarks/make_page.py 2000 --unprofiled > /tmp/page-2000-fallback.html

With ``--unprofiled``, the same content in markup that no layout profile
detects (``unprofiled``), so spfeed reads it with its generic fallback.

Items are varied the way the real page varies them: with and without a
label, image and summary; single dates, ranges and timed events; and a
type prefix now and then. The output depends only on N and --offset, so
two runs compare like with like.
"""

from __future__ import annotations

import argparse
import html
import sys
from datetime import date, timedelta

LABELS = ["ILO Live", "News", "Joint ILO-UNICEF report", "Multilateralism", "Press release", "", "Webinar"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
SUMMARY = (
    "Thirteen million people in 24 countries have benefited from increased access to improved social "
    "protection systems through the programme funded by the European Union and implemented jointly by "
    "the ILO, UNICEF and the Global Coalition for Social Protection Floors."
)

HEAD = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Social Protection Department (SOCPRO)</title>
<link rel="canonical" href="https://www.ilo.org/secsoc/lang--en/index.htm"></head>
<body><div id="header"><ul id="mainNav">{nav}</ul></div>
<div id="content"><h1>Social Protection Department</h1>
<div class="whatsNew"><h2 class="blockTitle">What's new</h2><ol class="itemList">
"""
TAIL = """</ol></div></div><div id="footer"><p>Copyright 1996-2023 International Labour Organization</p></div>
</body></html>
"""


def date_text(n: int, day: date) -> str:
    text = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    if n % 11 == 0:
        end = day + timedelta(days=1)
        return f"{day.day}-{end.day} {MONTHS[end.month - 1]} {end.year}" if end.month == day.month else text
    if n % 13 == 0:
        return f"{text} at 09:00 (Europe/Zurich)"
    if n % 7 == 0:
        return f"Press release | {day.day:02d} {MONTHS[day.month - 1]} {day.year}"
    return text


def item(n: int) -> str:
    day = date(2023, 9, 17) - timedelta(days=n // 3)
    label = LABELS[n % len(LABELS)]
    parts = ['<li class="item">']
    if n % 3 == 0:
        parts.append(
            f'<div class="image"><a href="/global/news/WCMS_{800000 + n}/lang--en/index.htm">'
            f'<img src="/wcmsp5/groups/public/documents/image/wcms_{800000 + n}.jpg" alt=""></a>'
            '<span class="credit">© ILO/J. Doe</span></div>'
        )
    if label:
        parts.append(f'<p class="kicker">{html.escape(label)}</p>')
    parts.append(
        f'<h3 class="title"><a href="/global/news/WCMS_{800000 + n}/lang--en/index.htm">'
        f"Item {n}: social protection floors for all, report number {n}</a></h3>"
    )
    parts.append(f'<p class="date">{date_text(n, day)}</p>')
    if n % 5:
        parts.append(f'<p class="teaser">{SUMMARY} ({n})</p>')
    parts.append("</li>\n")
    return "".join(parts)


def make_page(count: int, offset: int = 0) -> str:
    nav = "".join(f'<li><a href="/global/section-{k}/lang--en/index.htm">Section {k}</a></li>' for k in range(12))
    items = "".join(item(n) for n in range(offset, offset + count))
    return HEAD.format(nav=nav) + items + TAIL


# The legacy listing's elements, and what they become in markup no profile knows:
# (tag, class) -> (new tag, new class or None).
_RESHAPED = {
    ("div", "whatsNew"): ("section", "latest"),
    ("h2", "blockTitle"): ("h1", None),
    ("ol", "itemList"): ("div", "stream"),
    ("li", "item"): ("article", None),
    ("div", "image"): ("figure", None),
    ("span", "credit"): ("figcaption", None),
    ("p", "kicker"): ("span", "tag"),
    ("h3", "title"): ("h2", None),
    ("p", "date"): ("time", None),
    ("p", "teaser"): ("p", None),
}


def unprofiled(page: str) -> str:
    """The page's content in markup no profile detects: the listing's elements
    renamed and their classes dropped (``_RESHAPED``), everything else as it was."""
    import lxml.html

    root = lxml.html.document_fromstring(page)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        new = _RESHAPED.get((element.tag, element.get("class", "")))
        if new:
            element.tag = new[0]
            if new[1]:
                element.set("class", new[1])
            else:
                del element.attrib["class"]
    return "<!DOCTYPE html>\n" + lxml.html.tostring(root, encoding="unicode")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("--offset", type=int, default=0, help="number of the first item (newest)")
    parser.add_argument("--unprofiled", action="store_true", help="in markup no layout profile detects")
    args = parser.parse_args()
    page = make_page(args.count, args.offset)
    sys.stdout.write(unprofiled(page) if args.unprofiled else page)


if __name__ == "__main__":
    main()
