"""Settings: one frozen Config, loaded once and passed explicitly.

Precedence: command-line flags > ``SPFEED_*`` environment variables >
``spfeed.toml`` > defaults. The file is the one named by ``--config`` or
``SPFEED_CONFIG``, else ``./spfeed.toml`` when it exists. Every problem is
one ConfigError that names the key and what is wrong with it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import msgspec
from msgspec.structs import replace

from .errors import ConfigError
from .fetch import DEFAULT_CONTACT, DEFAULT_MAX_BYTES, host_of
from .numbers import whole_number

DEFAULT_SOURCE_URL = "https://www.ilo.org/universal-social-protection-department"
"""The department's page on the current ilo.org (the legacy one was
https://www.ilo.org/secsoc/lang--en/index.htm)."""
DEFAULT_OUT_DIR = Path("feeds")
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8080/"
"""Where the feeds are served from; the default is what ``spfeed serve`` uses."""
DEFAULT_TIMEZONE = "Europe/Zurich"
DEFAULT_LANGUAGE = "en"
"""A source's language when none is configured and its page declares none."""
DEFAULT_STORE_PATH = Path("spfeed.sqlite")
"""The history store, in the current directory like ``feeds/``: never inside the
output directory, which is served."""
DEFAULT_MAX_ITEMS = 50
DEFAULT_FULL_TEXT_MAX = 10
"""Article pages fetched per refresh at most (newest first; the rest on later refreshes)."""
DEFAULT_DELAY = 2.0
"""Seconds between two requests to the same host."""
DEFAULT_LOCK_TIMEOUT = 30.0
"""Seconds a refresh waits for another one on the same store to finish."""
DEFAULT_CONFIG_FILE = Path("spfeed.toml")
DEFAULT_TITLE = "ILO Universal Social Protection Department: news"
ENV_PREFIX = "SPFEED_"


class Source(msgspec.Struct, frozen=True):
    """A page to turn into a feed: an http(s) URL or a local file path."""

    location: str = DEFAULT_SOURCE_URL
    name: str = "main"
    """A short name, used for per-source feed files and in status output."""
    base_url: str | None = None
    """Where relative links resolve from, for a page read from disk."""
    profile: str | None = None
    language: str | None = None
    """The configured language; None: the one the page declares, else ``DEFAULT_LANGUAGE``
    (pipeline.py). It decides the order of a numeric date, the feed's language and title."""
    timezone: str = DEFAULT_TIMEZONE
    title: str | None = None
    """The feed's title; None: the department's name in ``language`` (see names.py)."""
    full_text: bool | None = None
    """Fetch each new item's own page for its full text; None: the top-level setting."""

    @property
    def is_url(self) -> bool:
        return self.location.startswith(("http://", "https://"))


class Schedule(msgspec.Struct, frozen=True):
    """When ``spfeed schedule`` refreshes: every interval, or on a cron line."""

    every: timedelta | None = timedelta(minutes=30)
    cron: str | None = None
    jitter: timedelta = timedelta(seconds=60)
    max_backoff: timedelta = timedelta(hours=6)


class Config(msgspec.Struct, frozen=True):
    """Everything a command needs to know: the sources, where feeds and the store go, how to fetch."""

    sources: tuple[Source, ...] = (Source(),)
    out_dir: Path = DEFAULT_OUT_DIR
    public_url: str = DEFAULT_PUBLIC_URL
    store: Path = DEFAULT_STORE_PATH
    max_items: int = DEFAULT_MAX_ITEMS
    retain_days: int | None = None
    """Forget items that left the page more than this many days ago; None keeps all."""
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT
    timeout: float = 30.0
    max_bytes: int = DEFAULT_MAX_BYTES
    contact: str = DEFAULT_CONTACT
    delay: float = DEFAULT_DELAY
    """Seconds between two requests to the same host."""
    respect_robots: bool = True
    allowed_hosts: tuple[str, ...] = ()
    """Hosts a redirect may lead to besides the page's own (lower case)."""
    websub_hub: str | None = None
    """A WebSub hub: named in every feed and told when a feed changes."""
    schedule: Schedule = msgspec.field(default_factory=Schedule)
    profiles: tuple[Mapping[str, Any], ...] = ()
    """Layout profiles defined in the config file, tried before the built-in ones."""
    full_text: bool = False
    """Full text for every source that does not say otherwise."""
    full_text_max: int = DEFAULT_FULL_TEXT_MAX
    categories: Mapping[str, Any] = msgspec.field(default_factory=dict)
    """The config file's ``[categories]`` table: overrides of the shipped taxonomy
    (``categories.load_taxonomy``), checked when the file is read."""

    def wants_full_text(self, source: Source) -> bool:
        return self.full_text if source.full_text is None else source.full_text

    @property
    def source(self) -> Source:
        return self.sources[0]


