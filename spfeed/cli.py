"""The command line: flags -> Config -> pipeline; errors -> exit codes.

Exit codes: 0 success (whether or not anything changed), 1 a spfeed error
(one line on stderr per problem), 2 a usage error.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click
import msgspec
from msgspec.structs import replace

from . import __version__
from .config import (
    DEFAULT_CONFIG_FILE,
    DEFAULT_DELAY,
    Config,
    Source,
    check_interval,
    load,
    parse_schedule,
    write_example,
)
from .errors import ConfigError, SpfeedError

if TYPE_CHECKING:
    from collections.abc import Callable

    from .parse import Profile
    from .pipeline import RunReport
    from .state import SourceState, State
    from .store import Store


class Settings(msgspec.Struct):
    """The group's options, handed to every command."""

    config_file: Path | None
    quiet: bool
    log_json: bool


def _fail(error: SpfeedError | str) -> NoReturn:
    click.echo(f"spfeed: error: {error}", err=True)
    sys.exit(1)


def _warn(message: str) -> None:
    click.echo(f"spfeed: warning: {message}", err=True)


def _stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


def _load_config(settings: Settings, **flags: Any) -> Config:
    """The Config from the file, SPFEED_* variables and the flags given."""
    base_url, profile = flags.pop("base_url", None), flags.pop("profile", None)
    try:
        config = load(settings.config_file, env=os.environ, overrides=flags)
    except ConfigError as e:
        _fail(e)
    if base_url or profile:
        sources = tuple(
            replace(s, base_url=base_url or s.base_url, profile=profile or s.profile) for s in config.sources
        )
        config = replace(config, sources=sources)
    return config


def _user_profiles(path: Path | None) -> tuple[Profile, ...]:
    if path is None:
        return ()
    from .parse import load_profiles

    try:
        return load_profiles(path)
    except SpfeedError as e:
        _fail(e)


def _tell_how_it_was_read(profile: str | None, skipped: int, where: str, *, always: bool = False) -> None:
    """Say so on stderr when the items may be incomplete or guessed (``always``: say what read them)."""
    if profile is not None:  # the page was parsed (an unparsed one must not import the parser)
        from .parse import FALLBACK

        if profile == FALLBACK:
            _warn(
                f"{where}: no layout profile matched; the items were found by the generic "
                "fallback: check them, or add a profile (--profiles FILE)"
            )
        elif profile.endswith(f"+{FALLBACK}"):
            _warn(
                f"{where}: layout '{profile.removesuffix(f'+{FALLBACK}')}' read the page only in part; "
                "the generic fallback completed its items: check them, or add a profile (--profiles FILE)"
            )
        elif always:
            click.echo(f"spfeed: {where}: read with layout '{profile}'", err=True)
    if skipped:
        _warn(f"{where}: skipped {skipped} listing block(s) with no title or link (details with -v)")


class _JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(
            {
                "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="seconds"),
                "level": record.levelname.lower(),
                "logger": record.name,
                "message": record.getMessage(),
            },
            ensure_ascii=False,
        )


_handler: logging.Handler | None = None


def _setup_logging(verbose: bool, quiet: bool, log_json: bool) -> None:
    """One stderr handler of ours on the root logger (replaced, not stacked, when
    main runs again in the same process, as under tests)."""
    global _handler
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
    _handler = logging.StreamHandler(sys.stderr)
    _handler.setFormatter(_JsonLines() if log_json else logging.Formatter("spfeed: %(levelname)s: %(message)s"))
    _handler.setLevel(logging.INFO if verbose else logging.ERROR if not quiet else logging.CRITICAL)
    root.addHandler(_handler)
    root.setLevel(min(root.level or logging.WARNING, logging.INFO if verbose else logging.WARNING))


