"""Local faults: an unwritable output directory, a full disk, a store locked by
another process or damaged, a process killed mid-publish. Each is one clear
error (exit 1) and leaves the feeds and the store as they were."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from lxml import etree

from spfeed import publish
from spfeed.serve import resolve
from spfeed.store import Store

from .hostile import assert_one_clear_error, refresh_cli, snapshot
from .test_hostile_content import item, page

FIRST = page(item(title="First", href="/news/first"))
SECOND = page(*[item(title=f"Item {n} " + "words " * 40, href=f"/news/{n}") for n in range(60)])
"""A page that changes every feed and adds many rows to the store."""


def first_refresh(tmp_path: Path) -> dict[str, bytes]:
    """Publish FIRST; return the snapshot that a failed refresh of SECOND must keep."""
    source = tmp_path / "page.html"
    source.write_text(FIRST, encoding="utf-8")
    result = refresh_cli(tmp_path, str(source))
    assert result.exit_code == 0, result.output
    source.write_text(SECOND, encoding="utf-8")
    return snapshot(tmp_path)


def in_feeds(path: object) -> bool:
    """Whether a path is in a test's output directory (not the state file or the store)."""
    return "/feeds" in str(path)


def second_refresh(tmp_path: Path, *extra: str):
    return refresh_cli(tmp_path, str(tmp_path / "page.html"), *extra)


def assert_recovers(tmp_path: Path) -> None:
    """Once the fault is gone, the same refresh succeeds and publishes SECOND."""
    result = second_refresh(tmp_path)
    assert result.exit_code == 0, result.output
    assert "60 new" in result.stdout
    assert not list((tmp_path / "feeds").rglob("*.tmp"))


def test_output_directory_not_writable(tmp_path, monkeypatch):
    before = first_refresh(tmp_path)

    real_mkstemp = tempfile.mkstemp

    def mkstemp(*args: object, dir: Path, **kwargs: object):
        if in_feeds(dir):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_mkstemp(*args, dir=dir, **kwargs)

    # Tests run as root, whom chmod does not stop: refuse the way the kernel would.
    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    result = second_refresh(tmp_path)
    assert_one_clear_error(result, "cannot write the feed (Permission denied)", "left as they were")
    assert snapshot(tmp_path) == before
    monkeypatch.undo()
    assert_recovers(tmp_path)


def test_output_path_under_a_regular_file(tmp_path):
    before = first_refresh(tmp_path)
    blocker = tmp_path / "plain-file"
    blocker.write_text("not a directory")
    result = second_refresh(tmp_path, "--out", str(blocker / "feeds"))
    assert_one_clear_error(result, "cannot create the output directory (Not a directory)")
    assert snapshot(tmp_path) == {**before, "plain-file": b"not a directory"}  # store rolled back too


def test_disk_full_while_writing_the_feeds(tmp_path, monkeypatch):
    before = first_refresh(tmp_path)
    real_fsync, calls = os.fsync, []

    def fsync(fd: int) -> None:
        if in_feeds(str(Path(f"/proc/self/fd/{fd}").readlink())):
            calls.append(fd)
            if len(calls) == 3:  # other feeds staged already: they must be cleaned up too
                raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    result = second_refresh(tmp_path)
    assert_one_clear_error(result, "cannot write the feed (No space left on device)")
    assert len(calls) >= 3  # the staged feeds are fsynced all at once
    assert snapshot(tmp_path) == before  # no feed replaced, no temp file left, store rolled back
    monkeypatch.undo()
    assert_recovers(tmp_path)


def test_a_rename_refused_halfway_leaves_only_whole_files(tmp_path, monkeypatch):
    before = first_refresh(tmp_path)
    real_replace, calls = os.replace, []

    def replace(src, dst) -> None:
        if in_feeds(dst):
            calls.append(dst)
            if len(calls) == 3:
                raise PermissionError(errno.EPERM, "Operation not permitted")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    result = second_refresh(tmp_path)
    assert_one_clear_error(result, "cannot replace the feed (Operation not permitted)")
    after = snapshot(tmp_path)
    assert set(after) == set(before)  # no temp file left behind
    renamed = {name for name in after if after[name] != before[name]}
    assert renamed == {str(Path(p).relative_to(tmp_path)) for p in calls[:2]}
    assert after["spfeed.sqlite"] == before["spfeed.sqlite"]
    _assert_all_parse(tmp_path / "feeds")
    monkeypatch.undo()
    assert_recovers(tmp_path)


def test_disk_full_in_the_store(tmp_path, monkeypatch):
    before = first_refresh(tmp_path)
    real_prepare = Store.prepare_to_write

    def full_disk_prepare(store):  # every connection that writes goes through it
        real_prepare(store)
        pages = store._db.execute("PRAGMA page_count").fetchone()[0]
        store._db.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own SQLITE_FULL

    monkeypatch.setattr(Store, "prepare_to_write", full_disk_prepare)
    result = second_refresh(tmp_path)
    assert_one_clear_error(result, "the disk is full (database or disk is full)", "the store is unchanged")
    assert snapshot(tmp_path) == before
    monkeypatch.undo()
    assert_recovers(tmp_path)


# --- Another process --------------------------------------------------------

HOLD_REFRESH_LOCK = """
import sys, time
from pathlib import Path
from spfeed.lock import refresh_lock
with refresh_lock(Path(sys.argv[1]), timeout=5):
    print("holding", flush=True)
    sys.stdin.readline()
"""