# --- the top-level settings: name -> (parse, environment variable) -----------------


def _path(value: Any, key: str) -> Path:
    if isinstance(value, Path):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"'{key}' must be a path (a non-empty string), not {value!r}")
    try:
        return Path(value).expanduser()
    except RuntimeError:  # "~name/…" for a user this machine does not know
        raise ConfigError(f"'{key}': no home directory for the user {value.partition('/')[0]!r}") from None


def _http_url(value: Any, key: str) -> str:
    try:
        parts = urlsplit(value) if isinstance(value, str) else None
    except ValueError:  # "http://[::1": an unclosed IPv6 host
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"'{key}' must be an absolute http(s) URL, not {value!r}")
    return str(value)


def _positive_int(value: Any, key: str) -> int:
    number = whole_number(value) if isinstance(value, str) else value
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise ConfigError(f"'{key}' must be a whole number of at least 1, not {value!r}")
    return number


MAX_SECONDS = 7 * 86400.0
"""The longest timeout, delay or wait: a week. time.sleep and socket timeouts overflow
(OverflowError, "timestamp out of range") at some 1e10 seconds."""


def _seconds(value: Any, key: str) -> float:
    try:
        number = float(value) if isinstance(value, (int, float, str)) and not isinstance(value, bool) else None
    except ValueError:
        number = None
    if number is None or not 0 <= number <= MAX_SECONDS:  # also NaN
        raise ConfigError(f"'{key}' must be a number of seconds (0 to {MAX_SECONDS:g}), not {value!r}")
    return number