_BASE_URL_HELP = "For a saved file: where its relative links point from."
_PROFILE_HELP = "Layout profile to use instead of detecting one."
language_option = click.option(
    "--language",
    metavar="CODE",
    help="The page's language (e.g. de): dates are read in it first, and it decides whether 03/04/2023 "
    "is 4 March (en) or 3 April (de, fr, es). [default: the one the page declares (<html lang>), else en]",
)
profiles_option = click.option(
    "--profiles",
    "profiles_file",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="A TOML file of [[profile]] tables: your own layouts, tried before the built-in ones.",
)
out_option = click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="The output directory: feeds, index.html, feeds.opml. [default: feeds]",
)
"""Shared by refresh (writes there) and serve (serves it)."""


def _store_options(command: Any) -> Any:
    """The options every command that writes the store takes."""
    for option in reversed(
        [
            out_option,
            click.option(
                "--public-url",
                metavar="URL",
                help="Where the output directory is served; the feeds' self links point there. "
                "[default: http://127.0.0.1:8080/]",
            ),
            click.option(
                "--store",
                type=click.Path(dir_okay=False, path_type=Path),
                help="The history database (SQLite), created on first use; not inside --out, "
                "which is served. [default: spfeed.sqlite]",
            ),
            click.option(
                "--max-items",
                type=click.IntRange(min=1),
                help="How many of the newest items the feeds show. [default: 50]",
            ),
            click.option(
                "--retain-days",
                type=click.IntRange(min=1),
                metavar="DAYS",
                help="Forget items that left the page more than DAYS ago. [default: keep everything]",
            ),
            click.option(
                "--lock-timeout",
                type=click.FloatRange(min=0),
                metavar="SECONDS",
                help="How long to wait for another refresh on the same store. [default: 30]",
            ),
        ]
    ):
        command = option(command)
    return command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="spfeed")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="The config file. [default: $SPFEED_CONFIG, else ./spfeed.toml if it exists]",
)
@click.option("-v", "--verbose", is_flag=True, help="Log details to stderr.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors (for cron).")
@click.option("--log-json", is_flag=True, help="Log and report as JSON lines.")
@click.pass_context
def main(ctx: click.Context, config_file: Path | None, verbose: bool, quiet: bool, log_json: bool) -> None:
    """Atom and RSS feeds of the ILO Social Protection Department's news."""
    _setup_logging(verbose, quiet, log_json)
    ctx.obj = Settings(config_file=config_file, quiet=quiet, log_json=log_json)


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_CONFIG_FILE)
def init(path: Path) -> None:
    """Write a commented example config to PATH (default: spfeed.toml)."""
    try:
        write_example(path)
    except ConfigError as e:
        _fail(e)
    click.echo(f"wrote {path}: edit the [[source]] url (and public_url), then run 'spfeed refresh'")


@main.command()
@click.option(
    "--source",
    metavar="URL|PATH",
    help="Refresh only this page (an http(s) URL or a saved HTML file), in the language it declares "
    "(<html lang>), else en.",
)
@click.option("--base-url", metavar="URL", help=_BASE_URL_HELP)
@click.option("--profile", metavar="NAME", help=_PROFILE_HELP)
@profiles_option
@_store_options
@click.option(
    "--full-text",
    is_flag=True,
    default=None,
    help="Fetch each new item's own page (politely, once) for its text, authors and image.",
)
@click.option("-q", "--quiet", "quiet_here", is_flag=True, help="Print nothing but errors (for cron).")
@click.pass_obj
def refresh(settings: Settings, /, profiles_file: Path | None, quiet_here: bool, **flags: Any) -> None:
    """Fetch the configured pages, record their items in the history store, and
    write the feeds (atom.xml, rss.xml, feed.json, per category and source) and
    index.html from the store.

    By default one summary line; nothing with --quiet. Exit code 1 when any
    source failed (each failure is one line on stderr).
    """
    from .pipeline import run

    config = _load_config(settings, **flags)
    try:
        report = run(config, profiles=_user_profiles(profiles_file))
    except SpfeedError as e:
        _fail(e)
    _report_run(report, quiet=settings.quiet or quiet_here, as_json=settings.log_json)
    if not report.ok:
        sys.exit(1)


