"""Writing files so that a reader never sees half of one."""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

log = logging.getLogger(__name__)

TEMP_SUFFIX = ".tmp"
"""Temporary files are ``.<name>.<random>.tmp``: hidden, so never served."""


def atomic_write(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write via a temporary file in the same directory, fsync, then rename.

    A reader sees the old file or the new one, never half of either. Without
    ``durable``, nothing is fsynced: for files that can be lost in a power cut
    (a cache, the run state), since each fsync costs milliseconds of waiting.
    """
    tmp = stage(path, data, durable=durable)
    try:
        os.replace(tmp, path)
    except BaseException:
        discard([tmp])
        raise
    if durable:
        fsync_dirs([path.parent])


def stage(path: Path, data: bytes, *, durable: bool = True) -> str:
    """Write ``data`` in full to a hidden temporary file beside ``path``; its name.

    Renaming it over ``path`` is then the only step left. With ``durable``
    the file is fsynced; to stage several, stage them without and then
    ``fsync_together`` them.
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        discard([tmp])
        raise
    return tmp


def remove_leftovers(paths: Iterable[Path]) -> None:
    """Delete the temporary files a killed writer left beside ``paths``
    (``.<name>.*.tmp``), reading each folder once."""
    by_folder: dict[Path, set[str]] = {}
    for path in paths:
        by_folder.setdefault(path.parent, set()).add(path.name)
    for folder, names in by_folder.items():
        try:
            entries = [entry.name for entry in os.scandir(folder)]
        except OSError:
            continue  # no folder yet: nothing left over
        discard(str(folder / entry) for entry in entries if _leftover_of(entry, names))


def _leftover_of(entry: str, names: set[str]) -> bool:
    if not (entry.startswith(".") and entry.endswith(TEMP_SUFFIX)):
        return False
    return any(entry.startswith(f".{name}.") and len(entry) >= len(name) + 2 + len(TEMP_SUFFIX) for name in names)


def discard(tmps: Iterable[str]) -> None:
    for tmp in tmps:
        try:
            Path(tmp).unlink(missing_ok=True)
        except OSError:
            log.warning("could not remove the temporary file %s", tmp)


def fsync_together(paths: Sequence[str]) -> None:
    """fsync these files all at once, one thread each; OSError if any fails.

    A journaling filesystem (ext4, XFS) commits fsyncs that wait at the same
    time together: seven small feeds cost about one journal commit instead of
    seven in a row. The threads are started with ``_thread``, which, unlike
    ``threading.Thread.start``, does not wait for each one to be scheduled
    (on a busy machine that wait cost more than the fsyncs).
    """
    import _thread
    import threading

    errors: list[OSError] = []
    remaining = [len(paths)]
    lock = _thread.allocate_lock()
    all_done = threading.Event()

    def sync(path: str) -> None:
        try:
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as e:
            e.filename = e.filename or path  # fsync's own errors name no file
            errors.append(e)
        finally:
            with lock:
                remaining[0] -= 1
                if not remaining[0]:
                    all_done.set()

    if not paths:
        return
    for path in paths:
        _thread.start_new_thread(sync, (path,))
    all_done.wait()
    if errors:
        raise errors[0]


def fsync_dirs(folders: Iterable[Path]) -> None:
    """Make the renames in ``folders`` durable (where the OS allows opening a directory)."""
    with contextlib.suppress(OSError):
        fsync_together([str(folder) for folder in folders])
