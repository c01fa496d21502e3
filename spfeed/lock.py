"""The refresh lock: one process at a time writes a store and its run state.

Apart from store.py so that taking it does not import sqlite3: a refresh whose
page has not changed holds the lock but never opens the store.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .errors import StoreError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: SQLite's own locking still guards the file
    fcntl = None  # type: ignore[assignment]


def lock_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".lock")


@contextmanager
def refresh_lock(store_path: Path, timeout: float, *, poll: float = 0.05) -> Iterator[None]:
    """Hold the store's refresh lock; wait at most ``timeout`` seconds for it.

    An advisory ``flock`` on ``<store>.lock``: the kernel drops it when the
    holder exits, even on a crash, so a stale lock never blocks refreshes.
    The file itself stays (removing it would let two processes lock two files).
    """
    path = lock_path(store_path)
    make_parent(path)
    try:
        handle = path.open("a+b")  # closed below, after the lock is released
    except OSError as e:
        raise StoreError(str(path), f"cannot open the lock file: {e.strerror}") from e
    try:
        _acquire(handle, path, store_path, timeout, poll)
        yield
    finally:
        handle.close()  # closing releases the flock


def _acquire(handle: Any, path: Path, store_path: Path, timeout: float, poll: float) -> None:
    if fcntl is None:  # pragma: no cover
        return
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise StoreError(
                    str(store_path),
                    f"another refresh is using this store (waited {timeout:g}s for {path}); "
                    "try again later, or wait longer with --lock-timeout",
                ) from None
            time.sleep(poll)


def make_parent(path: Path) -> None:
    """The directory of the store (or of its lock file), made if missing."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise StoreError(str(path), f"cannot create the store's directory: {e.strerror}") from e
