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
from typing import TYPE_CHECKING, Any, NoReturn

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
from .pipeline import DEFAULT_BACKFILL_DELAY

if TYPE_CHECKING:
    from .parse import Profile


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


def _warn(message: str) -> None:
    click.echo(f"spfeed: warning: {message}", err=True)


def _stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


def _user_profiles(path: Path | None) -> tuple[Profile, ...]:
    if path is None:
        return ()
    from .parse import load_profiles

    try:
        return load_profiles(path)
    except SpfeedError as e:
        _fail(e)


def _tell_how_it_was_read(profile: str, skipped: int, where: str) -> None:
    """Say so on stderr when the items may be incomplete or guessed."""
    from .parse import FALLBACK

    if profile == FALLBACK:
        _warn(
            f"{where}: no layout profile matched; the items were found by the generic "
            "fallback: check them, or add a profile (--profiles FILE)"
        )
    if skipped:
        _warn(f"{where}: skipped {skipped} listing block(s) with no title or link (details with -v)")


_BASE_URL_HELP = "For a saved file: where its relative links point from."
_PROFILE_HELP = "Layout profile to use instead of detecting one."
profiles_option = click.option(
    "--profiles",
    "profiles_file",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="A TOML file of [[profile]] tables: your own layouts, tried before the built-in ones.",
)


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
@click.option("--base-url", metavar="URL", help=_BASE_URL_HELP)
@click.option(
    "--public-url",
    default=DEFAULT_PUBLIC_URL,
    show_default=True,
    metavar="URL",
    help="Where the output directory is served; the feeds' self links point there.",
)
@click.option("--profile", metavar="NAME", help=_PROFILE_HELP)
@profiles_option
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
    profiles_file: Path | None,
    store_path: Path,
    max_items: int,
    retain_days: int | None,
    lock_timeout: float,
) -> None:
    """Fetch the page, record its items in the history store, and write the feeds
    (atom.xml, rss.xml, feed.json, per category) and index.html from the store."""
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
        report = run(config, profiles=_user_profiles(profiles_file))
    except SpfeedError as e:
        _fail(e)
    _tell_how_it_was_read(report.profile, report.skipped, report.source)
    changes = report.changes
    changed = len(report.written.changed)
    state = f"{changed} file(s) rewritten" if changed else "unchanged"
    click.echo(
        f"{report.items} items from {report.source} (layout {report.profile}): "
        f"{changes.new} new, {changes.updated} updated, {changes.gone} gone; "
        f"{changes.stored} in {report.store}; "
        f"wrote {report.out_dir / 'atom.xml'}, {report.out_dir / 'rss.xml'} and the other feeds "
        f"with {report.shown} items ({state})"
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
@click.option("--base-url", metavar="URL", help=_BASE_URL_HELP)
@click.option("--profile", metavar="NAME", help=_PROFILE_HELP)
@profiles_option
@click.option("--json", "as_json", is_flag=True, help="Print the items as a JSON array.")
def scrape(
    source: str, base_url: str | None, profile: str | None, profiles_file: Path | None, as_json: bool
) -> None:
    """Print the items found on SOURCE (a URL or a saved HTML file)."""
    from .pipeline import scrape as run_scrape

    profiles = _user_profiles(profiles_file)
    try:
        result = run_scrape(
            replace(Source(), location=source, base_url=base_url, profile=profile), profiles=profiles
        )
    except SpfeedError as e:
        _fail(e)
    _tell_how_it_was_read(result.parsed.profile, result.parsed.skipped, source)
    rows = [item_json(item) for item in result.items]
    if as_json:
        _print_json(rows)
        return
    for row in rows:
        click.echo(f"{row['published'] or '-':<26} {row['category'] or '-':<24.24} {row['title']}")
        click.echo(f"{'':<26} {row['url']}")


@main.command()
@click.argument("source", metavar="SOURCE")
@click.option(
    "--pages",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Read at most this many pages, following next-page links.",
)
@click.option(
    "--delay",
    type=click.FloatRange(min=0),
    default=DEFAULT_BACKFILL_DELAY,
    show_default=True,
    metavar="SECONDS",
    help="Wait this long between page requests (be polite to the server).",
)
@click.option("--base-url", metavar="URL", help=_BASE_URL_HELP)
@click.option("--profile", metavar="NAME", help=_PROFILE_HELP)
@profiles_option
def backfill(
    source: str,
    pages: int,
    delay: float,
    base_url: str | None,
    profile: str | None,
    profiles_file: Path | None,
) -> None:
    """Read SOURCE and its older archive pages; print their items as JSON.

    Items seen on an earlier page are printed once. A progress line per page
    goes to stderr when it is a terminal.
    """
    from .pipeline import backfill as run_backfill

    profiles = _user_profiles(profiles_file)
    show_progress = _stderr_is_terminal()
    rows: dict[str, dict[str, Any]] = {}
    number = 0
    try:
        for number, result in enumerate(
            run_backfill(
                replace(Source(), location=source, base_url=base_url, profile=profile),
                pages,
                delay=delay,
                profiles=profiles,
            ),
            start=1,
        ):
            _tell_how_it_was_read(result.parsed.profile, result.parsed.skipped, result.page.url)
            for item in result.items:
                rows.setdefault(item.id, item_json(item))
            if show_progress:
                click.echo(
                    f"spfeed: page {number}/{pages}: {len(result.items)} items "
                    f"({len(rows)} in all) from {result.page.url}",
                    err=True,
                )
    except SpfeedError as e:
        # What the earlier pages gave is printed all the same: nothing lost.
        _print_json(list(rows.values()))
        _fail(e)
    _print_json(list(rows.values()))
    if show_progress:
        click.echo(f"spfeed: {len(rows)} items from {number} page(s)", err=True)


def _print_json(rows: list[dict[str, Any]]) -> None:
    click.echo(json.dumps(rows, ensure_ascii=False, indent=2))


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
