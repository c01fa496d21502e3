"""What spfeed remembers between runs besides the items themselves.

Per source: the last attempt and success, the outcome and the last error (for
``spfeed status``), and a server's Retry-After deadline; robots.txt copies;
whether the last refresh's publishing finished; the scheduler's next run; a
copy of the validators the store keeps for a conditional fetch (see
``State.validators``).

It is a small JSON file next to the store (``spfeed.sqlite`` ->
``spfeed.state.json``), written atomically. It is kept apart from the store
on purpose: a refresh that fails must leave the store byte-for-byte as it was,
yet the failure must still be reported by ``spfeed status``. Nothing in it is
precious: a lost or unreadable state file only means robots.txt is fetched
again and the status starts afresh.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from pathlib import Path
from typing import Any

import msgspec
from msgspec.structs import asdict

from .errors import StoreError
from .files import atomic_write

log = logging.getLogger(__name__)

STATE_VERSION = 1


def state_path(store: Path) -> Path:
    return store.with_name(f"{store.stem}.state.json")


class SourceState(msgspec.Struct):
    """The last word on one source."""

    location: str
    last_attempt: str | None = None
    last_success: str | None = None
    outcome: str | None = None
    """'changed', 'unchanged', 'not modified', 'waiting' or 'failed'."""
    error: str | None = None
    items: int | None = None
    """Items the page listed at the last success."""
    retry_not_before: str | None = None
    """A server's Retry-After, as an ISO UTC time: no request before it."""
    duration_ms: float | None = None
    """How long the last refresh spent on this source."""

    def retry_wait(self, now: datetime) -> float:
        """Seconds still to wait before asking this source again (0: go ahead)."""
        if not self.retry_not_before:
            return 0.0
        return max((datetime.fromisoformat(self.retry_not_before) - now).total_seconds(), 0.0)


class State(msgspec.Struct):
    """The run state of an output directory: per-source state, cached robots.txt, a pending publish."""

    path: Path
    sources: dict[str, SourceState] = msgspec.field(default_factory=dict)
    robots: dict[str, tuple[float, str]] = msgspec.field(default_factory=dict)
    publish_pending: bool = False
    """True from the store's commit until the feeds are written: if a refresh
    dies in between, the next one publishes even when the page is unchanged."""
    next_run: str | None = None
    """When ``spfeed schedule`` plans to refresh next (ISO UTC)."""
    last_refresh_ms: float | None = None
    """How long the last refresh took, in milliseconds."""
    websub_pending: list[str] = msgspec.field(default_factory=list)
    """Self URLs of changed feeds the WebSub hub has not yet been told of."""
    validators: dict[str, dict[str, str | None]] = msgspec.field(default_factory=dict)
    """The store's ETag, Last-Modified and body hash of each source's page, by
    location: copied so that a refresh answered 304 does not open the store.
    The store keeps the originals; the copy holds while the store file is as
    it was when they were copied (``store_stamp``), so a store moved away,
    restored or written by anything else is read again."""
    store_stamp: list[int] | None = None
    """``store_stamp()`` of the store when ``validators`` were copied from it."""

    @classmethod
    def load(cls, path: Path) -> State:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") != STATE_VERSION:
                raise ValueError(f"version {data.get('version')!r}")
            return cls(
                path=path,
                sources={name: SourceState(**value) for name, value in data.get("sources", {}).items()},
                robots={url: (float(at), str(text)) for url, (at, text) in data.get("robots", {}).items()},
                publish_pending=bool(data.get("publish_pending", False)),
                next_run=data.get("next_run"),
                last_refresh_ms=_milliseconds(data.get("last_refresh_ms")),
                websub_pending=[str(url) for url in data.get("websub_pending", [])],
                validators={str(url): _validators(value) for url, value in data.get("validators", {}).items()},
                store_stamp=[int(n) for n in data["store_stamp"]] if data.get("store_stamp") else None,
            )
        except FileNotFoundError:
            return cls(path=path)
        except (OSError, ValueError, TypeError, AttributeError) as e:
            log.warning("%s: unreadable run state (%s); starting afresh", path, e)
            return cls(path=path)

    def source(self, name: str, location: str) -> SourceState:
        current = self.sources.get(name)
        if current is None or current.location != location:
            current = self.sources[name] = SourceState(location=location)
        return current

    def copy_validators(self, sources: dict[str, dict[str, Any]], stamp: list[int] | None) -> None:
        """Keep the validators of the store's source rows (``store.stored_sources``), read at ``stamp``."""
        self.validators = {location: _validators(row) for location, row in sources.items()}
        self.store_stamp = stamp

    def save(self) -> None:
        data: dict[str, Any] = {
            "version": STATE_VERSION,
            "sources": {name: asdict(value) for name, value in sorted(self.sources.items())},
            "robots": {url: list(entry) for url, entry in sorted(self.robots.items())},
            "publish_pending": self.publish_pending,
            "next_run": self.next_run,
            "last_refresh_ms": self.last_refresh_ms,
            "websub_pending": self.websub_pending,
            "validators": dict(sorted(self.validators.items())),
            "store_stamp": self.store_stamp,
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Not fsynced (nothing in it is precious, see above): it is saved twice a refresh.
            atomic_write(
                self.path, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8"), durable=False
            )
        except OSError as e:
            raise StoreError(str(self.path), f"cannot write the run state ({e.strerror})") from e


def store_stamp(store: Path) -> list[int] | None:
    """What changes whenever the store file is written or replaced (inode, size,
    modification time); None when there is no store (or it cannot be seen: opening
    it then says why)."""
    try:
        stat = store.stat()
    except OSError:
        return None
    return [stat.st_ino, stat.st_size, stat.st_mtime_ns]


_VALIDATOR_KEYS = ("etag", "last_modified", "body_hash")


def _validators(value: Any) -> dict[str, str | None]:
    return {key: str(value[key]) if value.get(key) is not None else None for key in _VALIDATOR_KEYS}


def _milliseconds(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