def _report_run(report: RunReport, *, quiet: bool, as_json: bool) -> None:
    for source in report.failures:
        click.echo(f"spfeed: error: {source.error}", err=True)
    if not quiet:
        for warning in report.warnings:
            _warn(warning)
    if as_json:
        click.echo(json.dumps(_run_json(report), ensure_ascii=False))
        return
    if quiet:
        return
    for source in report.sources:
        _tell_how_it_was_read(source.profile, source.skipped, source.location)
    click.echo(summary_line(report))


def summary_line(report: RunReport) -> str:
    """One line for cron mail or a terminal: sources, items, files."""
    outcomes: dict[str, int] = {}
    for source in report.sources:
        outcomes[source.outcome] = outcomes.get(source.outcome, 0) + 1
    count = len(report.sources)
    head = f"{count} source{'s' if count != 1 else ''} ({', '.join(f'{n} {o}' for o, n in outcomes.items())})"
    c = report.changes
    notes = "".join(f"; {s.name}: {note}" for s in report.sources for note in s.drift.notes())
    if not (report.written.changed or report.written.unchanged):
        return f"{head}; nothing new: {report.out_dir} left as it was{notes}"
    atom, rss = report.out_dir / "atom.xml", report.out_dir / "rss.xml"
    files = len(report.written.changed)
    return (
        f"{head}: {c.new} new, {c.updated} updated, {c.unchanged} unchanged, {c.gone} gone; "
        f"{atom} and {rss} hold {report.shown} items ({report.stored} in {report.store}); "
        f"{files} file{'s' if files != 1 else ''} written{notes}"
    )


def _run_json(report: RunReport) -> dict[str, Any]:
    return {
        "ok": report.ok,
        "sources": [
            {
                "name": s.name,
                "location": s.location,
                "outcome": s.outcome,
                "found": s.found,
                "new": s.changes.new,
                "updated": s.changes.updated,
                "unchanged": s.changes.unchanged,
                "gone": s.changes.gone,
                "error": str(s.error) if s.error else None,
                "duration_ms": s.duration_ms,
                "layout": {
                    "profile": s.profile,
                    "learned": s.drift.learned,
                    "replaced": s.drift.replaced,
                    "held": list(s.drift.held),
                    "drop_from": s.drift.drop_from,
                },
            }
            for s in report.sources
        ],
        "shown": report.shown,
        "stored": report.stored,
        "written": [str(p) for p in report.written.changed],
        "warnings": list(report.warnings),
        "duration_ms": report.duration_ms,
    }


@main.command()
@click.option("--every", metavar="DURATION", help="Refresh every DURATION, e.g. 30m, 1h. [default: 30m]")
@click.option("--cron", metavar="LINE", help='Refresh on a cron line instead, e.g. "*/30 * * * *".')
@click.option("--jitter", metavar="DURATION", help="Add a random delay of up to this much. [default: 1m]")
@profiles_option
@_store_options
@click.pass_obj
def schedule(
    settings: Settings,
    /,
    every: str | None,
    cron: str | None,
    jitter: str | None,
    profiles_file: Path | None,
    **flags: Any,
) -> None:
    """Refresh now and then on a schedule, until stopped (SIGTERM or Ctrl-C).

    A refresh in progress is finished first. After failures the schedule backs
    off (doubling, up to max_backoff); a server's Retry-After is honoured.
    """
    import signal
    import threading

    from .pipeline import run
    from .schedule import Outcome, run_schedule

    config = _load_config(settings, **flags)
    config = replace(config, schedule=_schedule_from_flags(config, every, cron, jitter))
    try:
        check_interval(config, "command line")
    except ConfigError as e:
        _fail(e)
    profiles = _user_profiles(profiles_file)
    stop = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        if not stop.is_set():
            click.echo("spfeed: stopping after the current refresh", err=True)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    # One connection pool for the life of the process: a refresh reuses the
    # connection the last one left open (urllib3 drops any the server closed).
    import requests

    session = requests.Session()

    def refresh_once() -> Outcome:
        session.cookies.clear()  # each refresh starts like a fresh process; only connections are kept
        try:
            report = run(config, profiles=profiles, session=session)
        except SpfeedError as e:
            click.echo(f"spfeed: error: {e}", err=True)
            return Outcome(ok=False, retry_after=getattr(e, "retry_after", None))
        _report_run(report, quiet=settings.quiet, as_json=settings.log_json)
        return Outcome(ok=report.ok, retry_after=report.retry_after)

    def on_plan(when: datetime) -> None:
        _remember_next_run(config, when)
        if not settings.quiet:
            click.echo(f"spfeed: next refresh at {when.isoformat(timespec='seconds')}")

    with session:
        runs = run_schedule(config.schedule, refresh_once, stop=stop, on_plan=on_plan)
    _remember_next_run(config, None)
    if not settings.quiet:
        click.echo(f"spfeed: stopped after {runs} refresh{'es' if runs != 1 else ''}")


