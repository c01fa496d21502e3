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
from .config import DEFAULT_OUT_DIR, DEFAULT_PUBLIC_URL, DEFAULT_SOURCE_URL, Config, Source
from .errors import SpfeedError


out_option = click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_OUT_DIR,
    show_default=True,
    help="The output directory: feeds, index.html, feeds.opml.",
)
"""Shared by refresh (writes there) and serve (serves it)."""


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
@out_option
@click.option("--base-url", metavar="URL", help="For a saved file: where its relative links point from.")
@click.option(
    "--public-url",
    default=DEFAULT_PUBLIC_URL,
    show_default=True,
    metavar="URL",
    help="Where the output directory is served; the feeds' self links point there.",
)
@click.option("--profile", metavar="NAME", help="Layout profile to use instead of detecting one.")
def refresh(source: str, out_dir: Path, base_url: str | None, public_url: str, profile: str | None) -> None:
    """Fetch the page and write its feeds (atom.xml, rss.xml)."""
    from .pipeline import run

    config = Config(
        sources=(replace(Source(), location=source, base_url=base_url, profile=profile),),
        out_dir=out_dir,
        public_url=public_url,
    )
    try:
        report = run(config)
    except SpfeedError as e:
        _fail(e)
    changed = len(report.written.changed)
    state = f"{changed} file(s) rewritten" if changed else "unchanged"
    click.echo(
        f"{report.items} items from {report.source} (layout {report.profile}); "
        f"wrote {report.out_dir / 'atom.xml'}, {report.out_dir / 'rss.xml'} and the other feeds ({state})"
    )


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free one).")
@out_option
def serve(host: str, port: int, out_dir: Path) -> None:
    """Serve the feeds over HTTP (waitress) until interrupted."""
    from .serve import create_server, server_url

    try:
        server = create_server(out_dir, host=host, port=port)
    except SpfeedError as e:
        _fail(e)
    click.echo(f"Serving {out_dir} at {server_url(server)} (Ctrl-C to stop)")
    server.run()


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
