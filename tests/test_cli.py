from __future__ import annotations

import json
import subprocess
import sys

import feedparser
import pytest
import requests
import responses
from click.testing import CliRunner

from spfeed.cli import main
from spfeed.store import refresh_lock

from .conftest import LEGACY_PAGE


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def refresh_args(tmp_path, source=str(LEGACY_PAGE), *extra: str) -> list[str]:
    out, store = str(tmp_path / "feeds"), str(tmp_path / "spfeed.sqlite")
    return ["refresh", "--source", source, "--out", out, "--store", store, *extra]


def test_refresh_from_a_file_prints_where_and_how_many(runner, tmp_path):
    result = runner.invoke(main, refresh_args(tmp_path))
    assert result.exit_code == 0, result.output
    assert "7 items" in result.output and "7 new, 0 updated, 0 gone" in result.output
    out = tmp_path / "feeds"
    assert str(out / "atom.xml") in result.output and str(out / "rss.xml") in result.output
    assert (out / "atom.xml").exists() and (out / "rss.xml").exists()
    assert (tmp_path / "spfeed.sqlite").exists()


def test_refresh_twice_rewrites_no_file(runner, tmp_path):
    assert runner.invoke(main, refresh_args(tmp_path)).exit_code == 0
    feeds = sorted((tmp_path / "feeds").iterdir())
    before = [(p.read_bytes(), p.stat().st_mtime_ns) for p in feeds]
    result = runner.invoke(main, refresh_args(tmp_path))
    assert result.exit_code == 0, result.output
    assert "0 new, 0 updated, 0 gone" in result.output and "(unchanged)" in result.output
    assert [(p.read_bytes(), p.stat().st_mtime_ns) for p in feeds] == before


def test_max_items_limits_the_feeds(runner, tmp_path):
    result = runner.invoke(main, refresh_args(tmp_path, str(LEGACY_PAGE), "--max-items", "3"))
    assert result.exit_code == 0, result.output
    assert "with 3 items" in result.output
    assert len(feedparser.parse(str(tmp_path / "feeds" / "atom.xml")).entries) == 3


@pytest.mark.parametrize("option", ["--max-items=0", "--retain-days=0", "--lock-timeout=-1"])
def test_refresh_rejects_nonsense_store_options(runner, tmp_path, option):
    result = runner.invoke(main, refresh_args(tmp_path, str(LEGACY_PAGE), option))
    assert result.exit_code == 2
    assert not (tmp_path / "spfeed.sqlite").exists()


def test_a_second_refresh_process_waits_then_gives_up_with_a_clear_message(tmp_path):
    with refresh_lock(tmp_path / "spfeed.sqlite", timeout=0):
        blocked = subprocess.run(
            [sys.executable, "-m", "spfeed", *refresh_args(tmp_path), "--lock-timeout", "0.5"],
            capture_output=True,
            text=True,
            check=False,
        )
    assert blocked.returncode == 1
    assert blocked.stderr.startswith("spfeed: error: ")
    assert "another refresh is using this store" in blocked.stderr and "--lock-timeout" in blocked.stderr
    assert not (tmp_path / "feeds").exists() and not (tmp_path / "spfeed.sqlite").exists()


def test_two_refresh_processes_at_once_both_succeed_and_leave_valid_feeds(tmp_path):
    command = [sys.executable, "-m", "spfeed", *refresh_args(tmp_path)]
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    outputs = [process.communicate(timeout=60) for process in processes]
    assert [process.returncode for process in processes] == [0, 0], outputs
    assert sorted(b"7 new" in out for out, _ in outputs) == [False, True]  # one created, one found them
    for name in ("atom.xml", "rss.xml"):
        parsed = feedparser.parse(str(tmp_path / "feeds" / name))
        assert not parsed.bozo and len(parsed.entries) == 7


def test_a_damaged_store_is_one_line_that_says_how_to_rebuild(runner, tmp_path):
    (tmp_path / "spfeed.sqlite").write_bytes(b"this is not a database, it only sits where one should" * 100)
    result = runner.invoke(main, refresh_args(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "the store is damaged" in result.stderr and "run spfeed refresh again" in result.stderr
    assert not (tmp_path / "feeds").exists()


def test_refresh_missing_file_is_one_line_and_exit_1(runner, tmp_path):
    result = runner.invoke(main, refresh_args(tmp_path, str(tmp_path / "gone.html")))
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0
    assert "no such file" in result.stderr and "Traceback" not in result.output


@responses.activate
def test_refresh_unreachable_url_is_one_line_and_exit_1(runner, tmp_path):
    url = "https://www.ilo.org/universal-social-protection-department"
    responses.get(url, body=requests.exceptions.ConnectionError("[Errno 111] Connection refused"))
    result = runner.invoke(main, refresh_args(tmp_path, url))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"spfeed: error: {url}: could not connect")
    assert list(tmp_path.iterdir()) == []


def test_scrape_json_prints_the_items_with_the_stable_keys(runner):
    result = runner.invoke(main, ["scrape", str(LEGACY_PAGE), "--json"])
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)
    assert len(items) == 7
    for item in items:
        assert list(item) == ["title", "url", "published", "end", "category", "summary", "image"]
    assert items[2]["published"] == "2023-03-24T09:00:00+01:00"


def test_scrape_base_url_changes_where_links_resolve(runner, tmp_path):
    page = tmp_path / "p.html"
    page.write_text(
        '<div class="whatsNew"><ol><li class="item"><h3 class="title"><a href="news/a.htm">A</a></h3>'
        '<p class="date">1 May 2023</p></li></ol></div>',
        encoding="utf-8",
    )
    result = runner.invoke(main, ["scrape", str(page), "--json", "--base-url", "https://www.ilo.org/x/"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["url"] == "https://www.ilo.org/x/news/a.htm"


def test_usage_error_exits_2(runner):
    result = runner.invoke(main, ["refresh", "--no-such-flag"])
    assert result.exit_code == 2


@pytest.mark.parametrize("command", [[], ["refresh"], ["scrape"]])
def test_every_command_has_help(runner, command):
    result = runner.invoke(main, [*command, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output