HOLD_SQLITE_LOCK = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("holding", flush=True)
sys.stdin.readline()
db.execute("ROLLBACK")
"""


def _holder(script: str, store: Path) -> subprocess.Popen[str]:
    holder = subprocess.Popen([sys.executable, "-c", script, str(store)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline() == "holding\n"
    return holder


def _release(holder: subprocess.Popen[str]) -> None:
    holder.communicate("done\n", timeout=10)
    assert holder.returncode == 0


@pytest.mark.parametrize(
    ("script", "message"),
    [
        pytest.param(HOLD_REFRESH_LOCK, "another refresh is using this store (waited 0.3s", id="refresh-lock"),
        pytest.param(HOLD_SQLITE_LOCK, "the store is busy (database is locked)", id="sqlite-exclusive-lock"),
    ],
)
def test_store_locked_by_another_process(tmp_path, script, message):
    before = first_refresh(tmp_path)
    holder = _holder(script, tmp_path / "spfeed.sqlite")
    try:
        result = second_refresh(tmp_path, "--lock-timeout", "0.3")
    finally:
        _release(holder)
    assert_one_clear_error(result, message)
    assert snapshot(tmp_path) == before
    assert_recovers(tmp_path)


# --- A damaged store ----------------------------------------------------------


def _garbage(store: Path) -> None:
    store.write_bytes(b"\x00garbage, not SQLite\xff" * 500)


def _truncated(store: Path) -> None:
    data = store.read_bytes()
    store.write_bytes(data[:100] + b"\xff" * (len(data) - 100))  # header kept, pages scrambled


@pytest.mark.parametrize("damage", [_garbage, _truncated], ids=["garbage", "scrambled-pages"])
def test_a_damaged_store_is_named_with_the_way_to_rebuild_it(tmp_path, damage):
    first_refresh(tmp_path)
    store = tmp_path / "spfeed.sqlite"
    damage(store)
    before = snapshot(tmp_path)
    result = second_refresh(tmp_path)
    assert_one_clear_error(result, "the store is damaged", f"mv {store} {store}.broken",
                           "run spfeed refresh again")
    assert snapshot(tmp_path) == before  # the damaged file is kept as it was, for inspection
    # The documented way out (README, "A damaged store"):
    store.rename(tmp_path / "spfeed.sqlite.broken")
    result = second_refresh(tmp_path)
    assert result.exit_code == 0, result.output
    assert "60 new" in result.stdout


# --- Killed in the middle of a publish ----------------------------------------

KILL_DURING_PUBLISH = """
import os, signal, sys
from spfeed.cli import main

calls = []
real = getattr(os, sys.argv[1])

def path_of(arg):
    return os.readlink(f"/proc/self/fd/{arg}") if isinstance(arg, int) else str(arg)

def hook(*args):
    if "/feeds" in path_of(args[-1]):  # a feed, not the store or the state file
        calls.append(args)
        if len(calls) == int(sys.argv[2]):
            os.kill(os.getpid(), signal.SIGKILL)  # no cleanup runs: as with the OOM killer or a power cut
    return real(*args)

setattr(os, sys.argv[1], hook)
main(sys.argv[3:])
"""


@pytest.mark.parametrize(("call", "nth"), [("fsync", 4), ("replace", 3)], ids=["while-staging", "between-renames"])
def test_killed_mid_publish_the_old_feeds_stay_whole(tmp_path, call, nth):
    before = first_refresh(tmp_path)
    args = ["refresh", "--source", str(tmp_path / "page.html"), "--out", str(tmp_path / "feeds"),
            "--store", str(tmp_path / "spfeed.sqlite")]
    killed = subprocess.run([sys.executable, "-c", KILL_DURING_PUBLISH, call, str(nth), *args],
                            capture_output=True, timeout=60)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    after = snapshot(tmp_path)
    feeds = tmp_path / "feeds"
    leftovers = sorted(p.name for p in feeds.rglob("*.tmp"))
    if call == "fsync":
        assert leftovers, "the kill should have left a staged file"
        assert {n: after[n] for n in before} == before  # every published file untouched
    assert all(name.startswith(".") for name in leftovers)  # hidden, and never served:
    for leftover in feeds.rglob("*.tmp"):
        assert resolve(feeds.resolve(), "/" + str(leftover.relative_to(feeds))) is None
    assert after["spfeed.sqlite"] == before["spfeed.sqlite"]  # the transaction never committed
    _assert_all_parse(feeds)
    assert_recovers(tmp_path)  # ... and removes the leftovers


def _assert_all_parse(feeds: Path) -> None:
    for path in feeds.rglob("*"):
        if path.name.startswith(".") or not path.is_file():
            continue
        if path.suffix in (".xml", ".atom", ".rss", ".opml", ".xsl"):
            etree.fromstring(path.read_bytes())
        elif path.suffix == ".json":
            json.loads(path.read_bytes())


def test_leftovers_of_a_killed_publish_are_removed_by_the_next_one(tmp_path):
    out = tmp_path / "feeds"
    out.mkdir()
    stale = out / ".atom.xml.abc123.tmp"
    stale.write_bytes(b"<feed>half")
    other = out / ".notes.tmp"  # not ours: left alone
    other.write_text("x")
    publish.write_files({"atom.xml": b"<feed/>"}, out)
    assert not stale.exists() and other.exists()