def _schedule_from_flags(config: Config, every: str | None, cron: str | None, jitter: str | None) -> Any:
    if every and cron:
        raise click.UsageError("give --every or --cron, not both")
    table: dict[str, Any] = {}
    if every:
        table["every"] = every
    if cron:
        table["cron"] = cron
    if not (every or cron):
        current = config.schedule
        table.update({"cron": current.cron} if current.cron else {"every": current.every.total_seconds()})  # type: ignore[union-attr]
    table["jitter"] = jitter or config.schedule.jitter.total_seconds()
    table["max_backoff"] = config.schedule.max_backoff.total_seconds()
    try:
        return parse_schedule(table, "command line")
    except ConfigError as e:
        raise click.UsageError(e.message.replace("schedule.", "--")) from None


def _remember_next_run(config: Config, when: datetime | None) -> None:
    from .lock import refresh_lock
    from .state import State, state_path

    try:
        with refresh_lock(config.store, config.lock_timeout):
            state = State.load(state_path(config.store))
            state.next_run = when.astimezone(UTC).isoformat(timespec="seconds") if when else None
            state.save()
    except SpfeedError as e:
        _warn(f"could not record the next run time: {e}")


def _duration_option(ctx: click.Context, param: click.Parameter, value: str | None) -> timedelta | None:
    from .config import parse_duration

    try:
        return None if value is None else parse_duration(value, "--max-age")
    except ConfigError:
        raise click.BadParameter(f"{value!r} is not a duration such as 90s, 30m, 2h or 1d") from None


@main.command()
@click.option(
    "--store", type=click.Path(dir_okay=False, path_type=Path), help="The history database. [default: spfeed.sqlite]"
)
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@click.option(
    "--check",
    is_flag=True,
    help="Print nothing and exit 0 when every source is fresh; else one line per problem, exit 1 (for monitors).",
)
@click.option(
    "--max-age",
    metavar="DURATION",
    callback=_duration_option,
    help="With --check: the oldest a last success may be, e.g. 90m, 2h. "
    "[default: twice the schedule's interval, else 1h]",
)
@click.pass_obj
def status(settings: Settings, store: Path | None, as_json: bool, check: bool, max_age: timedelta | None) -> None:
    """Show, per source, the page it was last fetched from, the last attempt and
    success, the outcome, items stored, the last error; and when `spfeed
    schedule` refreshes next. With --check, only whether all is well."""
    from .state import State, state_path

    config = _load_config(settings, store=store)
    state = State.load(state_path(config.store))
    if check:
        _check_health(config, state, max_age)
        return
    counts, layouts = _stored_counts(config), _layouts_status(config)
    sources = _status_sources(config, state)
    rows = [
        {**_status_row(name, source, state.sources.get(name), counts), "layout": layouts.get(name)}
        for name, source in sources
    ]
    articles = _article_counts(config)
    if as_json:
        status_json = {"sources": rows, "next_run": state.next_run, "websub_pending": state.websub_pending,
                       "last_refresh_ms": state.last_refresh_ms}
        click.echo(json.dumps({**status_json, "full_text": articles}, indent=2, ensure_ascii=False))
        return
    for row in rows:
        click.echo(f"{row['name']}: {row['location']}")
        for label, value in [*_status_lines(row), *_layout_lines(row["layout"])]:
            click.echo(f"  {label:<14} {value}")
    click.echo(f"next scheduled refresh: {state.next_run or 'none (spfeed schedule is not running)'}")
    if state.websub_pending:
        click.echo(f"WebSub notifications waiting for the next refresh: {len(state.websub_pending)}")
    if articles:
        shown = ", ".join(f"{label} {articles.get(status, 0)}" for status, label in _ARTICLE_STATES)
        click.echo(f"full text: {shown}")
    click.echo(_last_refresh_line(state))


