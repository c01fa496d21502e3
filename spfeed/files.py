"""Writing files so that a reader never sees half of one."""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger(__name__)

TEMP_SUFFIX = ".tmp"
"""Temporary files are ``.<name>.<random>.tmp``: hidden, so never served."""


def atomic_write(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same directory, fsync, then rename.

    A reader sees the old file or the new one, never half of either.
    """
    tmp = stage(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        discard([tmp])
        raise
    fsync_dir(path.parent)


def stage(path: Path, data: bytes) -> str:
    """Write ``data`` in full (fsynced) to a hidden temporary file beside ``path``; its name.

    Renaming it over ``path`` is then the only step left.
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        discard([tmp])
        raise
    return tmp


def remove_leftovers(path: Path) -> None:
    """Delete the temporary files a killed writer left beside ``path``."""
    discard(str(leftover) for leftover in path.parent.glob(f".{path.name}.*{TEMP_SUFFIX}"))


def discard(tmps: Iterable[str]) -> None:
    for tmp in tmps:
        try:
            Path(tmp).unlink(missing_ok=True)
        except OSError:
            log.warning("could not remove the temporary file %s", tmp)


def fsync_dir(folder: Path) -> None:
    """Make the renames in ``folder`` durable (where the OS allows opening a directory)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
