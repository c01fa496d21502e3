"""Shared by the hostile-input tests: a good first refresh, a CLI refresh, and
byte-for-byte snapshots of everything a refresh may touch."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from spfeed.cli import main

from .conftest import LEGACY_PAGE


def refresh_cli(tmp_path: Path, source: str, *extra: str) -> Result:
    """``spfeed refresh`` in-process, writing under ``tmp_path``."""
    args = ["refresh", "--source", source, "--out", str(tmp_path / "feeds"), "--store", str(tmp_path / "spfeed.sqlite")]
    return CliRunner().invoke(main, [*args, *extra])


def good_refresh(tmp_path: Path) -> dict[str, bytes]:
    """Publish the bundled page once; return the snapshot later failures must keep."""
    result = refresh_cli(tmp_path, str(LEGACY_PAGE))
    assert result.exit_code == 0, result.output
    state = snapshot(tmp_path)
    assert "feeds/atom.xml" in state and "spfeed.sqlite" in state
    return state


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (feeds, the store, its -wal and lock), by relative path.

    Not the run state (``spfeed.state.json``): recording a failed attempt there,
    for ``spfeed status``, is the point of it.
    """
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.endswith(".state.json")
    }


def assert_one_clear_error(result: Result, *expected: str) -> None:
    """Exit code 1 and a single ``spfeed: error:`` line that says what went wrong."""
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("spfeed: error: ") and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.output
    for text in expected:
        assert text in result.stderr, result.stderr