def _last_refresh_line(state: State) -> str:
    """'last refresh took 14 ms (en 9 ms, fr 4 ms)': what a refresh costs, for anyone to see."""
    if state.last_refresh_ms is None:
        return "last refresh took: - (no refresh recorded)"
    parts = [f"{name} {source.duration_ms:.0f} ms" for name, source in state.sources.items()
             if source.duration_ms is not None]
    return f"last refresh took {state.last_refresh_ms:.0f} ms" + (f" ({', '.join(parts)})" if parts else "")


_ARTICLE_STATES = (("ok", "articles"), ("file", "documents"), ("failed", "to retry"), ("given up", "given up"))


def _article_counts(config: Config) -> dict[str, int]:
    """Items' own pages by state (full text), from the store; empty without any."""
    return _read_store(config, lambda db: db.article_counts())


def _check_health(config: Config, state: State, max_age: timedelta | None) -> NoReturn:
    from .health import default_max_age, problems, utc_now

    found = problems((s.name for s in config.sources), state, utc_now(), max_age or default_max_age(config.schedule))
    for line in found:
        click.echo(line)
    sys.exit(1 if found else 0)


def _stored_counts(config: Config) -> dict[str, int]:
    return _read_store(config, lambda db: {source.name: db.count(source=source.name) for source in config.sources})


def _read_store(config: Config, read: Callable[[Store], dict[str, int]]) -> dict[str, int]:
    """What ``read`` finds in the store; nothing when there is no store yet."""
    from .errors import StoreError
    from .store import Store

    if not config.store.exists():
        return {}
    try:
        with Store.open(config.store, timeout=config.lock_timeout) as db:
            return read(db)
    except StoreError as e:
        _fail(e)


def _status_sources(config: Config, state: State) -> list[tuple[str, Source | None]]:
    """The configured sources, then any the run state knows from elsewhere
    (a `refresh --source` under another name, a source since removed)."""
    configured = {source.name: source for source in config.sources}
    return [*configured.items(), *((name, None) for name in state.sources if name not in configured)]


def _status_row(name: str, source: Source | None, known: SourceState | None, counts: dict[str, int]) -> dict[str, Any]:
    """What status says of one source. ``location`` is the page last fetched
    (`refresh --source` names it), else the configured one."""
    return {
        "name": name,
        "location": known.location if known else source.location if source else None,
        "configured_location": source.location if source else None,
        "last_attempt": known.last_attempt if known else None,
        "last_success": known.last_success if known else None,
        "outcome": known.outcome if known else None,
        "items_on_page": known.items if known else None,
        "items_stored": counts.get(name, 0),
        "last_error": known.error if known else None,
        "retry_not_before": known.retry_not_before if known else None,
        "last_duration_ms": known.duration_ms if known else None,
    }