def _boolean(value: Any, key: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("1", "true", "yes", "on", "0", "false", "no", "off"):
        return value.lower() in ("1", "true", "yes", "on")
    raise ConfigError(f"'{key}' must be true or false, not {value!r}")


def _text(value: Any, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"'{key}' must be a non-empty string, not {value!r}")
    return value


def _hosts(value: Any, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [part for part in value.replace(",", " ").split() if part]
    if not isinstance(value, list) or not all(isinstance(h, str) and re.fullmatch(r"[A-Za-z0-9.-]+", h) for h in value):
        raise ConfigError(f"'{key}' must be a list of host names such as [\"ilo.org\"], not {value!r}")
    return tuple(h.lower() for h in value)


SETTINGS: dict[str, Callable[[Any, str], Any]] = {
    "out_dir": _path,
    "public_url": _http_url,
    "store": _path,
    "max_items": _positive_int,
    "retain_days": _positive_int,
    "lock_timeout": _seconds,
    "timeout": _seconds,
    "max_bytes": _positive_int,
    "contact": _text,
    "delay": _seconds,
    "respect_robots": _boolean,
    "allowed_hosts": _hosts,
    "full_text": _boolean,
    "full_text_max": _positive_int,
    "websub_hub": _http_url,
}
_TABLES = ("source", "schedule", "profile", "categories")
_SOURCE_KEYS = ("url", "name", "base_url", "profile", "language", "timezone", "title", "full_text")
_SCHEDULE_KEYS = ("every", "cron", "jitter", "max_backoff")


def load(
    path: Path | None = None,
    *,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Config:
    """Build the Config from defaults, the file, the environment and the flags.

    ``overrides`` are flag values; None means the flag was not given. The
    key ``source`` there (a URL or a path) replaces the configured sources.
    """
    env = env if env is not None else {}
    file = path or _env_path(env) or (DEFAULT_CONFIG_FILE if DEFAULT_CONFIG_FILE.exists() else None)
    data = read_file(file) if file else {}
    where = str(file) if file else "defaults"
    config = _from_mapping(data, where)
    config = _apply_settings(config, _env_settings(env), "environment")
    flags = {k: v for k, v in (overrides or {}).items() if v is not None}
    source_flag = flags.pop("source", None)
    config = _apply_settings(config, flags, "command line")
    source_env = env.get(f"{ENV_PREFIX}SOURCE")
    if source_flag or source_env:
        only = Source(location=str(source_flag or source_env), title=config.source.title)
        config = replace(config, sources=(only,))
    check_interval(config, where)
    return config


MIN_REMOTE_INTERVAL = timedelta(minutes=1)
_LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")


def check_interval(config: Config, where: str) -> None:
    """ConfigError if the schedule would ask another machine more than once a minute.

    Seconds are for pages on this machine (a saved file, a server on loopback):
    measuring a refresh, not polling ilo.org.
    """
    every = config.schedule.every
    if every is None or every >= MIN_REMOTE_INTERVAL:
        return
    for source in config.sources:
        if source.is_url and host_of(source.location) not in _LOOPBACK_HOSTS:
            raise ConfigError(
                f"{where}: 'schedule.every' must be at least 1m for {source.location}: be polite to its "
                "server (intervals in seconds are for a saved file or a server on localhost)"
            )


def _env_path(env: Mapping[str, str]) -> Path | None:
    value = env.get(f"{ENV_PREFIX}CONFIG")
    return Path(value) if value else None


def read_file(path: Path) -> dict[str, Any]:
    import tomllib  # here: most commands run with no config file

    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise ConfigError(f"{path}: no such config file (create one with 'spfeed init')") from e
    except OSError as e:
        raise ConfigError(f"{path}: cannot read the config file ({e.strerror})") from e
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: not valid TOML: {e}") from e


def _env_settings(env: Mapping[str, str]) -> dict[str, str]:
    return {key: env[f"{ENV_PREFIX}{key.upper()}"] for key in SETTINGS if f"{ENV_PREFIX}{key.upper()}" in env}


def _from_mapping(data: Mapping[str, Any], where: str) -> Config:
    _reject_unknown(data, (*SETTINGS, *_TABLES), where, "")
    settings = {k: v for k, v in data.items() if k in SETTINGS}
    config = _apply_settings(Config(), settings, where)
    if "source" in data:
        config = replace(config, sources=_sources(data["source"], where))
    if "schedule" in data:
        config = replace(config, schedule=parse_schedule(data["schedule"], where))
    if "profile" in data:
        config = replace(config, profiles=_profiles(data["profile"], where))
    if "categories" in data:
        from .categories import load_taxonomy

        load_taxonomy(data["categories"], origin=where)  # a mistake is reported now, naming the file
        config = replace(config, categories=data["categories"])
    return config


def _apply_settings(config: Config, settings: Mapping[str, Any], where: str) -> Config:
    _reject_unknown(settings, tuple(SETTINGS), where, "")
    values = {}
    for key, value in settings.items():
        try:
            values[key] = SETTINGS[key](value, key)
        except ConfigError as e:
            raise ConfigError(f"{where}: {e.message}") from None
    return replace(config, **values)


def _reject_unknown(data: Mapping[str, Any], known: tuple[str, ...], where: str, prefix: str) -> None:
    for key in data:
        if key not in known:
            import difflib

            guess = difflib.get_close_matches(key, known, n=1)
            hint = f" (did you mean '{prefix}{guess[0]}'?)" if guess else f" (known: {', '.join(known)})"
            raise ConfigError(f"{where}: unknown key '{prefix}{key}'{hint}")


def _sources(value: Any, where: str) -> tuple[Source, ...]:
    if not isinstance(value, list) or not value:
        raise ConfigError(f"{where}: 'source' must be one or more [[source]] tables")
    sources = tuple(_source(entry, where, index) for index, entry in enumerate(value, 1))
    names = [s.name for s in sources]
    duplicate = next((n for n in names if names.count(n) > 1), None)
    if duplicate:
        raise ConfigError(f"{where}: two sources are named '{duplicate}'; give each a unique 'name'")
    return sources


def _source(entry: Any, where: str, index: int) -> Source:
    label = f"source #{index}"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: {label} must be a table")
    _reject_unknown(entry, _SOURCE_KEYS, where, "source.")
    if "url" not in entry:
        raise ConfigError(f"{where}: {label} needs 'url' (an http(s) URL or a file path)")
    full_text = _boolean(entry["full_text"], "source.full_text") if "full_text" in entry else None
    fields = {key: _text(entry[key], f"source.{key}") for key in _SOURCE_KEYS if key in entry and key != "full_text"}
    try:
        location = fields.pop("url")
        name = fields.pop("name", None) or _default_name(fields.get("language"), index)
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", name):
            raise ConfigError(f"'source.name' must be lower-case letters, digits, '-' or '_', not {name!r}")
        if "timezone" in fields:
            _check_zone(fields["timezone"])
        if "base_url" in fields:
            _http_url(fields["base_url"], "source.base_url")
    except ConfigError as e:
        raise ConfigError(f"{where}: {label}: {e.message}") from None
    return Source(location=location, name=name, full_text=full_text, **fields)


def _default_name(language: str | None, index: int) -> str:
    return (language or "main") if index == 1 or language else f"source{index}"


def _check_zone(name: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder of zones ("Europe")
        raise ConfigError(f"'source.timezone' is not a known time zone: {name!r} (e.g. 'Europe/Zurich')") from None


def _profiles(value: Any, where: str) -> tuple[Mapping[str, Any], ...]:
    if not isinstance(value, list) or not all(isinstance(p, dict) for p in value):
        raise ConfigError(f"{where}: 'profile' must be one or more [[profile]] tables")
    return tuple(value)


MAX_DURATION = timedelta(days=366)
"""Longer than any schedule, backoff or age anyone means."""
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)?\s*$")
_UNITS = {None: 1, "s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400}


def parse_duration(value: Any, key: str) -> timedelta:
    """'30m', '90s', '1h', '2d' or a number of seconds, at most a year."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
        seconds = float(value)
    elif isinstance(value, str) and (match := _DURATION.match(value)):
        seconds = float(match[1]) * _UNITS[match[2]]
    else:
        raise ConfigError(f"'{key}' must be a duration such as '30m', '90s', '1h' or '1d', not {value!r}")
    # timedelta overflows past 999,999,999 days, and the clock's sleep long before (inf, "99999999999d").
    if not seconds <= MAX_DURATION.total_seconds():
        raise ConfigError(f"'{key}' must be at most a year ('366d'), not {value!r}")
    return timedelta(seconds=seconds)


def parse_schedule(value: Any, where: str = "schedule") -> Schedule:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: 'schedule' must be a table")
    _reject_unknown(value, _SCHEDULE_KEYS, where, "schedule.")
    try:
        cron = value.get("cron")
        if cron is not None:
            check_cron(_text(cron, "schedule.cron"))
        every = parse_duration(value["every"], "schedule.every") if "every" in value else None
        if cron and every:
            raise ConfigError("give 'schedule.every' or 'schedule.cron', not both")
        if every is not None and every < timedelta(seconds=1):
            raise ConfigError("'schedule.every' must be at least 1s")
        default = Schedule()
        return Schedule(
            every=every if (every or cron) else default.every,
            cron=cron,
            jitter=parse_duration(value.get("jitter", default.jitter.total_seconds()), "schedule.jitter"),
            max_backoff=parse_duration(
                value.get("max_backoff", default.max_backoff.total_seconds()), "schedule.max_backoff"
            ),
        )
    except ConfigError as e:
        raise ConfigError(f"{where}: {e.message}") from None


def check_cron(expression: str) -> None:
    from datetime import datetime, timezone

    from cronsim import CronSim, CronSimError

    try:
        CronSim(expression, datetime.now(timezone.utc))
    except CronSimError as e:
        raise ConfigError(f"'schedule.cron' is not a valid cron line: {expression!r} ({e})") from None


EXAMPLE = '''\
# spfeed configuration. Precedence: command-line flags > SPFEED_* environment
# variables (e.g. SPFEED_OUT_DIR, SPFEED_PUBLIC_URL) > this file > defaults.
# Every key is optional; the values shown are the defaults unless noted.

# Where the feeds are written, and the public address that directory is served
# from (the feeds' self links point there: set it to the real address).
out_dir = "feeds"
public_url = "http://127.0.0.1:8080/"

# The history database (every item ever seen). Keep it outside out_dir.
store = "spfeed.sqlite"

# How many of the newest items each feed holds.
max_items = 50

# Forget items that left the page more than this many days ago (default: keep all).
# retain_days = 365

# Seconds a refresh waits for another one on the same store before giving up.
lock_timeout = 30.0

# Politeness: who to contact about this crawler (a URL or mailto: address, sent
# in the User-Agent so the site's operators can reach you; set it), seconds
# between two requests to the same host, and whether to obey robots.txt.
# contact = "mailto:feeds@example.org"
delay = 2.0
respect_robots = true

# Full text: fetch each new item's own page (politely, once) and put its text,
# authors and lead image in the feeds. Off by default; per source with
# `full_text = true` in a [[source]] table. At most full_text_max pages a refresh.
# full_text = false
# full_text_max = 10

# A WebSub hub to name in the feeds and to tell when they change, so that
# readers subscribed there get new items at once (see README "WebSub").
# websub_hub = "https://pubsubhubbub.appspot.com/"

# Limits: seconds to wait for the server, and the largest page accepted.
timeout = 30.0
max_bytes = 10485760

# When `spfeed schedule` refreshes: `every` (e.g. "30m", "1h") or `cron`
# (e.g. "*/30 * * * *"), plus a random delay of up to `jitter`, and at most
# `max_backoff` between attempts after repeated failures.
[schedule]
every = "30m"
jitter = "1m"
max_backoff = "6h"

# One [[source]] table per page. `url` is an http(s) URL or a saved HTML file;
# `name` (default: the `language` given here) names its feeds; `profile` forces
# a layout; dates without a time are pinned to midnight in `timezone`.
# `language` (default: the one the page declares, <html lang>, else "en") is
# the feed's language and decides whether 03/04/2023 is 4 March or 3 April.
[[source]]
url = "https://www.ilo.org/universal-social-protection-department"
language = "en"
title = "ILO Universal Social Protection Department: news"
timezone = "Europe/Zurich"

# [[source]]
# url = "https://www.ilo.org/fr/departement-de-la-protection-sociale-universelle"
# language = "fr"
# title = "OIT, Département de la protection sociale universelle : actualités"

# [[source]]
# url = "https://www.ilo.org/es/departamento-de-proteccion-social-universal"
# language = "es"
# title = "OIT, Departamento de Protección Social Universal: noticias"

# A layout profile of your own, for a page no built-in profile knows
# (CSS selectors; see README "Layout profiles").
# [[profile]]
# name = "my-page"
# detect = "main .news-list"
# item = "main .news-list article"
# title = "h2"
# link = "h2 a"
# date = "time"
# datetime = "time[datetime]"
# summary = "p"

# Category labels of your own, or one topic's labels in several languages as
# one category (see README "Categories"): the labels go before the shipped ones.
# [categories.blog]
# name = "Blog post"
# names = { fr = "Billet de blog", es = "Entrada de blog" }
# labels = ["Blog", "Blog post", "Billet de blog", "Entrada de blog"]
'''


def write_example(path: Path) -> None:
    """Write the commented example config; never overwrite an existing file."""
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(EXAMPLE)
    except FileExistsError:
        raise ConfigError(f"{path} already exists; not overwriting it") from None
    except OSError as e:
        raise ConfigError(f"{path}: cannot write the config file ({e.strerror})") from e
