"""The command line: flags -> Config -> pipeline; errors -> exit codes.

Exit codes: 0 success (whether or not anything changed), 1 a spfeed error
(one line on stderr), 2 a usage error.
"""

from __future__ import annotations

import json
import logging
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any, NoReturn

import click

from . import __version__
from .config import (
    DEFAULT_LOCK_TIMEOUT,
    DEFAULT_MAX_ITEMS,
    DEFAULT_OUT_DIR,
    DEFAULT_PUBLIC_URL,
    DEFAULT_SOURCE_URL,
    DEFAULT_STORE_PATH,
    Config,
    Source,
)
from .errors import SpfeedError


def _fail(error: SpfeedError) -> NoReturn:
    click.echo(f"spfeed: error: {error}", err=True)
    sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="spfeed")
@click.option("-v", "--verbose", is_flag=True, help="Log warnings and details to stderr.")
def main(verbose: bool) -> None:
    """Atom and RSS feeds of the ILO Social Protection Department's news."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.ERROR,
        format="spfeed: %(levelname)s: %(message)s",
    )


@main.command()
@click.option(
    "--source",
    default=DEFAULT_SOURCE_URL,
    show_default=True,
    metavar="URL|PATH",
    help="The department page: an http(s) URL, or a saved HTML file.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_OUT_DIR,
    show_default=True,
    help="Directory to write atom.xml and rss.xml into.",
)
@click.option("--base-url", metavar="URL", help="For a saved file: where its relative links point from.")
@click.option(
    "--public-url",
    default=DEFAULT_PUBLIC_URL,
    show_default=True,
    metavar="URL",
    help="Where the output directory is served; the feeds' self links point there.",
)
@click.option("--profile", metavar="NAME", help="Layout profile to use instead of detecting one.")
@click.option(
    "--store",
    "store_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_STORE_PATH,
    show_default=True,
    help="The history database (SQLite), created on first use. Not inside --out: that is served.",
)
@click.option(
    "--max-items",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_ITEMS,
    show_default=True,
    help="How many of the newest items the feeds show.",
)
@click.option(
    "--retain-days",
    type=click.IntRange(min=1),
    metavar="DAYS",
    help="Forget items that left the page more than DAYS ago. [default: keep everything]",
)
@click.option(
    "--lock-timeout",
    type=click.FloatRange(min=0),
    default=DEFAULT_LOCK_TIMEOUT,
    show_default=True,
    metavar="SECONDS",
    help="How long to wait for another refresh on the same store before giving up.",
)
def refresh(
    source: str,
    out_dir: Path,
    base_url: str | None,
    public_url: str,
    profile: str | None,
    store_path: Path,
    max_items: int,
    retain_days: int | None,
    lock_timeout: float,
) -> None:
    """Fetch the page, record its items in the store and write the feeds (atom.xml, rss.xml)."""
    from .pipeline import run

    config = Config(
        sources=(replace(Source(), location=source, base_url=base_url, profile=profile),),
        out_dir=out_dir,
        public_url=public_url,
        store=store_path,
        max_items=max_items,
        retain_days=retain_days,
        lock_timeout=lock_timeout,
    )
    try:
        report = run(config)
    except SpfeedError as e:
        _fail(e)
    changes = report.changes
    changed = len(report.written.changed)
    state = f"{changed} file(s) rewritten" if changed else "unchanged"
    click.echo(
        f"{report.items} items from {report.source} (layout {report.profile}): "
        f"{changes.new} new, {changes.updated} updated, {changes.gone} gone; "
        f"{changes.stored} in {report.store}; "
        f"wrote {report.out_dir / 'atom.xml'} and {report.out_dir / 'rss.xml'} "
        f"with {report.shown} items ({state})"
    )


@main.command()
@click.argument("source", metavar="SOURCE")
@click.option("--base-url", metavar="URL", help="For a saved file: where its relative links point from.")
@click.option("--profile", metavar="NAME", help="Layout profile to use instead of detecting one.")
@click.option("--json", "as_json", is_flag=True, help="Print the items as a JSON array.")
def scrape(source: str, base_url: str | None, profile: str | None, as_json: bool) -> None:
    """Print the items found on SOURCE (a URL or a saved HTML file)."""
    from .pipeline import scrape as run_scrape

    try:
        result = run_scrape(replace(Source(), location=source, base_url=base_url, profile=profile))
    except SpfeedError as e:
        _fail(e)
    rows = [item_json(item) for item in result.items]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row['published'] or '-':<26} {row['category'] or '-':<24.24} {row['title']}")
        click.echo(f"{'':<26} {row['url']}")


def item_json(item: Any) -> dict[str, Any]:
    """The stable JSON shape of an item (other tools rely on it)."""
    from .dates import iso

    return {
        "title": item.title,
        "url": item.url,
        "published": iso(item.published),
        "end": iso(item.published, end=True),
        "category": item.category,
        "summary": item.summary,
        "image": item.image,
    }