def _status_lines(row: dict[str, Any]) -> list[tuple[str, str]]:
    """The labelled lines under a source's name: one per fact, in reading order."""
    lines = []
    if row["configured_location"] != row["location"]:
        lines.append(("configured", f"{row['configured_location'] or '-'} (not the page last fetched)"))
    outcome = f" ({row['outcome']})" if row["outcome"] else ""
    lines.append(("last attempt", f"{row['last_attempt'] or 'never'}{outcome}"))
    lines.append(("last success", row["last_success"] or "never"))
    on_page = row["items_on_page"]
    at_success = f", {on_page} on the page at the last success" if on_page is not None else ""
    lines.append(("items", f"{row['items_stored']} stored{at_success}"))
    lines.append(("last error", row["last_error"] or "-"))
    if row["retry_not_before"]:
        lines.append(("retry after", f"{row['retry_not_before']} (the server asked to wait)"))
    return lines


def _layouts_status(config: Config) -> dict[str, dict[str, Any]]:
    """How each source's page was read at the last refreshes (the store's ``layouts``)."""
    from .store import stored_layouts

    try:
        layouts = stored_layouts(config.store)
    except SpfeedError as e:
        _fail(e)
    return {
        name: {
            "profile": layout.profile,
            "learned": layout.profile is not None and layout.profile == layout.learned_name,
            "changed_at": layout.changed_at.isoformat(timespec="seconds") if layout.changed_at else None,
            "previous": layout.previous,
            "recent_yields": list(layout.yields),
            "drop_from": layout.drop_from,
        }
        for name, layout in layouts.items()
    }


def _layout_lines(layout: dict[str, Any] | None) -> list[tuple[str, str]]:
    if layout is None:
        return []
    lines = [("layout", f"{layout['profile']}" + (" (learned from the stored items)" if layout["learned"] else ""))]
    if layout["changed_at"]:
        was = f" (was {layout['previous']})" if layout["previous"] else ""
        lines.append(("layout changed", f"{layout['changed_at']}{was}"))
    if layout["drop_from"] is not None:
        found, usual = layout["recent_yields"][-1], layout["drop_from"]
        fell = f"{found} on the page at the last refresh where there were {usual}"
        lines.append(("items dropped", f"{fell}: none marked gone"))
    return lines


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free one).")
@out_option
@click.pass_obj
def serve(settings: Settings, host: str, port: int, out_dir: Path | None) -> None:
    """Serve the feeds over HTTP (waitress) until interrupted."""
    from .serve import create_server, server_url

    out = _load_config(settings, out_dir=out_dir).out_dir
    try:
        server = create_server(out, host=host, port=port)
    except SpfeedError as e:
        _fail(e)
    click.echo(f"Serving {out} at {server_url(server)} (Ctrl-C to stop)")
    server.run()


@main.command()
@click.argument("source", metavar="SOURCE")
@click.option("--base-url", metavar="URL", help=_BASE_URL_HELP)
@click.option("--profile", metavar="NAME", help=_PROFILE_HELP)
@profiles_option
@language_option
@click.option("--json", "as_json", is_flag=True, help="Print the items as a JSON array.")
def scrape(
    source: str,
    base_url: str | None,
    profile: str | None,
    profiles_file: Path | None,
    language: str | None,
    as_json: bool,
) -> None:
    """Print the items found on SOURCE (a URL or a saved HTML file)."""
    from .pipeline import scrape as run_scrape

    profiles = _user_profiles(profiles_file)
    page_source = Source(location=source, base_url=base_url, profile=profile, language=language)
    try:
        result = run_scrape(page_source, profiles=profiles)
    except SpfeedError as e:
        _fail(e)
    _tell_how_it_was_read(result.parsed.profile, result.parsed.skipped, source, always=True)
    rows = [item_json(item) for item in result.items]
    if as_json:
        _print_json(rows)
        return
    for row in rows:
        click.echo(f"{row['published'] or '-':<26} {row['category'] or '-':<24.24} {row['title']}")
        click.echo(f"{'':<26} {row['url']}")


@main.group()
def profile() -> None:
    """Layout profiles: what to look for on a page."""


@profile.command()
@click.argument("source", metavar="SOURCE")
@click.option(
    "--store",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The history database whose items the profile must read back. [default: spfeed.sqlite, if it exists]",
)
@click.option("--base-url", metavar="URL", help=_BASE_URL_HELP)
@click.option("--name", metavar="NAME", help="The profile's name. [default: learned-<source name>]")
@click.pass_obj
def suggest(settings: Settings, source: str, store: Path | None, base_url: str | None, name: str | None) -> None:
    """Print a [[profile]] table that reads SOURCE (a URL or a saved HTML file),
    derived from the items the store knows of it, else from what spfeed finds
    on the page alone. Review it, then add it to spfeed.toml."""
    from .pipeline import suggest_profile

    config = _load_config(settings, store=store)
    page = replace(config.sources[0], location=source, base_url=base_url, profile=None)
    try:
        click.echo(suggest_profile(page, config.store, name=name or f"learned-{page.name}"), nl=False)
    except SpfeedError as e:
        _fail(e)


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
    default=DEFAULT_DELAY,
    show_default=True,
    metavar="SECONDS",
    help="Wait this long between page requests (be polite to the server).",
)
@click.option("--base-url", metavar="URL", help=_BASE_URL_HELP)
@click.option("--profile", metavar="NAME", help=_PROFILE_HELP)
@profiles_option
@language_option
@click.option("--json", "as_json", is_flag=True, help="Print the items as JSON instead of storing them.")
@_store_options
@click.pass_obj
def backfill(
    settings: Settings,
    /,
    source: str,
    pages: int,
    delay: float,
    base_url: str | None,
    profile: str | None,
    profiles_file: Path | None,
    language: str | None,
    as_json: bool,
    **flags: Any,
) -> None:
    """Read SOURCE and its older archive pages, following next-page links, and
    add their items to the history store (then rewrite the feeds); with --json,
    print the items instead.

    A progress line per page goes to stderr when it is a terminal. Items from an
    archive page never mark current items as gone.
    """
    from .pipeline import backfill as run_backfill
    from .pipeline import backfill_into_store

    profiles = _user_profiles(profiles_file)
    page_source = Source(location=source, base_url=base_url, profile=profile, language=language)
    progress = _progress_printer(pages) if _stderr_is_terminal() else None
    if not as_json:
        config = _load_config(settings, **flags)
        first = config.sources[0]
        config = replace(
            config,
            sources=(replace(page_source, name=first.name, title=first.title, language=language or first.language),),
        )
        try:
            report = backfill_into_store(config, pages, delay=delay, profiles=profiles, progress=progress)
        except SpfeedError as e:
            _fail(e)
        if not settings.quiet:
            c = report.changes
            click.echo(
                f"{report.pages} page(s), {report.found} items: {c.new} new, {c.updated} updated, "
                f"{c.unchanged} unchanged; {c.stored} in {config.store}; "
                f"{len(report.written.changed)} file(s) written to {config.out_dir}"
            )
        if report.error is not None:
            _fail(report.error)
        return
    rows: dict[str, dict[str, Any]] = {}
    try:
        for number, result in enumerate(run_backfill(page_source, pages, delay=delay, profiles=profiles), start=1):
            _tell_how_it_was_read(result.parsed.profile, result.parsed.skipped, result.page.url)
            for item in result.items:
                rows.setdefault(item.id, item_json(item))
            if progress:
                progress(number, len(result.items), result.page.url)
    except SpfeedError as e:
        # What the earlier pages gave is printed all the same: nothing lost.
        _print_json(list(rows.values()))
        _fail(e)
    _print_json(list(rows.values()))


def _progress_printer(pages: int) -> Any:
    def show(number: int, found: int, url: str) -> None:
        click.echo(f"spfeed: page {number}/{pages}: {found} items from {url}", err=True)

    return show


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
